"""Single sign-on without a provider: which official a checked ID token stands for, when the
provider's second factor counts, and the pages when SSO is off or the provider is down.
The whole flow against a real provider is in test_sso_browser.py."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from accounts.sso import claims_show_second_factor, official_for_claims
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_values(settings: Any) -> None:
    settings.OIDC_MFA_ACR = ["urn:tinh:loa:2fa"]
    settings.OIDC_MFA_AMR = ["otp", "hwk"]


@pytest.mark.parametrize(
    ("claims", "counts"),
    [
        ({"acr": "urn:tinh:loa:2fa"}, True),
        ({"acr": "urn:tinh:loa:password"}, False),
        ({"amr": ["pwd", "otp"]}, True),
        ({"amr": ["pwd"]}, False),
        ({"amr": "otp"}, False),  # amr is a list; a bare string is not trusted
        ({}, False),
    ],
)
def test_the_providers_second_factor_counts_only_with_a_configured_value(
    mfa_values: None, claims: dict[str, Any], counts: bool
) -> None:
    assert claims_show_second_factor(claims) is counts


def test_nothing_counts_as_a_second_factor_when_no_value_is_configured(settings: Any) -> None:
    settings.OIDC_MFA_ACR = []
    settings.OIDC_MFA_AMR = []
    assert not claims_show_second_factor({"acr": "urn:tinh:loa:2fa", "amr": ["otp"]})


def test_officials_are_matched_by_the_configured_claim_and_never_created(
    world: Any, settings: Any
) -> None:
    officials = User.objects.count()
    settings.OIDC_USER_CLAIM = "employee_id"
    assert official_for_claims({"employee_id": "clerk_a"}).user == world.clerk_a
    assert official_for_claims({"preferred_username": "clerk_a"}).refusal == "no_claim"
    assert official_for_claims({"employee_id": "nobody"}).refusal == "unknown"
    settings.OIDC_MATCH_FIELD = "email"
    User.objects.filter(pk=world.head_a.pk).update(email="Head.A@tinh.vn")
    assert official_for_claims({"employee_id": "head.a@tinh.vn"}).user == world.head_a
    # Two accounts with one address: nobody is guessed.
    User.objects.filter(pk=world.head_b.pk).update(email="head.a@tinh.vn")
    assert official_for_claims({"employee_id": "head.a@tinh.vn"}).refusal == "unknown"
    assert User.objects.count() == officials


def test_single_sign_on_is_off_by_default(world: Any) -> None:
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập bằng tài khoản của tỉnh" not in page
    assert client.get("/accounts/sso/").status_code == 404
    assert client.get("/accounts/sso/callback/?code=x&state=y").status_code == 404


def test_a_provider_that_cannot_be_reached_gets_a_clear_page(world: Any, settings: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OIDC_DISCOVERY_URL = f"http://127.0.0.1:{port}/o"
    settings.OIDC_CLIENT_ID = "dutdiem"
    client = Client()
    assert "Đăng nhập bằng tài khoản của tỉnh" in client.get("/accounts/login/").content.decode()
    answer = client.get("/accounts/sso/")
    assert answer.status_code == 503
    assert "Hiện không kết nối được với cổng xác thực của tỉnh" in answer.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="official.sso").exists()
