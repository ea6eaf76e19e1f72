"""An official who lost the password: a link by e-mail (Django's views, our pages), or a new
password set by an administrator on the units page. Both are recorded in the audit log."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client

from accounts.models import User
from audit.models import AuditEvent

NEW = "mat-khau-moi-2027"


def _link(body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/password-reset/[^\s]+/)", body)
    assert found, body
    return found.group(1)


def test_reset_by_email_link_works_once_and_is_audited(world: Any) -> None:
    world.clerk_a.email = "van.thu.a@example.vn"
    world.clerk_a.save()
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in page  # reachable from the sign-in page
    response = client.post("/accounts/password-reset/", {"email": "van.thu.a@example.vn"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["van.thu.a@example.vn"]
    assert "mật khẩu mới" in message.subject and "clerk_a" in message.body  # in Vietnamese
    link = _link(str(message.body))
    # Django puts the token in the session and redirects to a URL without it.
    form_page = client.get(link, follow=True)
    assert "new_password1" in form_page.content.decode()
    target = form_page.redirect_chain[-1][0]
    done = client.post(target, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/password-reset/done/"
    assert User.objects.get(username="clerk_a").check_password(NEW)
    event = AuditEvent.objects.get(action="official.password_reset")
    assert event.actor == "clerk_a" and NEW not in str(event.data)
    # The link works once.
    again = Client().get(link, follow=True).content.decode()
    assert "new_password1" not in again and "Đường dẫn không còn hiệu lực" in again


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(world: Any) -> None:
    response = Client().post("/accounts/password-reset/", {"email": "khong.co@example.vn"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_an_administrator_sets_a_new_password_audited_and_sessions_end(world: Any) -> None:
    victim_session = Client()
    victim_session.force_login(world.clerk_a)
    assert victim_session.get("/matters/").status_code == 200
    admin = Client()
    admin.force_login(world.admin)
    page = admin.get("/units/").content.decode()
    assert 'action="/units/password/"' in page
    response = admin.post(
        "/units/password/", {"password-username": "clerk_a", "password-password": NEW}
    )
    assert response.status_code == 302
    assert User.objects.get(username="clerk_a").check_password(NEW)
    event = AuditEvent.objects.get(action="official.password_set")
    assert event.actor == world.admin.username and event.data == {"username": "clerk_a"}
    assert victim_session.get("/matters/").status_code == 302  # signed out


def test_only_administrators_set_passwords_and_bad_input_changes_nothing(world: Any) -> None:
    head = Client()
    head.force_login(world.head_a)
    assert 'action="/units/password/"' not in head.get("/units/").content.decode()
    response = head.post(
        "/units/password/", {"password-username": "clerk_a", "password-password": NEW}
    )
    assert response.status_code == 403
    admin = Client()
    admin.force_login(world.admin)
    for data, message in (
        ({"password-username": "khong-co", "password-password": NEW}, "Không có cán bộ"),
        ({"password-username": "clerk_a", "password-password": "123"}, "password"),
    ):
        response = admin.post("/units/password/", data)
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not User.objects.get(username="clerk_a").check_password(NEW)
    assert not AuditEvent.objects.filter(action="official.password_set").exists()
