"""The press pages: the unit's due items, a statement, the register, the public page."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from statements.models import Spokesperson, Statement

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel("2026-09-10 08:00 +0700", tick=False)
def test_pages_and_forms(world):
    web = client_for(world.clerk_a)
    for url in (
        "/statements/",
        "/statements/new/",
        "/statements/spokespersons/",
        "/statements/indicators/",
        "/statements/?status=all",
    ):
        assert web.get(url).status_code == 200, url
    bad = web.post(
        "/statements/new/", {"trigger": "event", "triggered_at": "09/09/2026 25:00", "subject": "x"}
    )
    assert bad.status_code == 422 and Statement.objects.count() == 0
    ok = web.post(
        "/statements/new/",
        {
            "trigger": "event",
            "triggered_at": "21:30 09/09/2026",
            "subject": "Cháy kho hàng tại cảng",
        },
    )
    assert ok.status_code == 302
    statement = Statement.objects.get()
    code = statement.matter.code
    assert statement.due_at.isoformat() == "2026-09-10T14:30:00+00:00"  # 21:30 local + 24 h
    page = web.get(f"/statements/{code}/").content.decode()
    assert "21:30 10/09/2026" in page
    refused = web.post(f"/statements/{code}/refuse/", {"ground": "gossip", "reason": "x"})
    assert refused.status_code == 422
    assert (
        client_for(world.leader_p)
        .post(
            f"/statements/{code}/deliver/",
            {"delivered_at": "07:00 10/09/2026", "form": "written", "speaker": "X", "text": "T"},
        )
        .status_code
        == 403
    )
    assert client_for(world.official_b).get(f"/statements/{code}/").status_code == 404
    done = web.post(
        f"/statements/{code}/deliver/",
        {
            "delivered_at": "07:00 10/09/2026",
            "form": "written",
            "speaker": "Head_A",
            "text": "Đã khống chế",
        },
    )
    assert done.status_code == 302
    assert Statement.objects.get().delivered_at is not None
    public = Client().get("/statements/public/")
    assert public.status_code == 200 and "Đã khống chế" in public.content.decode()


@time_machine.travel("2026-09-10 08:00 +0700", tick=False)
def test_register_page(world):
    web = client_for(world.clerk_a)
    r = web.post(
        "/statements/spokespersons/",
        {
            "role": "regular",
            "full_name": "Trần Thị Phát",
            "title": "Phó Giám đốc",
            "decision_no": "15/QĐ",
            "decided_at": "16:00 09/09/2026",
        },
    )
    assert r.status_code == 302
    person = Spokesperson.objects.get()
    assert "Trần Thị Phát" in web.get("/statements/spokespersons/").content.decode()
    assert (
        client_for(world.official_b)
        .post(f"/statements/spokespersons/{person.pk}/publish/")
        .status_code
        == 404
    )
    assert (
        client_for(world.leader_p)
        .post(f"/statements/spokespersons/{person.pk}/publish/")
        .status_code
        == 403
    )
    assert web.post(f"/statements/spokespersons/{person.pk}/publish/").status_code == 302
    assert Spokesperson.objects.get().posted_at is not None
    assert "Trần Thị Phát" in Client().get("/statements/public/").content.decode()
