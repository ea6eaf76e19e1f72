"""Time the reads that grow with the matter table, on a database filled by generate.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_10m .venv/bin/python bench/load/measure.py

For each query: the median and best of --runs runs (warm cache after the first), the rows it
returns, and the plan's top node and whether it read the whole table (EXPLAIN ANALYZE). The
queries are the app's own selectors where there is one (the API's lists and scorecards), and
the GROUP BYs of the dashboards, early warning and metrics, written as their code writes them.
Results: printed, and var/bench/measure-<database>.json.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import OperationalError, connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.db.models.functions import TruncWeek  # noqa: E402

import matters.selectors as ms  # noqa: E402
from accounts.models import User  # noqa: E402
from common.clock import today  # noqa: E402
from common.pagination import CountedPaginator, paginate  # noqa: E402
from matters.models import Matter  # noqa: E402


def busiest(role: str, depth: int) -> User:
    """The official of that role whose unit owns the most matters (the worst case)."""
    row = (
        Matter.objects.filter(
            owner__depth=depth, owner__code__startswith="BN-", owner__kind="peoples_committee"
        )
        .values("owner_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if depth == 0:
        # A leader sees the whole province: take the province with the most matters.
        province = (
            Matter.objects.values("province")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()["province"]
        )
        return User.objects.get(username=f"bn-{province}.leader")
    return User.objects.get(unit_id=row["owner_id"], roles__contains=[role])


def plan(qs_sql: tuple[str, tuple[Any, ...]]) -> dict[str, Any]:
    sql, params = qs_sql
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        tree = cursor.fetchone()[0][0]["Plan"]
    nodes: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        label = node["Node Type"]
        if "Relation Name" in node:
            label += f" on {node['Relation Name']}"
        if "Index Name" in node:
            label += f" using {node['Index Name']}"
        nodes.append(label)
        for child in node.get("Plans", []):
            walk(child)

    walk(tree)
    return {
        "top": nodes[0],
        "seq_scan_of_matters": any(n == "Seq Scan on matters_matter" for n in nodes),
        "nodes": nodes[:12],
    }


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, float, Any]:
    """Median, best and 95th percentile (nearest rank) of ``runs`` runs, and the result."""
    times = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    p95 = sorted(times)[max(0, -(-95 * runs // 100) - 1)]
    return statistics.median(times), min(times), p95, result


def main() -> None:
    runs = int(os.environ.get("RUNS", "3"))
    day = today()
    head = busiest("head", 1)
    leader = busiest("leader", 0)
    total = Matter.objects.count()
    two_years = day - timedelta(days=730)
    print(
        f"{total:,} matters; commune head {head.username} ({head.unit.code}); leader {leader.username}"
    )

    def page(user: User, **filters: Any) -> Callable[[], Any]:
        """Page 1 and the count, as the API's list reads them (``paginate``)."""

        def run() -> Any:
            qs = ms.matter_list_for_user(user, today=day, **filters)
            count_qs = ms.matter_list_for_user(user, today=day, for_count=True, **filters)
            items, count = paginate(qs, 1, 50, count_qs=count_qs)
            return count, len(items)

        return run

    def urgent_qs(user: User) -> Any:
        return ms.most_urgent_first(
            ms.matter_list_for_user(user, today=day, is_open=True), open_only=True
        )

    def urgent(user: User) -> Callable[[], Any]:
        """The officials' matters page as it opens (web.views.matters): open ones, the most
        urgent first, 50 to a page, and their count."""

        def run() -> Any:
            counted = ms.matter_list_for_user(user, today=day, is_open=True, for_count=True)
            page = CountedPaginator(urgent_qs(user), 50, count=counted).page(1)
            return page.paginator.count, len(page.object_list)

        return run

    def by_state(user: User) -> Callable[[], Any]:
        """The list's state tabs, as the petitions inbox counts them."""
        return lambda: ms.state_counts(
            ms.matter_list_for_user(user, today=day, for_count=True), day
        )

    cases: list[tuple[str, Callable[[], Any], Any]] = [
        (
            "list: commune head, page 1 + count",
            page(head),
            ms.matter_list_for_user(head, today=day),
        ),
        (
            "list: commune head, overdue",
            page(head, state="overdue"),
            ms.matter_list_for_user(head, today=day, state="overdue"),
        ),
        (
            "list: province leader, page 1 + count",
            page(leader),
            ms.matter_list_for_user(leader, today=day),
        ),
        (
            "list: province leader, overdue",
            page(leader, state="overdue"),
            ms.matter_list_for_user(leader, today=day, state="overdue"),
        ),
        (
            "web list: province leader, open matters most urgent first",
            urgent(leader),
            urgent_qs(leader),
        ),
        ("list tabs: commune head, counts by state", by_state(head), None),
        ("list tabs: province leader, counts by state", by_state(leader), None),
        (
            "scorecards: province, one row per unit",
            lambda: ms.scorecards(leader, leader.unit, day),
            None,
        ),
        (
            "scorecards: the same counted live (what they read before)",
            lambda: ms.live_scorecard_counts(
                [u for u in ms.subtree_ids(leader.unit) if u != leader.unit.id], day
            ),
            None,
        ),
        (
            "early warning: province, weekly counts by commune x category, 2 years",
            lambda: list(
                Matter.objects.filter(province=leader.unit.area_id, opened_on__gte=two_years)
                .annotate(week=TruncWeek("opened_on"))
                .values("area_id", "category_id", "week")
                .annotate(n=Count("id"))
                .order_by()
            ),
            Matter.objects.filter(province=leader.unit.area_id, opened_on__gte=two_years)
            .annotate(week=TruncWeek("opened_on"))
            .values("area_id", "category_id", "week")
            .annotate(n=Count("id"))
            .order_by(),
        ),
        (
            "national: open and overdue by province",
            lambda: list(
                Matter.objects.filter(is_open=True)
                .values("province")
                .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=day)))
                .order_by()
            ),
            Matter.objects.filter(is_open=True)
            .values("province")
            .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=day)))
            .order_by(),
        ),
        (
            "metrics scrape: open and overdue by kind",
            lambda: list(
                Matter.objects.filter(is_open=True)
                .values("kind")
                .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=day)))
                .order_by()
            ),
            Matter.objects.filter(is_open=True)
            .values("kind")
            .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=day)))
            .order_by(),
        ),
    ]
    results = []
    limit_ms = int(os.environ.get("LIMIT_MS", "120000"))
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {limit_ms}")
    for name, fn, qs in cases:
        try:
            median, best, p95, result = timed(fn, runs)
        except OperationalError:
            print(f"  > {limit_ms / 1000:.0f} s (cancelled)  {name}")
            results.append({"query": name, "median_ms": None, "over_ms": limit_ms})
            continue
        entry: dict[str, Any] = {
            "query": name,
            "median_ms": round(median, 1),
            "best_ms": round(best, 1),
            "p95_ms": round(p95, 1),
        }
        if isinstance(result, tuple):
            entry["rows"] = result[0]
        elif isinstance(result, list):
            entry["rows"] = len(result)
        if qs is not None and os.environ.get("PLANS", "1") == "1":
            entry["plan"] = plan(qs.query.sql_with_params())
        results.append(entry)
        scan = entry.get("plan", {}).get("seq_scan_of_matters")
        print(
            f"{median:9.1f} ms  {best:9.1f} ms  p95 {p95:9.1f} ms  rows {entry.get('rows', ''):>9}  "
            f"{'SEQ SCAN ' if scan else '         '}{name}"
        )
    out = ROOT / "var" / "bench" / f"measure-{connection.settings_dict['NAME']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"matters": total, "runs": runs, "results": results}, indent=2, default=str)
    )
    print(f"-> {out}")


if __name__ == "__main__":
    main()
