"""The unit scorecards' counts, read from the dashboard's pre-aggregated counts.

A scorecard row counts the matters a unit owns itself (not those of the units below it) and
the bounces it sent (``matters.selectors.scorecards``). ``DashCount`` holds, per unit, the
same figures for the unit and its whole subtree; a unit's own figure is therefore its
subtree total less the subtree totals of its children. One indexed read of the all-areas,
all-categories, all-kinds rows of the units asked for (and their children) replaces a
GROUP BY over every matter of a province (939 ms at 10 M matters, docs/benchmarks-ops.md).

The figures are those of the dashboard's snapshot, under its rule of freshness
(``reports.dashboard``): as of today, and at most ``DASHBOARD_REFRESH_SECONDS`` behind the
last change. For any other day the spine counts live.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Sum

from reports.dashboard import dashboard_snapshot
from reports.models import DashCount
from units.models import Unit

FIGURES = ("open", "overdue", "done_on_time", "done_late", "bounces_sent")


def snapshot_scorecard_counts(units: list[Unit], today: date) -> dict[int, dict[str, Any]] | None:
    """Per unit id, its own open / overdue / done on time / done late / bounces sent, from
    the snapshot; ``None`` when the snapshot is not for ``today``."""
    if not units:
        return {}
    if dashboard_snapshot().as_of != today:
        return None
    ids = [u.id for u in units]
    children: dict[int, list[int]] = defaultdict(list)
    for child_id, parent_id in Unit.objects.filter(parent_id__in=ids).values_list(
        "id", "parent_id"
    ):
        children[parent_id].append(child_id)
    wanted = set(ids) | {c for kids in children.values() for c in kids}
    totals: dict[int, Any] = {
        row["unit_id"]: row
        for row in DashCount.objects.filter(unit_id__in=wanted, area="", category="", kind="")
        .values("unit_id")
        .annotate(**{f: Sum(f) for f in FIGURES})
        .order_by()
    }
    result: dict[int, dict[str, Any]] = {}
    for uid in ids:
        own = {f: int((totals.get(uid) or {}).get(f) or 0) for f in FIGURES}
        for child in children.get(uid, []):
            for f in FIGURES:
                own[f] -= int((totals.get(child) or {}).get(f) or 0)
        result[uid] = own
    return result
