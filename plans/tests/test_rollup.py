"""The arithmetic: roll-up over three levels of plans, task states at their boundaries, and
DHIS2 reporting rates per unit and period."""

from __future__ import annotations

import pytest
import time_machine

from plans.selectors import plan_scorecard_extras
from plans.tests.conftest import make_plan, make_task


def at(day: str) -> time_machine.travel:
    return time_machine.travel(day, tick=False)


@pytest.fixture
def cascade(pw):
    """P's plan (targets A, C) > A's plan (targets B, C) > B's plan (targets C)."""
    w = pw.w
    with at("2026-02-10"):
        a_plan = make_plan(
            w.api(w.head_a),
            pw.directive,
            "A",
            ["B", "C"],
            parent=pw.plan,
            issued_on="2026-02-05",
            briefing_due="2026-02-20",
        )
        b_plan = make_plan(
            w.api(w.official_b),
            pw.directive,
            "B",
            ["C"],
            parent=a_plan,
            issued_on="2026-02-06",
            briefing_due="2026-02-27",
        )
        t1 = make_task(w.api(w.leader_p), pw.plan, "A", "2026-06-30", weight=1)
        t2 = make_task(w.api(w.leader_p), pw.plan, "B", "2026-02-27", weight=3)
        t3 = make_task(w.api(w.head_a), a_plan, "A", "2026-02-28", weight=2, opened_on="2026-02-10")
        t4 = make_task(
            w.api(w.official_b), b_plan, "C", "2026-03-04", weight=1, opened_on="2026-02-10"
        )
    with at("2026-02-18"):
        assert (
            w.api(w.head_c)
            .post(
                f"plans/{a_plan}/briefings", {"unit": "C", "held_on": "2026-02-18", "attendees": 30}
            )
            .status_code
            == 201
        )
        assert (
            w.api(w.head_a)
            .post(
                f"plans/{pw.plan}/briefings",
                {"unit": "A", "held_on": "2026-02-18", "attendees": 50},
            )
            .status_code
            == 201
        )
    with at("2026-02-25"):
        assert (
            w.api(w.head_b)
            .post(
                f"plans/{a_plan}/briefings", {"unit": "B", "held_on": "2026-02-23", "attendees": 20}
            )
            .status_code
            == 201
        )
        assert w.api(w.handler_a).post(f"tasks/{t1}/progress", {"progress": 50}).status_code == 201
        assert w.api(w.handler_a).post(f"tasks/{t3}/progress", {"progress": 20}).status_code == 201
        assert (
            w.api(w.head_b).post(f"tasks/{t2}/complete", {"completed_on": "2026-02-25"}).status_code
            == 200
        )
    return {"root": pw.plan, "a": a_plan, "b": b_plan, "tasks": [t1, t2, t3, t4]}


def test_rollup_over_three_levels(pw, cascade):
    with at("2026-03-02"):
        api = pw.w.api(pw.w.leader_p)
        root = api.get(f"plans/{cascade['root']}/status").json()
        assert root["tasks"] == {
            "total": 4,
            "done_on_time": 1,
            "done_late": 0,
            "in_time": 1,
            "due_soon": 1,
            "overdue": 1,
        }
        # (1x50 + 3x100 + 2x20 + 1x0) / (1 + 3 + 2 + 1) = 390 / 7
        assert root["progress"] == 55.7
        assert root["briefings"] == {
            "required": 5,
            "held": 3,
            "held_late": 1,
            "missing": ["C"],
            "missing_overdue": ["C"],
        }
        a = api.get(f"plans/{cascade['a']}/status").json()
        assert (
            a["tasks"]["total"] == 2 and a["tasks"]["overdue"] == 1 and a["tasks"]["due_soon"] == 1
        )
        assert a["progress"] == round(40 / 3, 1)
        assert a["briefings"] == {
            "required": 3,
            "held": 2,
            "held_late": 1,
            "missing": ["C"],
            "missing_overdue": ["C"],
        }
        b = api.get(f"plans/{cascade['b']}/status").json()
        assert b["progress"] == 0 and b["tasks"]["total"] == 1
        assert b["briefings"]["required"] == 1 and b["briefings"]["missing"] == ["C"]
        tree = api.get(f"plans/{cascade['root']}/tree").json()
        assert [(n["id"], n["depth"]) for n in tree] == [
            (cascade["root"], 0),
            (cascade["a"], 1),
            (cascade["b"], 2),
        ]
        assert tree[1]["status"] == a


def test_rollup_is_visible_to_target_of_child_but_not_outsider(pw, cascade):
    with at("2026-03-02"):
        assert pw.w.api(pw.w.head_c).get(f"plans/{cascade['b']}/status").status_code == 200
        assert pw.w.api(pw.official_d).get(f"plans/{cascade['b']}/status").status_code == 404


@pytest.mark.parametrize(
    ("day", "state"),
    [
        ("2026-03-06", "in_time"),
        ("2026-03-07", "due_soon"),
        ("2026-03-10", "due_soon"),
        ("2026-03-11", "overdue"),
    ],
)
def test_open_task_states_at_boundaries(pw, day, state):
    with at("2026-03-02"):
        code = make_task(pw.w.api(pw.w.leader_p), pw.plan, "A", "2026-03-10")
    with at(day):
        assert pw.w.api(pw.w.head_a).get(f"tasks/{code}").json()["state"] == state
        status = pw.w.api(pw.w.head_a).get(f"plans/{pw.plan}/status").json()
        assert status["tasks"][state] == 1


@pytest.mark.parametrize(
    ("done", "state"), [("2026-03-10", "done_on_time"), ("2026-03-11", "done_late")]
)
def test_done_states_at_boundary(pw, done, state):
    with at("2026-03-02"):
        code = make_task(pw.w.api(pw.w.leader_p), pw.plan, "A", "2026-03-10")
    with at("2026-03-20"):
        r = pw.w.api(pw.w.head_a).post(f"tasks/{code}/complete", {"completed_on": done})
        assert r.json()["state"] == state
        assert pw.w.api(pw.w.leader_p).get(f"plans/{pw.plan}/status").json()["tasks"][state] == 1


def test_briefing_on_due_date_is_not_late(pw):
    with at("2026-02-27"):
        r = pw.w.api(pw.w.head_a).post(
            f"plans/{pw.plan}/briefings", {"unit": "A", "held_on": "2026-02-27", "attendees": 3}
        )
        assert r.json()["late"] is False
    with at("2026-02-28"):
        r = pw.w.api(pw.w.head_c).post(
            f"plans/{pw.plan}/briefings", {"unit": "C", "held_on": "2026-02-28", "attendees": 3}
        )
        assert r.json()["late"] is True
        assert (
            pw.w.api(pw.w.leader_p).get(f"plans/{pw.plan}/status").json()["briefings"]["held_late"]
            == 1
        )


def test_reporting_rates_expected_received_on_time(pw):
    w = pw.w
    with at("2026-02-02"):
        code = make_task(
            w.api(w.leader_p), pw.plan, "A", "2026-12-31", ["B"], opened_on="2026-02-02"
        )
    with at("2026-03-03"):  # within the grace days: answers February
        r = w.api(w.handler_a).post(f"tasks/{code}/progress", {"progress": 10})
        assert r.json()["reports"][-1]["period"] == "2026-02"
    with at("2026-03-10"):  # March, said so
        w.api(w.handler_a).post(f"tasks/{code}/progress", {"progress": 20})
    with at("2026-05-20"):  # April, late
        w.api(w.handler_a).post(f"tasks/{code}/progress", {"progress": 30, "period": "2026-04"})
        w.api(w.official_b).post(f"tasks/{code}/progress", {"progress": 35, "period": "2026-05"})
    with at("2026-06-08"):
        rows = w.api(w.leader_p).get(f"plans/{pw.plan}/reporting").json()
        by_period = {r["period"]: r for r in rows}
        assert set(by_period) == {"2026-02", "2026-03", "2026-04", "2026-05"}
        assert all(r["unit"] == "A" and r["expected"] == 1 for r in rows)
        assert [by_period[p]["received"] for p in sorted(by_period)] == [1, 1, 1, 0]
        assert [by_period[p]["on_time"] for p in sorted(by_period)] == [1, 1, 0, 0]
        assert (
            by_period["2026-04"]["reporting_rate"] == 100.0
            and by_period["2026-04"]["on_time_rate"] == 0.0
        )
        # May's report is due 05/06: past, not received. April was late. Two late in all.
        extras = plan_scorecard_extras([w.a.id, w.b.id], __import__("datetime").date(2026, 6, 8))
        assert extras[w.a.id]["reports_late"] == 2
        assert extras[w.b.id]["reports_late"] == 0


def test_scorecard_counts_missing_briefings_after_due(pw):
    from datetime import date

    w = pw.w
    assert plan_scorecard_extras([w.a.id, w.c.id], date(2026, 2, 27)) == {
        w.a.id: {"briefings_missing": 0, "reports_late": 0},
        w.c.id: {"briefings_missing": 0, "reports_late": 0},
    }
    extras = plan_scorecard_extras([w.a.id, w.c.id], date(2026, 2, 28))
    assert extras[w.a.id]["briefings_missing"] == 1 and extras[w.c.id]["briefings_missing"] == 1
    with at("2026-03-01"):
        w.api(w.head_c).post(
            f"plans/{pw.plan}/briefings", {"unit": "C", "held_on": "2026-03-01", "attendees": 3}
        )
    assert plan_scorecard_extras([w.c.id], date(2026, 3, 2))[w.c.id]["briefings_missing"] == 0
