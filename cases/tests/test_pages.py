"""The case pages: list, opening form, timeline by htmx, settlement; who may use them."""

from __future__ import annotations

import time_machine
from django.test import Client

from cases.models import Case, CaseAction

DAY = "2026-03-02"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


FORM = {
    "title": "Tranh chấp đất đai",
    "area": "33",
    "category": "land",
    "lead": "A",
    "coordinating": ["B"],
    "risk": "high",
    "participants": "12",
    "opened_on": "01/03/2026",
    "due_on": "30/04/2026",
    "petitions": "",
    "summary": "Hai hộ tranh chấp ranh giới",
}


def test_open_case_form(world):
    with time_machine.travel(DAY, tick=False):
        assert browser(world.auditor_p).get("/cases/new/").status_code == 403
        r = browser(world.head_a).post("/cases/new/", {**FORM, "participants": "Nguyễn Văn A"})
        assert r.status_code == 422 and not Case.objects.exists()
        r = browser(world.head_a).post("/cases/new/", {**FORM, "petitions": "D2026-33-999999"})
        assert r.status_code == 422 and "D2026-33-999999" in r.content.decode()
        r = browser(world.head_a).post("/cases/new/", FORM)
        assert r.status_code == 302
        case = Case.objects.get()
        assert case.people == 12 and str(case.matter.due_on) == "2026-04-30"


def test_case_pages_by_persona(world):
    with time_machine.travel(DAY, tick=False):
        browser(world.head_a).post("/cases/new/", FORM)
        code = Case.objects.get().matter.code
        assert browser(world.official_b).get("/cases/").status_code == 200
        assert code in browser(world.official_b).get("/cases/?risk=high").content.decode()
        assert browser(world.head_c).get(f"/cases/{code}/").status_code == 404
        r = browser(world.official_b).post(
            f"/cases/{code}/actions/",
            {"on": "02/03/2026", "note": "Tuần tra"},
            headers={"HX-Request": "true"},
        )
        assert r.status_code == 200 and "Tuần tra" in r.content.decode()
        assert (
            browser(world.leader_p)
            .post(f"/cases/{code}/actions/", {"on": "02/03/2026", "note": "x"})
            .status_code
            == 403
        )
        assert (
            browser(world.official_b)
            .post(f"/cases/{code}/settle/", {"settled_on": "02/03/2026", "outcome": "x"})
            .status_code
            == 403
        )
        r = browser(world.head_a).post(
            f"/cases/{code}/settle/", {"settled_on": "02/03/2026", "outcome": ""}
        )
        assert r.status_code == 422
        r = browser(world.head_a).post(
            f"/cases/{code}/settle/", {"settled_on": "02/03/2026", "outcome": "Hòa giải thành"}
        )
        assert r.status_code == 302
        assert CaseAction.objects.count() == 1 and Case.objects.get().settled_on is not None
