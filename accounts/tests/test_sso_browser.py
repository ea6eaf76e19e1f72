"""Single sign-on through a real OpenID provider, in a real browser.

The provider is django-oauth-toolkit in a small project of its own (accounts/tests/
oidc_provider/), started as a separate process on a free port with its own SQLite database,
an RSA key made here, and our client registered by the fixture. dutdiem is served live;
chromium signs in at the provider's own page and comes back. The provider's answers are
steered through its knobs file (acr, another audience, an ID token already expired).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from accounts.models import User
from accounts.services import official_deactivate
from audit.models import AuditEvent
from common.testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
IDP_PASSWORD = "idp-password-for-tests"
CLIENT_ID = "dutdiem-test-client"
CLIENT_SECRET = "dutdiem-test-secret-0123456789"
MFA_ACR = "urn:tinh:loa:2fa"
PASSWORD_ACR = "urn:tinh:loa:password"
SSO_BUTTON = "Đăng nhập bằng tài khoản của tỉnh"
DASHBOARD = "/reports/dashboard/"  # where the overview "/" leads


@dataclass
class Provider:
    issuer: str
    knobs: Path

    def steer(self, **knobs: Any) -> None:
        self.knobs.write_text(json.dumps(knobs), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def identity_provider(live_server: Any, tmp_path_factory: Any) -> Iterator[Provider]:
    folder = tmp_path_factory.mktemp("idp")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = folder / "signing-key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accounts.tests.oidc_provider.settings",
        "IDP_DATABASE": str(folder / "idp.sqlite3"),
        "IDP_RSA_KEY_FILE": str(key_file),
        "IDP_KNOBS_FILE": str(folder / "knobs.json"),
        "IDP_PROVISION": json.dumps(
            {
                "users": [[name, IDP_PASSWORD] for name in ("clerk_a", "head_a", "stranger")],
                "client": {
                    "id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "redirect_uri": f"{live_server.url}/accounts/sso/callback/",
                    "post_logout_redirect_uri": f"{live_server.url}/accounts/login/",
                },
            }
        ),
    }
    python = sys.executable
    subprocess.run([python, "-m", "django", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "-m", "accounts.tests.oidc_provider.provision"], cwd=ROOT, env=env, check=True
    )
    port = _free_port()
    server = subprocess.Popen(
        [python, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                pytest.fail("the stand-in identity provider stopped at start")
            time.sleep(0.1)
        else:
            pytest.fail("the stand-in identity provider did not answer within 30 seconds")
        yield Provider(issuer=issuer, knobs=folder / "knobs.json")
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def idp(identity_provider: Provider, settings: Any) -> Provider:
    """SSO switched on against the stand-in provider, which answers plainly (no second
    factor) until a test steers it."""
    identity_provider.steer()
    settings.OIDC_DISCOVERY_URL = identity_provider.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_MFA_ACR = [MFA_ACR]
    settings.OIDC_MFA_AMR = []
    csp = {key: list(value) for key, value in settings.SECURE_CSP.items()}
    csp["form-action"].append("http://127.0.0.1:" + identity_provider.issuer.split(":")[2][:-2])
    settings.SECURE_CSP = csp
    return identity_provider


@pytest.fixture(autouse=True)
def _patient_browser(request: Any) -> None:
    """Two servers and a browser on a shared machine: a page may take longer than usual."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(60000)


def sign_in_at_provider(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name=SSO_BUTTON).click()
    page.wait_for_selector("#idp-login")
    page.fill("#idp-username", username)
    page.fill("#idp-password", IDP_PASSWORD)
    page.click("#idp-submit")
    page.wait_for_load_state("networkidle")


def path_of(page: Any, live_server: Any) -> str:
    return str(page.url).removeprefix(live_server.url)


def refusals() -> list[dict[str, Any]]:
    return [e.data for e in AuditEvent.objects.filter(action="official.sso_refused")]


def test_a_good_sign_in_lands_on_the_dashboard_with_the_rights_given_here(
    world: Any, idp: Provider, page: Any, live_server: Any
) -> None:
    # The provider claims rights; they are ignored: the official keeps the roles given here.
    idp.steer(extra={"roles": ["admin"], "groups": ["admin"], "is_superuser": True})
    officials = User.objects.count()
    sign_in_at_provider(page, "clerk_a")
    assert path_of(page, live_server) == DASHBOARD
    assert "Clerk_A" in page.locator("header .who").inner_text()
    screenshot(page, "accounts-sso-dashboard")
    clerk = User.objects.get(username="clerk_a")
    assert clerk.roles == ["clerk"] and not clerk.is_superuser
    assert User.objects.count() == officials
    event = AuditEvent.objects.get(action="official.sso_login")
    assert event.actor == "clerk_a" and event.data["second_factor"] is False


def test_the_name_is_taken_from_userinfo_when_the_id_token_lacks_it(
    world: Any, idp: Provider, page: Any, live_server: Any
) -> None:
    idp.steer(only_in_userinfo=["preferred_username"])
    sign_in_at_provider(page, "head_a")
    assert path_of(page, live_server) == DASHBOARD
    assert AuditEvent.objects.get(action="official.sso_login").actor == "head_a"


def test_a_callback_nobody_started_is_refused(
    world: Any, idp: Provider, page: Any, live_server: Any
) -> None:
    answer = page.goto("/accounts/sso/callback/?code=forged&state=forged")
    assert answer.status == 403
    assert "Cổng xác thực của tỉnh không xác nhận được bạn là ai" in page.content()
    (refusal,) = refusals()
    assert refusal["reason"] == "provider" and "state" in refusal["detail"], refusal


def test_only_a_next_page_of_ours_is_kept_for_after_sign_in(
    world: Any, idp: Provider, client: Any
) -> None:
    client.get("/accounts/sso/?next=https://elsewhere.example/")
    assert "sso_next" not in client.session
    answer = client.get("/accounts/sso/?next=/matters/")
    assert client.session["sso_next"] == "/matters/"
    # Off to the provider, with PKCE and a nonce.
    assert answer.status_code == 302 and answer["Location"].startswith(idp.issuer)
    assert "code_challenge_method=S256" in answer["Location"] and "nonce=" in answer["Location"]


@pytest.mark.parametrize(
    ("knobs", "detail"),
    [
        # Issued to another system; its azp naming us must not make it ours.
        ({"audience": "another-system", "extra": {"azp": CLIENT_ID}}, "aud"),
        ({"id_token_seconds": -3600}, "xpire"),
    ],
    ids=["wrong-audience", "expired-id-token"],
)
def test_an_id_token_that_fails_a_check_is_refused(
    world: Any, idp: Provider, page: Any, live_server: Any, knobs: dict[str, Any], detail: str
) -> None:
    idp.steer(**knobs)
    sign_in_at_provider(page, "clerk_a")
    assert path_of(page, live_server).startswith("/accounts/sso/callback/")
    assert "Cổng xác thực của tỉnh không xác nhận được bạn là ai" in page.content()
    page.goto("/")
    assert path_of(page, live_server).startswith("/accounts/login/")
    (refusal,) = refusals()
    assert refusal["reason"] == "provider" and detail in refusal["detail"], refusal
    assert not AuditEvent.objects.filter(action="official.sso_login").exists()


def test_an_official_without_an_account_here_is_refused_and_none_is_created(
    world: Any, idp: Provider, page: Any, live_server: Any
) -> None:
    officials = User.objects.count()
    with page.expect_response(lambda r: "/accounts/sso/callback/" in r.url) as answer:
        sign_in_at_provider(page, "stranger")
    assert answer.value.status == 403
    text = page.locator("[role=alert]").inner_text()
    assert "Chưa có tài khoản trong hệ thống cho stranger" in text
    assert "quản trị viên" in text
    screenshot(page, "accounts-sso-unknown")
    assert User.objects.count() == officials
    assert not User.objects.filter(username="stranger").exists()
    assert refusals() == [{"name": "stranger", "reason": "unknown", "detail": ""}]
    page.goto("/")
    assert path_of(page, live_server).startswith("/accounts/login/")


def test_a_deactivated_official_is_refused(
    world: Any, idp: Provider, page: Any, live_server: Any
) -> None:
    official_deactivate(actor=world.admin, user=world.head_a)
    sign_in_at_provider(page, "head_a")
    assert "đã bị khoá" in page.locator("[role=alert]").inner_text()
    assert refusals() == [{"name": "head_a", "reason": "inactive", "detail": ""}]
    page.goto("/")
    assert path_of(page, live_server).startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("acr", "lands_on"),
    [(MFA_ACR, DASHBOARD), (PASSWORD_ACR, "/accounts/second-factor/")],
    ids=["provider-second-factor-counts", "password-only-asks-local-code"],
)
def test_the_providers_second_factor_counts_and_a_password_alone_asks_for_the_local_code(
    world: Any,
    idp: Provider,
    page: Any,
    live_server: Any,
    settings: Any,
    acr: str,
    lands_on: str,
) -> None:
    settings.REQUIRE_MFA = True
    idp.steer(acr=acr)
    sign_in_at_provider(page, "clerk_a")
    assert path_of(page, live_server).split("?")[0] == lands_on
    # The JSON API with the browser's session follows the same rule.
    answer = page.request.get("/api/v1/units")
    assert answer.status == (200 if acr == MFA_ACR else 401)
    event = AuditEvent.objects.get(action="official.sso_login")
    assert event.data["second_factor"] is (acr == MFA_ACR)


def test_signing_out_ends_the_providers_session_too(
    world: Any, idp: Provider, page: Any, live_server: Any
) -> None:
    sign_in_at_provider(page, "clerk_a")
    assert path_of(page, live_server) == DASHBOARD
    page.locator("header form[action='/accounts/logout/'] button").click()
    # The provider ended its session and sent the browser back to our sign-in page.
    page.wait_for_url(lambda url: url.startswith(f"{live_server.url}/accounts/login/"))
    page.goto("/")
    assert path_of(page, live_server).startswith("/accounts/login/")
    # Had only our session ended, the provider would sign the browser straight back in.
    page.get_by_role("button", name=SSO_BUTTON).click()
    page.wait_for_selector("#idp-login")
    assert page.url.startswith(idp.issuer.removesuffix("/o"))
