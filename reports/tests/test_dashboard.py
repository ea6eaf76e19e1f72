"""The dashboard: its pre-aggregated counts agree with the matter table, follow changes,
and answer only those who oversee the unit."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db.models import Count, Q
from django.test import Client
from django.utils.timezone import now as django_now

from conftest import make_official
from matters.models import Handoff, Matter
from matters.selectors import state_q
from reports.dashboard import dashboard_refresh
from reports.models import DashSnapshot
from reports.synthetic import synthetic_matters
from reports.tests.helpers import make_matter
from units.models import Unit

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 11)  # a Wednesday


def seed(world: Any) -> None:
    """A mix of states in A, B and C around DAY."""
    d = DAY
    make_matter(world.a, opened_on=d - timedelta(days=40), due_on=d - timedelta(days=5))  # overdue
    make_matter(
        world.a,
        kind="task",
        opened_on=d - timedelta(days=10),
        due_on=d + timedelta(days=2),
        category="housing",
    )  # due soon
    make_matter(world.a, opened_on=d - timedelta(days=3), due_on=d + timedelta(days=30))  # in time
    make_matter(
        world.b,
        opened_on=d - timedelta(days=60),
        due_on=d - timedelta(days=20),
        closed_on=d - timedelta(days=10),
    )  # done late
    make_matter(
        world.b,
        opened_on=d - timedelta(days=20),
        due_on=d + timedelta(days=9),
        closed_on=d - timedelta(days=1),
    )  # done on time
    make_matter(
        world.c,
        kind="case",
        opened_on=d - timedelta(days=15),
        due_on=d - timedelta(days=1),
        area=world.commune,
        category="environment",
    )  # overdue
    make_matter(
        world.c, kind="case", opened_on=d - timedelta(days=100), due_on=None, area=world.commune
    )


def live_totals(units: list[int], day: date, **filters: Any) -> dict[str, int]:
    qs = Matter.objects.filter(owner_id__in=units, **filters)
    return qs.aggregate(
        open=Count("id", filter=Q(is_open=True)),
        **{
            s: Count("id", filter=state_q(s, day))
            for s in ("overdue", "due_soon", "done_on_time", "done_late")
        },
    )


@time_machine.travel(DAY, tick=False)
def test_counts_agree_with_the_matter_table(world: Any) -> None:
    seed(world)
    data = world.api(world.leader_p).get("reports/dashboard").json()
    units = list(Unit.objects.values_list("id", flat=True))
    expected = live_totals(units, DAY)
    assert {k: data["totals"][k] for k in expected} == expected
    assert expected == {"open": 5, "overdue": 2, "due_soon": 1, "done_on_time": 1, "done_late": 1}
    assert data["totals"]["in_time"] == 2
    by_kind = {r["kind"]: (r["open"], r["overdue"], r["due_soon"]) for r in data["by_kind"]}
    assert by_kind == {"petition": (2, 1, 0), "task": (1, 0, 1), "case": (2, 1, 0)}
    # Units below P, worst first: A and C have one overdue each, A also one due soon.
    assert [r["unit"] for r in data["scorecards"]] == ["A", "C", "B"]
    b = data["scorecards"][2]
    assert (b["open"], b["done_on_time"], b["done_late"], b["on_time_rate"]) == (0, 1, 1, 50)
    # The commune appears with its coordinates (filled from vietnamadminunits).
    commune = next(r for r in data["by_area"] if r["area"] == world.commune.code)
    assert commune["open"] == 2 and commune["overdue"] == 1
    assert commune["lat"] is not None and 20 < commune["lat"] < 21.5
    # Received per week over the last 13 weeks: all but the 100-day-old case.
    assert data["trend"]["grain"] == "w" and len(data["trend"]["labels"]) == 13
    assert data["period"]["received"] == 6
    assert data["period"]["done_on_time"] == 1 and data["period"]["done_late"] == 1


@time_machine.travel(DAY, tick=False)
def test_a_suspended_clock_counts_in_time_not_overdue(world: Any) -> None:
    seed(world)
    stopped = make_matter(
        world.a, opened_on=DAY - timedelta(days=50), due_on=DAY - timedelta(days=8)
    )
    Matter.objects.filter(pk=stopped.pk).update(
        status="suspended", suspended_on=DAY - timedelta(days=20)
    )
    data = world.api(world.leader_p).get("reports/dashboard").json()
    units = list(Unit.objects.values_list("id", flat=True))
    assert {k: data["totals"][k] for k in ("open", "overdue")} == {"open": 6, "overdue": 2}
    assert data["totals"]["in_time"] == 3
    expected = live_totals(units, DAY)
    assert {k: data["totals"][k] for k in expected} == expected


@time_machine.travel(DAY, tick=False)
def test_filters_by_unit_kind_and_category(world: Any) -> None:
    seed(world)
    api = world.api(world.leader_p)
    tasks = api.get("reports/dashboard", kind="task").json()
    assert tasks["totals"]["open"] == 1 and tasks["totals"]["due_soon"] == 1
    env = api.get("reports/dashboard", category="environment").json()
    assert env["totals"]["open"] == 1 and env["totals"]["overdue"] == 1
    unit_a = api.get("reports/dashboard", unit="A").json()
    assert unit_a["unit"]["code"] == "A" and unit_a["totals"]["open"] == 3
    assert unit_a["scorecards"] == []
    monthly = api.get("reports/dashboard", period="12m").json()
    assert monthly["trend"]["grain"] == "m" and len(monthly["trend"]["labels"]) == 12
    assert monthly["period"]["received"] == 7
    this_year = api.get("reports/dashboard", period="year").json()
    assert this_year["trend"]["labels"] == ["01/2026", "02/2026", "03/2026"]


@time_machine.travel(DAY, tick=False)
def test_changes_show_once_audited_and_a_new_day_recounts(world: Any, settings: Any) -> None:
    seed(world)
    api = world.api(world.leader_p)
    assert api.get("reports/dashboard").json()["totals"]["open"] == 5
    make_matter(world.b, opened_on=DAY, due_on=DAY + timedelta(days=1))
    assert api.get("reports/dashboard").json()["totals"]["open"] == 6
    # Within the refresh interval the snapshot is kept (a job would be claimed later).
    settings.DASHBOARD_REFRESH_SECONDS = 3600
    make_matter(world.b, opened_on=DAY, due_on=DAY + timedelta(days=1))
    assert api.get("reports/dashboard").json()["totals"]["open"] == 6
    # The next day the states are recounted whatever the interval: due soon became overdue.
    with time_machine.travel(DAY + timedelta(days=6), tick=False):
        data = api.get("reports/dashboard").json()
        assert data["as_of"] == (DAY + timedelta(days=6)).isoformat()
        assert data["totals"]["open"] == 7
        assert data["totals"]["overdue"] == 5


@time_machine.travel(DAY, tick=False)
def test_bounces_are_counted_for_the_unit_that_sent_them(world: Any) -> None:
    m = make_matter(world.a, opened_on=DAY, due_on=DAY + timedelta(days=10))
    Handoff.objects.create(
        matter=m,
        kind="transfer",
        from_unit=world.a,
        to_unit=world.b,
        reason="r",
        legal_basis="x",
        is_bounce=True,
    )
    dashboard_refresh(DAY)
    rows = {
        r["unit"]: r
        for r in world.api(world.leader_p).get("reports/dashboard").json()["scorecards"]
    }
    assert rows["A"]["bounces_sent"] == 1 and rows["B"]["bounces_sent"] == 0


@time_machine.travel(DAY, tick=False)
def test_access_owner_403_404_and_bad_filters(world: Any) -> None:
    seed(world)
    assert world.api(world.head_a).get("reports/dashboard").json()["unit"]["code"] == "A"
    assert (
        world.api(world.clerk_a).get("reports/dashboard").status_code == 200
    )  # A has no units below
    assert world.api(world.auditor_p).get("reports/dashboard", unit="P").status_code == 200
    # P is visible to its clerk but the dashboard covers A, B and C, which the clerk does not see.
    clerk_p = make_official("clerk_p", world.p, ["clerk"])
    forbidden = world.api(clerk_p).get("reports/dashboard")
    assert forbidden.status_code == 403 and "detail" in forbidden.json()
    assert world.api(world.head_b).get("reports/dashboard", unit="A").status_code == 404
    assert world.api(world.head_a).get("reports/dashboard", unit="P").status_code == 404
    assert world.api(None).get("reports/dashboard").status_code == 401
    for params, field in (
        ({"period": "7d"}, "period"),
        ({"kind": "poem"}, "kind"),
        ({"category": "nope"}, "category"),
        ({"unit": "a b;"}, "unit"),
    ):
        r = world.api(world.leader_p).get("reports/dashboard", **params)
        assert r.status_code == 422 and field in r.json()["errors"], (params, r.content)


@time_machine.travel(DAY, tick=False)
def test_the_page_has_no_inline_script_and_htmx_gets_the_partial(world: Any) -> None:
    seed(world)
    client = Client()
    client.force_login(world.leader_p)
    assert client.get("/")["Location"] == "/reports/dashboard/"
    page = client.get("/reports/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    island = re.search(r'<script id="dash-data" type="application/json">(.*?)</script>', html, re.S)
    assert island and json.loads(island.group(1))["totals"]["overdue"] == 2
    # A unit's figure leads to the list of that unit and everything under it.
    assert 'href="/matters/?under=A&kind=&category=&state=overdue"' in html
    partial = client.get("/reports/dashboard/", {"kind": "case"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    found = re.search(
        r'id="dash-data" type="application/json">(.*?)</script>', partial.content.decode(), re.S
    )
    assert found and json.loads(found.group(1))["totals"]["open"] == 2
    assert client.get("/reports/dashboard/", {"period": "7d"}).status_code == 422
    assert client.get("/reports/dashboard/", {"unit": "ZZ"}).status_code == 404
    client.force_login(make_official("clerk_p", world.p, ["clerk"]))
    assert client.get("/reports/dashboard/").status_code == 403


@time_machine.travel(DAY, tick=False)
def test_refresh_rolls_up_a_realistic_volume_exactly(world: Any) -> None:
    units = [world.a, world.b, world.c]
    synthetic_matters(count=3000, owners=units, until=DAY, days=400, seed=3)
    snapshot = dashboard_refresh(DAY)
    assert snapshot.as_of == DAY and DashSnapshot.objects.get().generation == snapshot.generation
    data = world.api(world.leader_p).get("reports/dashboard", period="24m").json()
    ids = [u.id for u in Unit.objects.all()]
    expected = live_totals(ids, DAY)
    assert {k: data["totals"][k] for k in expected} == expected
    assert (
        data["period"]["received"] == Matter.objects.filter(opened_on__gte=date(2024, 4, 1)).count()
    )
    for row in data["scorecards"]:
        owner = Unit.objects.get(code=row["unit"])
        live = live_totals([owner.id], DAY)
        assert {k: row[k] for k in live} == live, row["unit"]
    for kind in ("petition", "task"):
        filtered = world.api(world.leader_p).get("reports/dashboard", kind=kind).json()
        assert filtered["totals"]["open"] == live_totals(ids, DAY, kind=kind)["open"]


@time_machine.travel(DAY, tick=False)
def test_kind_and_category_together_sum_every_row_of_the_key(world: Any) -> None:
    # P owns one itself and gets the roll-up of A's: two detail rows for (P, petition, land).
    make_matter(world.p, opened_on=DAY - timedelta(days=40), due_on=DAY - timedelta(days=5))
    make_matter(world.a, opened_on=DAY - timedelta(days=40), due_on=DAY - timedelta(days=5))
    data = (
        world.api(world.leader_p).get("reports/dashboard", kind="petition", category="land").json()
    )
    assert data["totals"]["open"] == 2 and data["totals"]["overdue"] == 2


@time_machine.travel(date(2026, 3, 16), tick=False)
def test_briefings_missing_and_open_alerts_show(world: Any) -> None:
    from alerts.models import Alert
    from reports.tests.test_plan_report import plan_with_history

    plan_with_history(world)
    Alert.objects.create(
        area=world.commune,
        category_id="land",
        unit=world.c,
        week=date(2026, 3, 9),
        observed=9,
        expected=2.0,
        method="ears-c2",
        status="open",
    )
    Alert.objects.create(
        area=world.commune,
        category_id="crime",
        unit=world.c,
        week=date(2026, 3, 2),
        observed=5,
        expected=1.0,
        method="ears-c2",
        status="closed",
    )
    data = world.api(world.leader_p).get("reports/dashboard").json()
    assert data["alerts_open"] == 1
    assert next(a for a in data["by_area"] if a["area"] == world.commune.code)["alerts"] == 1
    [entry] = data["briefings_missing"]
    assert entry["plan"].startswith("12/KH-UBND") and entry["units"] == ["Sở B", "UBND xã C"]
    # A unit sees only what concerns it: B's head sees the plan's missing B, not C's alert.
    b = world.api(world.head_b).get("reports/dashboard").json()
    assert b["alerts_open"] == 0 and b["briefings_missing"][0]["units"] == ["Sở B"]


@time_machine.travel(DAY, tick=False)
def test_the_first_counts_are_built_once_others_wait(world: Any, monkeypatch: Any) -> None:
    """With no counts yet, a request that finds another one building them waits for it
    (here: the wait is cut short) and answers 503 with Retry-After, instead of building
    them a second time at once; the one that claimed the build answers."""
    from reports import dashboard

    seed(world)
    DashSnapshot.objects.all().delete()
    DashSnapshot.objects.create(id=1, refreshing_since=django_now())  # someone is building
    monkeypatch.setattr(dashboard, "FIRST_BUILD_WAIT", 0.3)
    built = []
    monkeypatch.setattr(dashboard, "dashboard_refresh", lambda day: built.append(day))
    api_answer = world.api(world.leader_p).get("reports/dashboard")
    assert api_answer.status_code == 503 and api_answer["Retry-After"] == "60"
    assert api_answer.json()["detail"]
    page = Client()
    page.force_login(world.leader_p)
    waiting = page.get("/reports/dashboard/")
    assert waiting.status_code == 503 and waiting["Retry-After"] == "60"
    assert built == []
    # The builder went away long ago: the next request claims the build itself.
    DashSnapshot.objects.filter(id=1).update(refreshing_since=django_now() - timedelta(hours=1))
    monkeypatch.undo()
    assert world.api(world.leader_p).get("reports/dashboard").status_code == 200
    assert DashSnapshot.objects.get(id=1).as_of == DAY
