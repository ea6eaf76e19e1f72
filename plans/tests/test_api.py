"""Directives, plans, tasks, progress, completion and briefings through the HTTP API:
owner acts, visible-but-not-owner 403, outsider 404, bad input 422 changing nothing."""

from __future__ import annotations

import time_machine

from audit.models import AuditEvent
from matters.models import Matter, Participant
from plans.models import Briefing, Directive, Plan, ProgressReport
from plans.tests.conftest import DAY, make_plan, make_task


def at(day: str = DAY) -> time_machine.travel:
    return time_machine.travel(day, tick=False)


# --- directives ---------------------------------------------------------------------------


def test_directive_created_and_seen_by_every_official(pw):
    with at():
        r = pw.api(pw.official_d).get(f"directives/{pw.directive}")
        assert r.status_code == 200
        assert r.json()["number"] == "32-KL/TW"
        assert r.json()["issued_on"] == "2026-01-05"


def test_directive_bad_input_names_fields_and_stores_nothing(pw):
    with at():
        before = Directive.objects.count()
        r = pw.api(pw.w.handler_a).post(
            "directives", {"number": " ", "title": "x", "issued_on": "2027-01-01", "issuer": ""}
        )
        assert r.status_code == 422
        assert set(r.json()["errors"]) == {"number", "issued_on", "issuer"}
        r = pw.api(pw.w.handler_a).post(
            "directives", {"number": "1", "title": "x", "issued_on": "05/07/2018", "issuer": "BCT"}
        )
        assert r.status_code == 422 and "issued_on" in r.json()["errors"]
        assert Directive.objects.count() == before


def test_directive_duplicate_is_409_and_auditor_403(pw):
    with at():
        r = pw.api(pw.w.handler_a).post(
            "directives",
            {"number": "32-KL/TW", "title": "x", "issued_on": "2026-01-05", "issuer": "BCT"},
        )
        assert r.status_code == 409
        r = pw.api(pw.w.auditor_p).post(
            "directives",
            {"number": "1-CT/TU", "title": "x", "issued_on": "2026-01-05", "issuer": "TU"},
        )
        assert r.status_code == 403


def test_unauthenticated_is_401(pw):
    assert pw.api(None).get("directives").status_code == 401


# --- plans --------------------------------------------------------------------------------


def test_plan_visible_to_unit_targets_and_leaders_not_outsiders(pw):
    with at():
        for user in (pw.w.leader_p, pw.w.head_a, pw.w.head_c, pw.w.clerk_a):
            assert pw.api(user).get(f"plans/{pw.plan}").status_code == 200, user
        assert pw.api(pw.official_d).get(f"plans/{pw.plan}").status_code == 404
        assert pw.api(pw.w.official_b).get(f"plans/{pw.plan}/status").status_code == 404
        listed = pw.api(pw.official_d).get("plans").json()
        assert listed["count"] == 0


def test_plan_create_rules(pw):
    with at():
        api = pw.api(pw.w.head_a)
        # Only officials of the unit issue its plans.
        r = api.post(
            "plans",
            {
                "directive": pw.directive,
                "unit": "B",
                "number": "1",
                "title": "t",
                "issued_on": "2026-02-03",
                "briefing_due": "2026-02-20",
                "targets": [],
            },
        )
        assert r.status_code == 403
        # Bad references and dates: 422 naming each field.
        r = api.post(
            "plans",
            {
                "directive": 999,
                "unit": "ZZ",
                "number": "1",
                "title": "t",
                "issued_on": "2026-02-03",
                "briefing_due": "2026-02-20",
                "targets": [],
            },
        )
        assert r.status_code == 422 and set(r.json()["errors"]) == {"directive", "unit"}
        r = api.post(
            "plans",
            {
                "directive": pw.directive,
                "unit": "A",
                "number": "",
                "title": "t",
                "issued_on": "2026-02-03",
                "briefing_due": "2026-02-01",
                "targets": ["A", "XX"],
            },
        )
        assert r.status_code == 422
        assert set(r.json()["errors"]) == {"number", "briefing_due", "targets"}
        # A target unit adds a child plan; a unit that is not a target cannot (422).
        child = make_plan(api, pw.directive, "A", ["B"], parent=pw.plan, issued_on="2026-02-05")
        assert Plan.objects.get(pk=child).path == f"/{pw.plan}/{child}/"
        r = pw.api(pw.official_d).post(
            "plans",
            {
                "directive": pw.directive,
                "unit": "D",
                "number": "1",
                "title": "t",
                "issued_on": "2026-02-03",
                "briefing_due": "2026-02-20",
                "targets": [],
                "parent": pw.plan,
            },
        )
        assert r.status_code == 422 and "parent" in r.json()["errors"]  # D cannot see the plan
        # B is a target of A's child plan, so it may add a plan below that one.
        grandchild = make_plan(
            pw.api(pw.w.official_b), pw.directive, "B", [], parent=child, issued_on="2026-02-06"
        )
        assert Plan.objects.get(pk=grandchild).depth == 2
        assert Plan.objects.count() == 3


def test_child_plan_of_non_target_unit_is_422(pw):
    with at():
        # B cooperates on a task of the plan, so it sees the plan, but it is not a target.
        make_task(pw.api(pw.w.leader_p), pw.plan, "A", "2026-04-30", ["B"])
        r = pw.api(pw.w.official_b).post(
            "plans",
            {
                "directive": pw.directive,
                "unit": "B",
                "number": "1",
                "title": "t",
                "issued_on": "2026-02-06",
                "briefing_due": "2026-02-20",
                "targets": [],
                "parent": pw.plan,
            },
        )
        assert r.status_code == 422
        assert r.json()["errors"] == {"unit": f"B không phải đơn vị thực hiện Kế hoạch {pw.plan}"}
        assert Plan.objects.count() == 1


# --- tasks --------------------------------------------------------------------------------


def test_task_is_matter_owned_by_lead_with_participants(pw):
    with at():
        code = make_task(
            pw.api(pw.w.leader_p), pw.plan, "A", "2026-04-30", ["B"], reporting="monthly"
        )
        matter = Matter.objects.get(code=code)
        assert matter.kind == "task" and matter.owner.code == "A"
        roles = dict(Participant.objects.filter(matter=matter).values_list("unit__code", "role"))
        assert roles == {"B": "cooperating", "P": "overseeing"}
        body = pw.api(pw.w.clerk_a).get(f"tasks/{code}").json()
        assert body["kind"] == "task" and body["owner"] == "A" and body["cooperating"] == ["B"]
        assert body["state"] == "in_time" and body["due_on"] == "2026-04-30"
        assert AuditEvent.objects.filter(action="task.create", matter=code).count() == 1


def test_task_create_access_and_bad_input(pw):
    with at():
        body = {
            "title": "x",
            "lead": "A",
            "cooperating": [],
            "due_on": "2026-04-30",
            "area": "33",
            "category": "land",
        }
        assert (
            pw.api(pw.w.head_a).post(f"plans/{pw.plan}/tasks", body).status_code == 403
        )  # target, not plan unit
        assert pw.api(pw.official_d).post(f"plans/{pw.plan}/tasks", body).status_code == 404
        assert pw.api(pw.w.auditor_p).post(f"plans/{pw.plan}/tasks", body).status_code == 403
        bad = {
            "title": "",
            "lead": "QQ",
            "cooperating": ["ZZ"],
            "due_on": "2026-01-01",
            "area": "99999",
            "category": "nope",
            "opened_on": "2026-02-10",
        }
        r = pw.api(pw.w.leader_p).post(f"plans/{pw.plan}/tasks", bad)
        assert r.status_code == 422
        assert set(r.json()["errors"]) == {
            "title",
            "lead",
            "cooperating",
            "due_on",
            "area",
            "category",
        }
        r = pw.api(pw.w.leader_p).post(f"plans/{pw.plan}/tasks", {**body, "cooperating": ["A"]})
        assert r.status_code == 422 and "cooperating" in r.json()["errors"]
        r = pw.api(pw.w.leader_p).post(f"plans/{pw.plan}/tasks", {**body, "reporting": "daily"})
        assert r.status_code == 422 and "reporting" in r.json()["errors"]
        assert not Matter.objects.filter(kind="task").exists()


def test_progress_by_lead_and_cooperating_units_only(pw):
    with at():
        code = make_task(pw.api(pw.w.leader_p), pw.plan, "A", "2026-04-30", ["B"])
        r = pw.api(pw.w.handler_a).post(
            f"tasks/{code}/progress",
            {"progress": 40, "note": "Đã họp", "reported_on": "2026-03-02"},
        )
        assert r.status_code == 201, r.content
        assert r.json()["progress"] == 40 and r.json()["status"] == "in_progress"
        r = pw.api(pw.w.official_b).post(
            f"tasks/{code}/progress", {"progress": 60, "reported_on": "2026-03-02"}
        )
        assert r.status_code == 201
        # The cooperating unit's report is kept but the lead's figure stands.
        assert r.json()["progress"] == 40 and len(r.json()["reports"]) == 2
        assert (
            pw.api(pw.w.leader_p).post(f"tasks/{code}/progress", {"progress": 50}).status_code
            == 403
        )
        assert (
            pw.api(pw.w.auditor_p).post(f"tasks/{code}/progress", {"progress": 50}).status_code
            == 403
        )
        assert (
            pw.api(pw.w.head_c).post(f"tasks/{code}/progress", {"progress": 50}).status_code == 404
        )
        assert pw.api(pw.official_d).get(f"tasks/{code}").status_code == 404
        assert ProgressReport.objects.count() == 2


def test_progress_bad_input_changes_nothing(pw):
    with at():
        code = make_task(pw.api(pw.w.leader_p), pw.plan, "A", "2026-04-30")
        api = pw.api(pw.w.handler_a)
        for body, field in [
            ({"progress": 101}, "progress"),
            ({"progress": -1}, "progress"),
            ({"progress": "half"}, "progress"),
            ({"progress": 10, "reported_on": "2026-03-03"}, "reported_on"),  # tomorrow
            ({"progress": 10, "reported_on": "2026-01-01"}, "reported_on"),  # before the task
            ({"progress": 10, "period": "2026-13"}, "period"),
            ({"progress": 10, "period": "2026-Q1"}, "period"),  # monthly duty
        ]:
            r = api.post(f"tasks/{code}/progress", body)
            assert r.status_code == 422, body
            assert field in r.json()["errors"], (body, r.json())
        assert ProgressReport.objects.count() == 0
        assert Matter.objects.get(code=code).status == "assigned"


def test_complete_by_lead_only_and_states(pw):
    with at():
        api = pw.api(pw.w.leader_p)
        early = make_task(api, pw.plan, "A", "2026-02-27", ["B"])
        late = make_task(api, pw.plan, "A", "2026-02-20")
        assert pw.api(pw.w.official_b).post(f"tasks/{early}/complete", {}).status_code == 403
        assert pw.api(pw.w.leader_p).post(f"tasks/{early}/complete", {}).status_code == 403
        assert pw.api(pw.official_d).post(f"tasks/{early}/complete", {}).status_code == 404
        r = pw.api(pw.w.head_a).post(
            f"tasks/{early}/complete", {"completed_on": "2026-02-27", "note": "Xong"}
        )
        assert r.status_code == 200 and r.json()["state"] == "done_on_time"
        assert r.json()["progress"] == 100 and r.json()["completed_on"] == "2026-02-27"
        r = pw.api(pw.w.head_a).post(f"tasks/{late}/complete", {"completed_on": "2026-02-21"})
        assert r.json()["state"] == "done_late"
        assert pw.api(pw.w.head_a).post(f"tasks/{late}/complete", {}).status_code == 409
        assert (
            pw.api(pw.w.head_a).post(f"tasks/{late}/progress", {"progress": 5}).status_code == 409
        )
        r = pw.api(pw.w.head_a).post(f"tasks/{early}/complete", {"completed_on": "2026-03-01"})
        assert r.status_code == 409


def test_stale_version_is_409(pw):
    with at():
        code = make_task(pw.api(pw.w.leader_p), pw.plan, "A", "2026-04-30")
        version = pw.api(pw.w.handler_a).get(f"tasks/{code}").json()["version"]
        assert (
            pw.api(pw.w.handler_a)
            .post(f"tasks/{code}/progress", {"progress": 10, "version": version})
            .status_code
            == 201
        )
        r = pw.api(pw.w.head_a).post(f"tasks/{code}/progress", {"progress": 20, "version": version})
        assert r.status_code == 409
        assert ProgressReport.objects.count() == 1


# --- briefings ----------------------------------------------------------------------------


def test_briefing_by_official_of_target_unit(pw):
    with at():
        r = pw.api(pw.w.head_c).post(
            f"plans/{pw.plan}/briefings",
            {
                "unit": "C",
                "held_on": "2026-02-20",
                "attendees": 85,
                "chair": "Bí thư Đảng ủy xã",
                "minutes": "Biên bản",
            },
        )
        assert r.status_code == 201, r.content
        assert r.json()["late"] is False and r.json()["attendees"] == 85
        # An official of another target unit cannot record C's briefing; nor the plan's unit.
        body = {"unit": "A", "held_on": "2026-02-20", "attendees": 10}
        assert pw.api(pw.w.head_c).post(f"plans/{pw.plan}/briefings", body).status_code == 403
        assert pw.api(pw.w.leader_p).post(f"plans/{pw.plan}/briefings", body).status_code == 403
        assert pw.api(pw.official_d).post(f"plans/{pw.plan}/briefings", body).status_code == 404
        # A unit that is not a target: 422.
        r = pw.api(pw.w.official_b).post(
            f"plans/{pw.plan}/briefings", {"unit": "B", "held_on": "2026-02-20", "attendees": 9}
        )
        assert r.status_code in (404, 422)
        # In the language asked for (English here), Vietnamese by default.
        r = pw.api(pw.w.head_a).post(
            f"plans/{pw.plan}/briefings",
            {"unit": "B", "held_on": "2026-02-20", "attendees": 9},
            headers={"Accept-Language": "en"},
        )
        assert r.status_code == 422 and r.json()["errors"] == {
            "unit": "B is not a target unit of plan KH-P"
        }
        # Twice: 409.
        r = pw.api(pw.w.head_c).post(
            f"plans/{pw.plan}/briefings", {"unit": "C", "held_on": "2026-02-21", "attendees": 5}
        )
        assert r.status_code == 409
        assert Briefing.objects.count() == 1


def test_briefing_bad_input(pw):
    with at():
        api = pw.api(pw.w.head_a)
        for body, field in [
            ({"unit": "A", "held_on": "2026-03-05", "attendees": 10}, "held_on"),
            ({"unit": "A", "held_on": "2026-01-05", "attendees": 10}, "held_on"),
            ({"unit": "A", "held_on": "2026-02-20", "attendees": 0}, "attendees"),
            ({"unit": "A", "held_on": "2026-02-20", "attendees": "many"}, "attendees"),
            ({"unit": "ZZ", "held_on": "2026-02-20", "attendees": 3}, "unit"),
        ]:
            r = api.post(f"plans/{pw.plan}/briefings", body)
            assert r.status_code == 422, body
            assert field in r.json()["errors"]
        assert Briefing.objects.count() == 0


def test_status_counts_and_late_briefing(pw):
    with at("2026-03-02"):
        api = pw.api(pw.w.leader_p)
        make_task(api, pw.plan, "A", "2026-02-27")  # overdue
        make_task(api, pw.plan, "A", "2026-03-04")  # due soon
        make_task(api, pw.plan, "B", "2026-06-30")  # in time
        pw.api(pw.w.head_a).post(
            f"plans/{pw.plan}/briefings", {"unit": "A", "held_on": "2026-03-02", "attendees": 40}
        )
        status = pw.api(pw.w.head_c).get(f"plans/{pw.plan}/status").json()
        assert status["tasks"] == {
            "total": 3,
            "done_on_time": 0,
            "done_late": 0,
            "in_time": 1,
            "due_soon": 1,
            "overdue": 1,
        }
        assert status["briefings"]["required"] == 2
        assert status["briefings"]["held"] == 1 and status["briefings"]["held_late"] == 1
        assert status["briefings"]["missing"] == ["C"]
        assert status["progress"] == 0
