"""The second factor holds on the JSON API too (issue 13, finding 2).

With ``DUTDIEM_REQUIRE_MFA=1`` a session that has passed the password but not the TOTP step
used to call the API with its cookie (``POST /api/v1/units`` → 201), and the token endpoint
gave a bearer token for the password alone. Now: sessions must have passed the second factor;
tokens are issued with ``otp`` or to API accounts, and tokens issued without the second factor
stop working where it is required."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, User
from audit.models import AuditEvent
from conftest import PASSWORD
from units.models import Unit

MFA = override_settings(REQUIRE_MFA=True, OTP_TOTP_THROTTLE_FACTOR=0)
UNIT = {"code": "X9", "name": "Sở X", "kind": "department", "parent": "P", "area": "33"}


def authenticator(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    value = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{value:06d}"


def post_json(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def token(body: dict[str, Any]) -> Any:
    return post_json(Client(), "/api/v1/auth/token", body)


@MFA
def test_a_session_past_the_password_only_opens_no_api(world: Any) -> None:
    device = authenticator(world.admin)
    browser = Client()
    login = browser.post(reverse("accounts:login"), {"username": "root", "password": PASSWORD})
    assert login.status_code == 302
    refused = post_json(browser, "/api/v1/units", UNIT)
    assert refused.status_code == 401
    assert "second factor" in refused.json()["detail"]
    assert browser.get("/api/v1/matters").status_code == 401
    assert not Unit.objects.filter(code="X9").exists()
    # The same session, once it has passed the second factor, may.
    assert browser.post(reverse("accounts:otp"), {"token": code_of(device)}).status_code == 302
    assert post_json(browser, "/api/v1/units", UNIT).status_code == 201


@MFA
def test_a_token_needs_the_second_factor_where_it_is_required(world: Any) -> None:
    credentials = {"username": "clerk_a", "password": PASSWORD}
    # No authenticator set up yet: say how to get one.
    first = token(credentials)
    assert first.status_code == 401 and "second factor" in first.json()["detail"]
    device = authenticator(world.clerk_a)
    without = token(credentials)
    assert without.status_code == 401 and "otp" in without.json()["detail"]
    wrong = token({**credentials, "otp": "000000" if code_of(device) != "000000" else "111111"})
    assert wrong.status_code == 401 and "otp" in wrong.json()["detail"]
    wrong_password = token({"username": "clerk_a", "password": "nope-nope", "otp": "123456"})
    assert wrong_password.json()["detail"] == "wrong username or password"
    assert not ApiToken.objects.filter(user=world.clerk_a).exists()
    issued = token({**credentials, "otp": code_of(device)})
    assert issued.status_code == 200, issued.content
    bearer = {"Authorization": f"Bearer {issued.json()['token']}"}
    assert Client().get("/api/v1/matters", headers=bearer).status_code == 200
    assert AuditEvent.objects.filter(action="token.issue", data__second_factor=True).count() == 1


def test_tokens_issued_without_the_second_factor_stop_where_it_is_required(world: Any) -> None:
    api = world.api(world.clerk_a)  # a token issued with the password alone
    assert api.get("matters").status_code == 200
    with MFA:
        refused = api.get("matters")
        assert refused.status_code == 401
        assert "second factor" in refused.json()["detail"]


def test_api_accounts_get_tokens_with_their_password_alone(world: Any) -> None:
    admin = world.api(world.admin)
    created = admin.post(
        "officials",
        {
            "username": "lgsp",
            "password": "a-long-machine-secret-42",
            "full_name": "Nền tảng chia sẻ dữ liệu tỉnh",
            "unit": "P",
            "roles": ["auditor"],
            "api_account": True,
        },
    )
    assert created.status_code == 201 and created.json()["api_account"] is True
    ordinary = admin.post(
        "officials",
        {
            "username": "person",
            "password": "another-long-secret-42",
            "full_name": "Người thường",
            "unit": "P",
            "roles": ["clerk"],
        },
    )
    assert ordinary.json()["api_account"] is False
    with MFA:
        issued = token({"username": "lgsp", "password": "a-long-machine-secret-42"})
        assert issued.status_code == 200, issued.content
        bearer = {"Authorization": f"Bearer {issued.json()['token']}"}
        assert Client().get("/api/v1/matters", headers=bearer).status_code == 200
        assert (
            token({"username": "person", "password": "another-long-secret-42"}).status_code == 401
        )
    # Taking the mark away stops its password-only tokens where the second factor is required.
    unmarked = admin.put("officials/lgsp/api-account", {"api_account": False})
    assert unmarked.status_code == 200 and unmarked.json()["api_account"] is False
    assert AuditEvent.objects.filter(action="official.api_account").count() == 1
    with MFA:
        assert Client().get("/api/v1/matters", headers=bearer).status_code == 401
    # Only administrators mark accounts.
    assert (
        world.api(world.head_a).put("officials/lgsp/api-account", {"api_account": True}).status_code
        == 403
    )


def test_the_api_account_command(world: Any) -> None:
    out = io.StringIO()
    call_command("api_account", "clerk_a", stdout=out)
    assert User.objects.get(username="clerk_a").api_account
    assert "clerk_a is now an API account" in out.getvalue()
    call_command("api_account", "clerk_a", "--off", stdout=out)
    assert not User.objects.get(username="clerk_a").api_account
    with pytest.raises(CommandError):
        call_command("api_account", "nobody")


def test_the_contract_is_unchanged_with_the_second_factor_off(world: Any) -> None:
    issued = token({"username": "clerk_a", "password": PASSWORD})
    assert issued.status_code == 200 and set(issued.json()) == {"token"}
