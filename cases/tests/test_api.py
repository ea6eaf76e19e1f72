"""Cases through the HTTP API: the lead and coordinating units act, units above see but
do not act (403), outsiders get 404, bad input 422 changing nothing."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import transaction

from audit.models import AuditEvent
from cases.models import Case, CaseAction
from matters.models import Category, Matter, Participant
from matters.services import matter_new

DAY = "2026-03-02"


def at(day: str = DAY) -> time_machine.travel:
    return time_machine.travel(day, tick=False)


def petition(owner, area) -> str:
    with transaction.atomic():
        m = matter_new(
            kind="petition",
            title="Đơn về đất",
            area=area,
            category=Category.objects.get(code="land"),
            owner=owner,
            opened_on=date(2026, 2, 1),
            status="received",
        )
    return m.code


def body(**extra):
    return {
        "title": "Tranh chấp đất đai tại thôn Đông",
        "area": "33",
        "category": "land",
        "lead": "A",
        "coordinating": ["B"],
        "risk": "high",
        "opened_on": "2026-02-10",
        "due_on": "2026-04-10",
        "participants": 35,
        **extra,
    }


@pytest.fixture
def case_code(world):
    with at():
        r = world.api(world.head_a).post(
            "cases", body(petitions=[petition(world.a, world.commune)])
        )
        assert r.status_code == 201, r.content
        return r.json()["code"]


def test_open_case(world, case_code):
    with at():
        data = world.api(world.clerk_a).get(f"cases/{case_code}").json()
        assert data["kind"] == "case" and data["owner"] == "A" and data["lead"] == "A"
        assert (
            data["coordinating"] == ["B"] and data["risk"] == "high" and data["participants"] == 35
        )
        assert (
            len(data["petitions"]) == 1 and data["state"] == "in_time" and data["status"] == "open"
        )
        roles = dict(
            Participant.objects.filter(matter__code=case_code).values_list("unit__code", "role")
        )
        assert roles == {"B": "coordinating"}
        assert AuditEvent.objects.filter(action="case.open", matter=case_code).exists()


def test_case_visibility(world, case_code):
    with at():
        assert world.api(world.official_b).get(f"cases/{case_code}").status_code == 200
        assert world.api(world.leader_p).get(f"cases/{case_code}").status_code == 200
        assert world.api(world.head_c).get(f"cases/{case_code}").status_code == 404
        assert world.api(world.head_c).get("cases").json()["count"] == 0
        assert world.api(world.official_b).get("cases", risk="high").json()["count"] == 1


def test_open_case_access(world):
    with at():
        assert (
            world.api(world.head_a).post("cases", body(lead="B", coordinating=[])).status_code
            == 403
        )
        assert world.api(world.auditor_p).post("cases", body()).status_code == 403
        # A leader of the province opens a case for a unit below it.
        assert (
            world.api(world.leader_p).post("cases", body(lead="C", coordinating=["A"])).status_code
            == 201
        )


def test_open_case_bad_input_changes_nothing(world):
    with at():
        hidden = petition(world.c, world.commune)  # A cannot see C's petition
        bad = body(
            title=" ",
            area="00000",
            category="gossip",
            coordinating=["ZZ"],
            risk="high",
            opened_on="2026-03-05",
            due_on="2026-03-01",
            participants=-1,
            petitions=[hidden, "D2026-X"],
        )
        r = world.api(world.head_a).post("cases", bad)
        assert r.status_code == 422
        assert set(r.json()["errors"]) == {
            "title",
            "area",
            "category",
            "coordinating",
            "opened_on",
            "due_on",
            "participants",
            "petitions",
        }
        assert hidden in r.json()["errors"]["petitions"]
        r = world.api(world.head_a).post("cases", body(risk="extreme"))
        assert r.status_code == 422 and "risk" in r.json()["errors"]
        # A list of names where a count belongs is refused.
        r = world.api(world.head_a).post("cases", body(participants=["Nguyễn Văn A", "Trần Văn B"]))
        assert r.status_code == 422 and "participants" in r.json()["errors"]
        r = world.api(world.head_a).post("cases", body(lead="ZZ"))
        assert r.status_code == 422 and "lead" in r.json()["errors"]
        r = world.api(world.head_a).post("cases", body(coordinating=["A"]))
        assert r.status_code == 422 and "coordinating" in r.json()["errors"]
        assert not Matter.objects.filter(kind="case").exists() and not Case.objects.exists()


def test_case_has_no_field_for_people():
    names = {f.name for f in Case._meta.get_fields()} | {
        f.name for f in CaseAction._meta.get_fields()
    }
    for word in (
        "name",
        "full_name",
        "id_number",
        "address",
        "phone",
        "instigator",
        "person",
        "suspect",
    ):
        assert not any(word in n for n in names), names


def test_actions_by_involved_units(world, case_code):
    with at():
        r = world.api(world.handler_a).post(
            f"cases/{case_code}/actions", {"on": "2026-02-12", "note": "Đối thoại với các hộ dân"}
        )
        assert r.status_code == 201, r.content
        r = world.api(world.official_b).post(
            f"cases/{case_code}/actions",
            {"on": "2026-02-15", "note": "Bảo đảm trật tự buổi đối thoại"},
        )
        assert r.status_code == 201
        assert [(a["unit"], a["on"]) for a in r.json()["actions"]] == [
            ("A", "2026-02-12"),
            ("B", "2026-02-15"),
        ]
        assert (
            world.api(world.leader_p).post(f"cases/{case_code}/actions", {"note": "x"}).status_code
            == 403
        )
        assert (
            world.api(world.head_c).post(f"cases/{case_code}/actions", {"note": "x"}).status_code
            == 404
        )
        for payload, field in [
            ({"note": ""}, "note"),
            ({"note": "x", "on": "2026-03-03"}, "on"),
            ({"note": "x", "on": "2026-01-01"}, "on"),
            ({"note": "x", "on": "3/2/2026"}, "on"),
        ]:
            r = world.api(world.handler_a).post(f"cases/{case_code}/actions", payload)
            assert r.status_code == 422 and field in r.json()["errors"], payload
        assert CaseAction.objects.count() == 2


def test_settle_by_lead_only(world, case_code):
    with at():
        assert (
            world.api(world.official_b)
            .post(f"cases/{case_code}/settle", {"outcome": "x"})
            .status_code
            == 403
        )
        assert (
            world.api(world.leader_p)
            .post(f"cases/{case_code}/settle", {"outcome": "x"})
            .status_code
            == 403
        )
        assert (
            world.api(world.head_c).post(f"cases/{case_code}/settle", {"outcome": "x"}).status_code
            == 404
        )
        r = world.api(world.head_a).post(
            f"cases/{case_code}/settle", {"settled_on": "2026-03-01", "outcome": ""}
        )
        assert r.status_code == 422 and "outcome" in r.json()["errors"]
        r = world.api(world.head_a).post(
            f"cases/{case_code}/settle", {"settled_on": "2026-03-01", "outcome": "Hòa giải thành"}
        )
        assert r.status_code == 200
        assert r.json()["state"] == "done_on_time" and r.json()["status"] == "settled"
        assert (
            world.api(world.head_a)
            .post(f"cases/{case_code}/settle", {"outcome": "again"})
            .status_code
            == 409
        )
        assert (
            world.api(world.head_a).post(f"cases/{case_code}/actions", {"note": "x"}).status_code
            == 409
        )


@pytest.mark.parametrize(
    ("day", "state"), [("2026-04-10", "done_on_time"), ("2026-04-11", "done_late")]
)
def test_settled_late_or_on_time(world, case_code, day, state):
    with at("2026-05-01"):
        r = world.api(world.head_a).post(
            f"cases/{case_code}/settle", {"settled_on": day, "outcome": "Xong"}
        )
        assert r.json()["state"] == state
        assert world.api(world.head_a).get("cases", state=state).json()["count"] == 1


def test_case_states_open(world, case_code):
    with at("2026-04-07"):
        assert world.api(world.head_a).get(f"cases/{case_code}").json()["state"] == "due_soon"
    with at("2026-04-11"):
        assert world.api(world.head_a).get(f"cases/{case_code}").json()["state"] == "overdue"
