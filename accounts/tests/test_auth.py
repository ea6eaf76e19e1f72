from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import official_deactivate
from conftest import PASSWORD


def test_token_for_right_credentials(world):
    client = world.api(None)
    response = client.post("auth/token", {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    ok = client.client.get("/api/v1/matters", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200


def test_wrong_credentials_are_401(world):
    response = world.api(None).post("auth/token", {"username": "clerk_a", "password": "nope-nope"})
    assert response.status_code == 401
    assert "detail" in response.json()


def test_bad_token_is_401(world):
    response = Client().get("/api/v1/matters", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401


def test_repeated_failures_are_throttled(world):
    client = world.api(None)
    for _ in range(5):
        client.post("auth/token", {"username": "clerk_a", "password": "wrong-password"})
    response = client.post("auth/token", {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 429


def test_deactivation_revokes_tokens_and_sessions(world):
    api = world.api(world.clerk_a)
    assert api.get("matters").status_code == 200
    browser = Client()
    browser.force_login(world.clerk_a)
    assert browser.get(reverse("web:matters")).status_code == 200
    official_deactivate(actor=world.admin, user=world.clerk_a)
    assert api.get("matters").status_code == 401
    assert ApiToken.objects.filter(user=world.clerk_a, revoked_at__isnull=True).count() == 0
    response = browser.get(reverse("web:matters"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_login_page_is_vietnamese(db):
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_web_login_without_second_factor_in_demo(world):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:matters")).status_code == 200


@override_settings(REQUIRE_MFA=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_second_factor_required_when_enabled(world):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.post(reverse("accounts:login"), {"username": "clerk_a", "password": PASSWORD})
    response = client.get(reverse("web:matters"))
    assert response.status_code == 302 and response["Location"].endswith(reverse("accounts:otp"))
    # First visit sets up an unconfirmed device; a wrong code is refused.
    assert client.get(reverse("accounts:otp")).status_code == 200
    device = TOTPDevice.objects.get(user=world.clerk_a)
    wrong = client.post(reverse("accounts:otp"), {"token": "000000"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    ok = client.post(reverse("accounts:otp"), {"token": f"{code:06d}"})
    assert ok.status_code == 302
    assert client.get(reverse("web:matters")).status_code == 200


@override_settings(SESSION_IDLE_SECONDS=60)
def test_idle_session_ends(world, time_machine):
    time_machine.move_to("2026-11-02 08:00:00+07:00", tick=False)
    client = Client()
    client.force_login(world.clerk_a)
    assert client.get(reverse("web:matters")).status_code == 200
    time_machine.move_to("2026-11-02 08:00:50+07:00", tick=False)
    assert client.get(reverse("web:matters")).status_code == 200
    time_machine.move_to("2026-11-02 08:02:30+07:00", tick=False)
    response = client.get(reverse("web:matters"))
    assert response.status_code == 302


def test_createsuperuser_needs_only_username_and_password(db, monkeypatch):
    from django.core.management import call_command

    from accounts.models import User

    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "boss")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "very-secret-pass")
    call_command("createsuperuser", interactive=False, verbosity=0)
    assert User.objects.get(username="boss").is_superuser
