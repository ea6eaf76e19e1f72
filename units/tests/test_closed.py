"""Closed units (issue 16): a unit abolished or merged is kept closed with its successor;
its matters show the successor; its open matters are handed over in one audited step."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEvent
from matters.models import Handoff, Matter
from notifications.models import Notification
from petitions.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

BASIS = "Nghị quyết số 202/2025/QH15"


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def close_b(world: Any) -> None:
    response = world.api(world.admin).post(
        "units/B/close", {"successor": "A", "closed_on": "2027-03-10"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["is_active"], body["successor"], body["closed_on"]) == (False, "A", "2027-03-10")


def test_only_administrators_close_units_and_the_successor_must_be_in_force(world: Any) -> None:
    api = world.api(world.head_a)
    assert (
        api.post("units/B/close", {"successor": "A", "closed_on": "2027-03-10"}).status_code == 403
    )
    admin = world.api(world.admin)
    bad = admin.post("units/B/close", {"successor": "ZZ", "closed_on": "2027-03-10"})
    assert bad.status_code == 422 and "successor" in bad.json()["detail"]
    close_b(world)
    assert AuditEvent.objects.filter(action="unit.close", unit="B").exists()
    again = admin.post("units/B/close", {"successor": "A", "closed_on": "2027-03-11"})
    assert again.status_code == 422


def test_a_matter_of_a_closed_unit_shows_its_successor(world: Any) -> None:
    code = file(world, user=world.official_b)["code"]
    assert world.api(world.leader_p).get(f"petitions/{code}").json()["owner_successor"] is None
    close_b(world)
    body = world.api(world.leader_p).get(f"petitions/{code}").json()
    assert (body["owner"], body["owner_successor"]) == ("B", "A")


def test_open_matters_of_closed_units_are_listed_for_the_successor(world: Any) -> None:
    codes = sorted(
        file(world, user=world.official_b, summary=f"Đơn số {i}")["code"] for i in range(2)
    )
    close_b(world)
    rows = world.api(world.head_a).get("units/closed/matters").json()
    assert rows == [
        {
            "unit": "B",
            "name": "Sở B",
            "closed_on": "2027-03-10",
            "successor": "A",
            "open": 2,
            "matters": codes,
        }
    ]
    assert world.api(world.admin).get("units/closed/matters").json() == rows
    assert world.api(world.head_c).get("units/closed/matters").json() == []
    assert world.api(world.clerk_a).get("units/closed/matters").json() == []


def test_handover_in_one_step(world: Any) -> None:
    codes = sorted(
        file(world, user=world.official_b, summary=f"Đơn số {i}")["code"] for i in range(3)
    )
    due = dict(Matter.objects.values_list("code", "due_on"))
    close_b(world)
    api = world.api(world.head_a)
    refused = api.post("units/B/handover", {"legal_basis": " "})
    assert refused.status_code == 422 and "legal_basis" in refused.json()["detail"]
    assert set(Matter.objects.values_list("owner__code", flat=True)) == {"B"}
    assert (
        world.api(world.official_b).post("units/B/handover", {"legal_basis": BASIS}).status_code
        == 403
    )
    assert (
        world.api(world.head_c).post("units/B/handover", {"legal_basis": BASIS}).status_code == 404
    )
    response = api.post("units/B/handover", {"legal_basis": BASIS})
    assert response.status_code == 200, response.content
    assert response.json() == {"unit": "B", "to": "A", "moved": codes}
    for matter in Matter.objects.filter(code__in=codes):
        assert matter.owner.code == "A" and matter.due_on == due[matter.code]
        assert matter.bounces == 0
    handoffs = Handoff.objects.filter(matter__code__in=codes)
    assert handoffs.count() == 3 and not handoffs.filter(is_bounce=True).exists()
    assert {h.legal_basis for h in handoffs} == {BASIS}
    assert AuditEvent.objects.filter(action="matter.transfer", matter__in=codes).count() == 3
    assert AuditEvent.objects.filter(action="unit.handover", unit="B").exists()
    assert Notification.objects.filter(user=world.head_a, kind="unit.handover").exists()
    assert world.api(world.head_a).get("units/closed/matters").json() == []


def test_handover_page(world: Any) -> None:
    code = file(world, user=world.official_b)["code"]
    close_b(world)
    client = Client()
    client.force_login(world.head_a)
    page = client.get("/units/closed/").content.decode()
    assert code in page and "Sở B" in page
    response = client.post("/units/closed/", {"unit": "B", "legal_basis": BASIS})
    assert response.status_code == 302
    assert Matter.objects.get(code=code).owner.code == "A"
    outsider = Client()
    outsider.force_login(world.head_c)
    assert outsider.post("/units/closed/", {"unit": "B", "legal_basis": BASIS}).status_code == 404
