"""A receipt date far back is confirmed before the petition is saved: it would be overdue at
once (issue 14 item 4). The web form asks with a box, the API refuses without
``confirm_date``."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from matters.models import Matter
from petitions.tests.helpers import body, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def _form(world: Any, received_on: str, **extra: str) -> dict[str, str]:
    return {
        "kind": "complaint",
        "channel": "post",
        "received_on": received_on,
        "area": world.commune.code,
        "category": "land",
        "summary": "Khiếu nại quyết định thu hồi đất",
        "signers": "1",
        "p-TOTAL_FORMS": "1",
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "20",
        "p-0-full_name": "Nguyễn Văn An",
        "p-0-id_number": "034080001234",
        **extra,
    }


def test_the_api_refuses_an_old_receipt_date_unless_confirmed(world: Any) -> None:
    api = world.api(world.clerk_a)
    with travel():
        before = Matter.objects.count()
        refused = api.post("petitions", body(world, received_on="2027-01-20", confirm_date=False))
        assert refused.status_code == 422
        assert "received_on" in refused.json()["errors"]
        assert "54" in refused.json()["errors"]["received_on"]
        assert Matter.objects.count() == before
        unsaid = {k: v for k, v in body(world, received_on="2027-01-20").items()}
        del unsaid["confirm_date"]
        assert api.post("petitions", unsaid).status_code == 422
        recent = api.post("petitions", body(world, received_on="2027-02-20", confirm_date=False))
        assert recent.status_code == 201, recent.content
        meant = api.post("petitions", body(world, received_on="2027-01-20", confirm_date=True))
        assert meant.status_code == 201, meant.content


def test_the_form_asks_to_confirm_an_old_receipt_date(world: Any) -> None:
    client = Client()
    with travel():
        client.force_login(world.clerk_a)
        asked = client.post("/petitions/new/", _form(world, "20/01/2027"))
        html = asked.content.decode()
        assert asked.status_code == 200
        assert 'name="confirm_date"' in html and "54 ngày trước" in html
        assert not Matter.objects.filter(kind="petition").exists()
        saved = client.post("/petitions/new/", _form(world, "20/01/2027", confirm_date="on"))
        assert saved.status_code == 302
        assert Matter.objects.filter(kind="petition").count() == 1
        # A recent date goes through without a question, and the box is not shown.
        fresh = client.get("/petitions/new/").content.decode()
        assert 'name="confirm_date"' not in fresh
