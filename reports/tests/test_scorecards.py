"""The unit scorecards read the dashboard's pre-aggregated counts: a unit's own figures are
its subtree total less its children's, and they equal the live count on a seeded dataset,
intermediate units included."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from matters.models import Handoff, Matter
from matters.selectors import live_scorecard_counts, scorecards
from reports.dashboard import dashboard_refresh
from reports.scorecards import snapshot_scorecard_counts
from reports.synthetic import synthetic_matters
from reports.tests.helpers import make_matter
from units.models import Unit
from units.services import unit_create

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 11)
FIGURES = ("open", "overdue", "done_on_time", "done_late", "bounces_sent")


def deeper_tree(world: Any) -> list[Unit]:
    """P > A > A1 > A2 beside B and C: A and A1 own matters and have units below them."""
    a1 = unit_create(
        actor=world.admin, code="A1", name="Phòng A1", kind="department", parent="A", area="33"
    )
    a2 = unit_create(
        actor=world.admin, code="A2", name="Tổ A2", kind="department", parent="A1", area="33"
    )
    return [world.p, world.a, a1, a2, world.b, world.c]


def seed(world: Any) -> list[Unit]:
    units = deeper_tree(world)
    synthetic_matters(count=1500, owners=units, until=DAY, days=200, seed=11)
    # A suspended clock, and bounces sent by an intermediate unit and by a leaf.
    make_matter(units[2], opened_on=DAY - timedelta(days=30), due_on=DAY - timedelta(days=2))
    Matter.objects.filter(owner=units[2], is_open=True).update(suspended_on=DAY)
    for source, target in ((units[1], world.b), (units[2], world.c), (units[3], units[1])):
        matter = Matter.objects.filter(owner=source).first()
        assert matter is not None
        Handoff.objects.create(
            matter=matter,
            kind="transfer",
            from_unit=source,
            to_unit=target,
            reason="r",
            legal_basis="x",
            is_bounce=True,
        )
    return units


@time_machine.travel(DAY, tick=False)
def test_the_pre_aggregated_counts_equal_the_live_count(world: Any) -> None:
    units = seed(world)
    dashboard_refresh(DAY)
    below = [u for u in units if u.id != world.p.id]
    ids = [u.id for u in below]
    snapshot = snapshot_scorecard_counts(below, DAY)
    live = live_scorecard_counts(ids, DAY)
    assert snapshot is not None
    assert snapshot == live
    # The seed reaches every figure, so that the comparison says something.
    for figure in FIGURES:
        assert sum(live[uid][figure] for uid in ids) > 0, figure
    # An intermediate unit's row is its own matters, not its subtree's.
    a = Unit.objects.get(code="A")
    assert live[a.id]["open"] == Matter.objects.filter(owner=a, is_open=True).count()
    rows = {r["unit"]: r for r in world.api(world.leader_p).get("scorecards", parent="P").json()}
    assert set(rows) == {"A", "A1", "A2", "B", "C"}
    for unit in below:
        assert {f: rows[unit.code][f] for f in FIGURES} == live[unit.id], unit.code
    # From a unit in the middle of the tree too.
    rows_a = {r["unit"]: r for r in scorecards(world.admin, a, DAY)}
    assert {u: {f: r[f] for f in FIGURES} for u, r in rows_a.items()} == {
        u.code: live[u.id] for u in units[2:4]
    }


@time_machine.travel(DAY, tick=False)
def test_the_scorecards_read_the_snapshot_not_the_table(world: Any, settings: Any) -> None:
    settings.DASHBOARD_REFRESH_SECONDS = 3600
    make_matter(world.a, opened_on=DAY - timedelta(days=3), due_on=DAY + timedelta(days=30))
    dashboard_refresh(DAY)
    make_matter(world.a, opened_on=DAY - timedelta(days=2), due_on=DAY + timedelta(days=30))
    rows = {r["unit"]: r for r in scorecards(world.admin, world.p, DAY)}
    # The second matter waits for the next refresh, as on the dashboard.
    assert rows["A"]["open"] == 1
    assert live_scorecard_counts([world.a.id], DAY)[world.a.id]["open"] == 2
    # For a day the snapshot is not of, the spine counts live.
    later = {r["unit"]: r for r in scorecards(world.admin, world.p, DAY + timedelta(days=1))}
    assert later["A"]["open"] == 2
