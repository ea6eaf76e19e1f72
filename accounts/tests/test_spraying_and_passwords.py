"""Issue 13, finding 9 (accounts): password spraying throttled per client address; django-axes
counting the client behind the reverse proxy; passwords of spaces only, or the username,
refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from conftest import PASSWORD


def token(client: Client, username: str, password: str) -> Any:
    return client.post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
    )


def test_password_spraying_from_one_address_is_throttled(world: Any) -> None:
    """120 tries over 30 usernames from one address used to be 120 401s."""
    sprayer = Client(REMOTE_ADDR="203.0.113.66")
    answers = [token(sprayer, f"user{i % 30}", "Password123") for i in range(120)]
    assert [a.status_code for a in answers[:30]] == [401] * 30
    assert {a.status_code for a in answers[30:]} == {429}
    assert int(answers[-1]["Retry-After"]) > 0
    assert "failed sign-ins from this address" in answers[-1].json()["detail"]
    # Even the right password waits, from that address; and the web sign-in page too.
    assert token(sprayer, "clerk_a", PASSWORD).status_code == 429
    page = sprayer.post(reverse("accounts:login"), {"username": "clerk_a", "password": PASSWORD})
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert "Quá nhiều lần đăng nhập sai" in page.content.decode()
    # Nobody else is held back: the account itself is not locked.
    assert token(Client(REMOTE_ADDR="198.51.100.7"), "clerk_a", PASSWORD).status_code == 200


def test_the_web_sign_in_counts_toward_the_same_limit(world: Any, settings: Any) -> None:
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    browser = Client(REMOTE_ADDR="203.0.113.67")
    for name in ("a1", "a2", "a3"):
        wrong = browser.post(reverse("accounts:login"), {"username": name, "password": "x" * 9})
        assert wrong.status_code == 200
    assert token(browser, "clerk_a", PASSWORD).status_code == 429


def test_axes_locks_an_account_per_client_behind_the_proxy(world: Any, settings: Any) -> None:
    """Behind nginx every request comes from 127.0.0.1: axes must count the client's address
    (X-Forwarded-For), or five wrong passwords from anywhere lock the official out."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    for _ in range(4):
        assert token(attacker, "clerk_a", "wrong-password").status_code == 401
    assert token(attacker, "clerk_a", "wrong-password").status_code == 429  # the fifth
    assert token(attacker, "clerk_a", PASSWORD).status_code == 429
    official = Client(HTTP_X_FORWARDED_FOR="198.51.100.20", HTTP_X_FORWARDED_PROTO="https")
    assert token(official, "clerk_a", PASSWORD).status_code == 200


@pytest.mark.parametrize(
    ("password", "why"),
    [
        (" " * 8, "spaces"),
        (" " * 12, "spaces"),
        ("newclerk1", "username"),
        ("newclerk1!", "username"),
        ("12345678", "common"),
        ("short", "length"),
    ],
)
def test_weak_passwords_are_refused(world: Any, password: str, why: str) -> None:
    response = world.api(world.admin).post(
        "officials",
        {
            "username": "newclerk1",
            "password": password,
            "full_name": "Cán bộ mới",
            "unit": "A",
            "roles": ["clerk"],
        },
    )
    assert response.status_code == 422, (why, response.content)
    assert "password" in response.json()["errors"]
    assert not User.objects.filter(username="newclerk1").exists()


def test_a_passphrase_with_spaces_is_accepted(world: Any) -> None:
    response = world.api(world.admin).post(
        "officials",
        {
            "username": "newclerk2",
            "password": "  sông Hồng chảy về xuôi  ",
            "full_name": "Cán bộ mới",
            "unit": "A",
            "roles": ["clerk"],
        },
    )
    assert response.status_code == 201, response.content
    # Typed into the web form, the password keeps its spaces too (it used to be stripped).
    client = Client()
    client.force_login(world.admin)
    form = client.post(
        reverse("web:units"),
        {
            "form": "official",
            "official-username": "newclerk3",
            "official-full_name": "Cán bộ mới",
            "official-unit": "A",
            "official-roles": ["clerk"],
            "official-password": "  sông Hồng chảy về xuôi  ",
        },
    )
    assert form.status_code == 302, form.content
    assert User.objects.get(username="newclerk3").check_password("  sông Hồng chảy về xuôi  ")
