"""What an official sees of their notifications: the bell's count, the page, reading them,
the matters new to them in the lists, and the e-mail setting with its daily digest."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification, Preference
from notifications.services import digests_send, notify
from petitions.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _badge(html: str) -> str | None:
    found = re.search(r'<span class="badge" aria-hidden="true">(\d+)</span>', html)
    return found.group(1) if found else None


def test_the_bell_counts_only_the_officials_unread_notifications(world: Any) -> None:
    notify([world.head_a], kind="test", text="Đơn mới đến")
    notify([world.head_a], kind="test", text="Đơn thứ hai")
    notify([world.head_b], kind="test", text="Của đơn vị khác")
    Notification.objects.filter(text="Đơn thứ hai").update(read_at=timezone.now())
    html = client_for(world.head_a).get("/matters/").content.decode()
    assert _badge(html) == "1"
    assert 'href="/notifications/"' in html
    assert _badge(client_for(world.clerk_a).get("/matters/").content.decode()) is None


def test_the_page_lists_them_newest_first_and_pages_them(world: Any) -> None:
    for i in range(35):
        with time_machine.travel(timezone.now() + timedelta(minutes=i), tick=False):
            notify([world.head_a], kind="test", text=f"Thông báo số {i:02d}")
    notify([world.head_b], kind="test", text="Không phải của ông")
    client = client_for(world.head_a)
    first = client.get("/notifications/").content.decode()
    assert first.index("Thông báo số 34") < first.index("Thông báo số 33")
    assert "Thông báo số 04" not in first and "Không phải của ông" not in first
    second = client.get("/notifications/?page=2").content.decode()
    assert "Thông báo số 04" in second and "Thông báo số 05" not in second
    unread = client.get("/notifications/?show=unread").content.decode()
    assert "Thông báo số 34" in unread


def test_opening_one_marks_it_read_and_goes_to_its_page(world: Any) -> None:
    notify([world.head_a], kind="test", text="Xem đơn", url="/petitions/D1/")
    mine = Notification.objects.get(user=world.head_a)
    notify([world.head_b], kind="test", text="Của người khác", url="/cases/X/")
    theirs = Notification.objects.get(user=world.head_b)
    client = client_for(world.head_a)
    response = client.get(f"/notifications/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/petitions/D1/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    # Another official's notification: not opened, not marked, and its address not given.
    response = client.get(f"/notifications/{theirs.pk}/")
    assert response["Location"] == "/notifications/"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(world: Any) -> None:
    notify([world.head_a], kind="test", text="Một")
    notify([world.head_a], kind="test", text="Hai")
    notify([world.head_b], kind="test", text="Của người khác")
    client = client_for(world.head_a)
    assert client.get("/notifications/read-all/").status_code == 405
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=world.head_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=world.head_b, read_at__isnull=True).count() == 1
    assert _badge(client.get("/notifications/").content.decode()) is None


def _row(html: str, code: str) -> str:
    start = html.index(f">{code}</")
    return html[html.rfind("<tr", 0, start) : html.index("</tr>", start)]


def test_new_and_transferred_in_matters_are_marked_until_opened(world: Any) -> None:
    with travel():
        code = file(world)["code"]
        mine = client_for(world.handler_a)
        # Registered in unit A: new to the handler who did not register it, until opened.
        assert "new-badge" in _row(mine.get("/petitions/").content.decode(), code)
        assert "new-badge" in _row(mine.get("/matters/").content.decode(), code)
        assert mine.get(f"/petitions/{code}/").status_code == 200
        assert "new-badge" not in _row(mine.get("/petitions/").content.decode(), code)
        assert "new-badge" not in _row(mine.get("/matters/").content.decode(), code)
        # Not new to those of other units (the leader sees it, it is not theirs).
        leader = client_for(world.leader_p).get("/petitions/?scope=all").content.decode()
        assert "new-badge" not in _row(leader, code)
        # Transferred to B: marked "transferred in" for B's officials until they open it.
        transfer = {"to": "B", "reason": "Thuộc thẩm quyền Sở B", "legal_basis": "Điều 24"}
        assert (
            world.api(world.handler_a).post(f"petitions/{code}/transfer", transfer).status_code
            == 200
        )
        b = client_for(world.official_b)
        row = _row(b.get("/petitions/").content.decode(), code)
        assert "new-badge came-in" in row and "được chuyển đến" in row
        b.get(f"/petitions/{code}/")
        assert "new-badge" not in _row(b.get("/petitions/").content.decode(), code)
        # Opening the petition reads the notifications about it.
        assert not Notification.objects.filter(
            user=world.official_b, matter=code, read_at__isnull=True
        ).exists()


def test_an_official_may_take_notifications_in_a_daily_digest(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world.head_a.email = "truong.a@example.vn"
    world.head_a.save()
    client = client_for(world.head_a)
    page = client.get("/notifications/settings/").content.decode()
    assert re.search(r'value="each"[^>]*checked', page)  # the default
    # Each notification by e-mail, the default.
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.head_a], kind="test", text="Ngay lập tức")
    assert len(mail.outbox) == 1
    # The daily digest instead: nothing at once, one e-mail a day with the unread ones.
    assert client.post("/notifications/settings/", {"email": "nothing"}).status_code == 422
    assert client.post("/notifications/settings/", {"email": "daily"}).status_code == 302
    assert Preference.objects.get(user=world.head_a).email == "daily"
    assert AuditEvent.objects.filter(action="notifications.preference").exists()
    later = timezone.now() + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notify([world.head_a], kind="test", text="Đơn A quá hạn", url="/petitions/A1/")
            notify([world.head_a], kind="test", text="Đơn B sắp đến hạn")
            notify([world.head_b], kind="test", text="Không gửi cho trưởng A")
    assert len(mail.outbox) == 1  # nothing sent at once
    Notification.objects.filter(text="Đơn B sắp đến hạn").update(read_at=timezone.now())
    with time_machine.travel(later + timedelta(hours=20), tick=False):
        assert digests_send() == 1
        assert digests_send() == 0  # the same notifications are not sent twice
    digest = mail.outbox[1]
    assert digest.to == ["truong.a@example.vn"]
    assert "Đơn A quá hạn" in digest.body and "/petitions/A1/" in digest.body
    assert "Đơn B sắp đến hạn" not in digest.body  # already read
    assert "Ngay lập tức" not in digest.body  # before the choice
    assert "Không gửi cho trưởng A" not in digest.body
    # No e-mail at all.
    client.post("/notifications/settings/", {"email": "none"})
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.head_a], kind="test", text="Chỉ trong phần mềm")
    with time_machine.travel(later + timedelta(days=2), tick=False):
        digests_send()
    assert len(mail.outbox) == 2


def test_the_digest_job_is_scheduled_daily(settings: Any) -> None:
    assert ("notifications.tasks.send_digests", "daily", "07:00") in settings.PERIODIC_JOBS


def test_reading_a_matter_again_writes_nothing(world: Any) -> None:
    """Only the first look after a matter arrives is recorded: a page that is only read does
    not write (and so does not pin the official to the primary database)."""
    from notifications.models import Seen

    with travel():
        code = file(world)["code"]
        client_for(world.handler_a).get(f"/petitions/{code}/")
    first = Seen.objects.get(user=world.handler_a).at
    with travel("2027-03-16 10:00 +07:00"):
        client_for(world.handler_a).get(f"/petitions/{code}/")
    assert Seen.objects.get(user=world.handler_a).at == first
