"""Keeping the dashboard's pre-aggregated counts: ``dashboard_refresh`` rebuilds them from the
matter table; ``dashboard_snapshot`` tells readers which snapshot to read and asks for a
refresh when it is stale.

Why a snapshot and not live SQL: a province's leaders open the dashboard all day long, and
with a million matters every figure on it (states by kind, units below, areas, weekly and
monthly flows) would be a scan. The refresh does the scans once, in a few statements that
the database runs set-wise (``INSERT ... SELECT ... GROUP BY``), and rolls every count up to
each unit above the owner, so that "this unit and everything below it" is one indexed read.

When it is stale: its states were computed for another day, or an audit event was written
after it (every change of a matter writes one; see ``audit.services.audit_record``) and it is
older than ``DASHBOARD_REFRESH_SECONDS`` (default 60). A stale snapshot is still served while
the refresh job runs; the page says as of when its figures are.
"""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditHead
from common.clock import today as clock_today
from common.errors import Unavailable
from matters.models import Handoff, Matter
from reports.models import DashCount, DashFlow, DashSnapshot, UnitRollup
from units.models import Unit

log = logging.getLogger(__name__)

# A refresh that has not finished after this long is taken to have died.
STUCK_AFTER = timedelta(minutes=15)
# How long a request waits for another one that is building the very first counts.
FIRST_BUILD_WAIT = 20.0


def refresh_interval() -> int:
    return int(getattr(settings, "DASHBOARD_REFRESH_SECONDS", 60))


def _week_start(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('week', {column}) AS date)"
    return (
        f"date({column}, '-' || ((CAST(strftime('%%w', {column}) AS integer) + 6) %% 7) || ' days')"
    )


def _month_start(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _rollup_rebuild() -> None:
    UnitRollup.objects.all().delete()
    rows = []
    for unit_id, path in Unit.objects.values_list("id", "path"):
        for ancestor in {int(p) for p in path.strip("/").split("/") if p} | {unit_id}:
            rows.append(UnitRollup(unit_id=unit_id, ancestor_id=ancestor))
    UnitRollup.objects.bulk_create(rows, batch_size=2000)


def _execute(sql: str, params: list | tuple = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _counts_rebuild(day: date) -> None:
    """Leaf rows per owner from the matter table, then the roll-up to every unit above, then
    the all-areas rows (``area = ''``)."""
    adapt = connection.ops.adapt_datefield_value
    today, soon = adapt(day), adapt(day + timedelta(days=settings.DUE_SOON_DAYS))
    counts = DashCount._meta.db_table
    matters = Matter._meta.db_table
    handoffs = Handoff._meta.db_table
    rollup = UnitRollup._meta.db_table
    cols = "unit_id, area, category, kind, open, overdue, due_soon, done_on_time, done_late, bounces_sent"
    late = "(m.due_on IS NOT NULL AND m.closed_on IS NOT NULL AND m.closed_on > m.due_on)"
    _execute(
        f"""INSERT INTO {counts} ({cols})
        SELECT m.owner_id, m.area_id, m.category_id, m.kind,
          SUM(CASE WHEN m.is_open THEN 1 ELSE 0 END),
          SUM(CASE WHEN m.is_open AND m.suspended_on IS NULL AND m.due_on < %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN m.is_open AND m.suspended_on IS NULL
                   AND m.due_on >= %s AND m.due_on <= %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN NOT m.is_open AND NOT {late} THEN 1 ELSE 0 END),
          SUM(CASE WHEN NOT m.is_open AND {late} THEN 1 ELSE 0 END),
          0
        FROM {matters} m
        GROUP BY m.owner_id, m.area_id, m.category_id, m.kind""",  # noqa: S608
        [today, today, soon],
    )
    _execute(
        f"""INSERT INTO {counts} ({cols})
        SELECT h.from_unit_id, m.area_id, m.category_id, m.kind, 0, 0, 0, 0, 0, COUNT(*)
        FROM {handoffs} h JOIN {matters} m ON m.id = h.matter_id
        WHERE h.is_bounce
        GROUP BY h.from_unit_id, m.area_id, m.category_id, m.kind""",  # noqa: S608
    )
    sums = "SUM(d.open), SUM(d.overdue), SUM(d.due_soon), SUM(d.done_on_time), SUM(d.done_late), SUM(d.bounces_sent)"
    _execute(
        f"""INSERT INTO {counts} ({cols})
        SELECT r.ancestor_id, d.area, d.category, d.kind, {sums}
        FROM {counts} d JOIN {rollup} r ON r.unit_id = d.unit_id AND r.ancestor_id <> r.unit_id
        GROUP BY r.ancestor_id, d.area, d.category, d.kind""",  # noqa: S608
    )
    _execute(
        f"""INSERT INTO {counts} ({cols})
        SELECT d.unit_id, '', d.category, d.kind, {sums}
        FROM {counts} d WHERE d.area <> ''
        GROUP BY d.unit_id, d.category, d.kind""",  # noqa: S608
    )
    _totals(counts, "area", sums)


def _totals(table: str, key: str, sums: str) -> None:
    """Rows with ``category = ''`` (all categories), ``kind = ''`` (all kinds) and both, so
    that a read with or without a filter picks its rows by equality instead of summing
    dozens of detail rows (GROUPING SETS, written out for SQLite)."""
    cols_sums = sums.replace("d.", "t.")
    for category, kind, group in (
        ("''", "t.kind", "t.kind"),
        ("t.category", "''", "t.category"),
        ("''", "''", None),
    ):
        group_by = f"t.unit_id, t.{key}" + (f", {group}" if group else "")
        select_key = f"t.{key}" if key != "grain_start" else "t.grain, t.start"
        if key == "grain_start":
            group_by = "t.unit_id, t.grain, t.start" + (f", {group}" if group else "")
        columns = _columns(table)
        _execute(
            f"""INSERT INTO {table} ({columns})
            SELECT t.unit_id, {select_key}, {category}, {kind}, {cols_sums}
            FROM {table} t WHERE t.category <> '' AND t.kind <> ''
            GROUP BY {group_by}""",  # noqa: S608
        )


def _columns(table: str) -> str:
    if table == DashCount._meta.db_table:
        return "unit_id, area, category, kind, open, overdue, due_soon, done_on_time, done_late, bounces_sent"
    return "unit_id, grain, start, category, kind, opened, done_on_time, done_late"


# How far back the flows go: the longest weekly and monthly periods the dashboard offers.
FLOW_WEEKS = 52
FLOW_MONTHS = 24


def flow_window(day: date) -> dict[str, date]:
    """The first bucket kept for each grain: 52 weeks back to this week's Monday, 24 months
    back to this month's 1st."""
    monday = day - timedelta(days=day.weekday())
    months_back = day.year * 12 + day.month - 1 - (FLOW_MONTHS - 1)
    return {
        "w": monday - timedelta(weeks=FLOW_WEEKS - 1),
        "m": date(months_back // 12, months_back % 12 + 1, 1),
    }


def _flows_rebuild(day: date) -> None:
    flows = DashFlow._meta.db_table
    matters = Matter._meta.db_table
    rollup = UnitRollup._meta.db_table
    cols = "unit_id, grain, start, category, kind, opened, done_on_time, done_late"
    late = "(m.due_on IS NOT NULL AND m.closed_on > m.due_on)"
    window = flow_window(day)
    for grain, trunc in (("w", _week_start), ("m", _month_start)):
        since = connection.ops.adapt_datefield_value(window[grain])
        opened_bucket = trunc("m.opened_on")
        closed_bucket = trunc("m.closed_on")
        _execute(
            f"""INSERT INTO {flows} ({cols})
            SELECT m.owner_id, '{grain}', {opened_bucket}, m.category_id, m.kind, COUNT(*), 0, 0
            FROM {matters} m
            WHERE m.opened_on >= %s
            GROUP BY m.owner_id, {opened_bucket}, m.category_id, m.kind""",  # noqa: S608
            [since],
        )
        _execute(
            f"""INSERT INTO {flows} ({cols})
            SELECT m.owner_id, '{grain}', {closed_bucket}, m.category_id, m.kind, 0,
              SUM(CASE WHEN {late} THEN 0 ELSE 1 END), SUM(CASE WHEN {late} THEN 1 ELSE 0 END)
            FROM {matters} m
            WHERE NOT m.is_open AND m.closed_on >= %s
            GROUP BY m.owner_id, {closed_bucket}, m.category_id, m.kind""",  # noqa: S608
            [since],
        )
    _execute(
        f"""INSERT INTO {flows} ({cols})
        SELECT r.ancestor_id, f.grain, f.start, f.category, f.kind,
          SUM(f.opened), SUM(f.done_on_time), SUM(f.done_late)
        FROM {flows} f JOIN {rollup} r ON r.unit_id = f.unit_id AND r.ancestor_id <> r.unit_id
        GROUP BY r.ancestor_id, f.grain, f.start, f.category, f.kind"""  # noqa: S608
    )
    _totals(flows, "grain_start", "SUM(d.opened), SUM(d.done_on_time), SUM(d.done_late)")


def dashboard_refresh(day: date | None = None) -> DashSnapshot:
    """Rebuild every pre-aggregated count in one transaction; readers keep the previous
    snapshot until it commits. Returns the new snapshot row."""
    day = day or clock_today()
    started = time.monotonic()
    # Read the audit tip first: a change committed while we count makes the snapshot stale
    # (counted twice at worst), never silently missing.
    seq = AuditHead.objects.filter(id=1).values_list("last_seq", flat=True).first() or 0
    with transaction.atomic():
        _rollup_rebuild()
        DashCount.objects.all().delete()
        DashFlow.objects.all().delete()
        _counts_rebuild(day)
        _flows_rebuild(day)
        snapshot, _ = DashSnapshot.objects.select_for_update().get_or_create(id=1)
        snapshot.as_of = day
        snapshot.audit_seq = seq
        snapshot.refreshed_at = timezone.now()
        snapshot.refreshing_since = None
        snapshot.duration_ms = int((time.monotonic() - started) * 1000)
        snapshot.generation += 1
        snapshot.save()
    log.info("dashboard refreshed as of %s in %d ms", day, snapshot.duration_ms)
    return snapshot


@task()
def refresh_dashboard() -> None:
    """The job that rebuilds the counts (daily, and when a reader finds them stale); defined
    here so that this module never imports ``reports.tasks``, which names it for the
    scheduler."""
    dashboard_refresh()


def _is_stale(snapshot: DashSnapshot, day: date) -> bool:
    if snapshot.as_of != day:
        return True
    seq = AuditHead.objects.filter(id=1).values_list("last_seq", flat=True).first() or 0
    if seq <= snapshot.audit_seq:
        return False
    age = (timezone.now() - snapshot.refreshed_at).total_seconds() if snapshot.refreshed_at else 1e9
    return age >= refresh_interval()


def _first_build(day: date) -> DashSnapshot:
    """No counts exist yet: one request builds them (it claims the row as a refresh does);
    the others wait for it, up to FIRST_BUILD_WAIT seconds, instead of each building them
    again at the same time."""
    DashSnapshot.objects.get_or_create(id=1)
    now = timezone.now()
    claimed = (
        DashSnapshot.objects.filter(id=1, as_of__isnull=True)
        .filter(Q(refreshing_since__isnull=True) | Q(refreshing_since__lt=now - STUCK_AFTER))
        .update(refreshing_since=now)
    )
    if claimed:
        return dashboard_refresh(day)
    deadline = time.monotonic() + FIRST_BUILD_WAIT
    while True:
        built = DashSnapshot.objects.filter(id=1, as_of__isnull=False).first()
        if built is not None:
            return built
        if time.monotonic() >= deadline:
            raise Unavailable(
                _(
                    "the dashboard's figures are being counted for the first time; try again in a minute"
                )
            )
        time.sleep(0.25)


def dashboard_snapshot() -> DashSnapshot:
    """The snapshot readers should use. The first ever is built at once; a stale one is
    returned as is, after a refresh job has been claimed and enqueued (at most one at a time)."""
    day = clock_today()
    snapshot = DashSnapshot.objects.filter(id=1).first()
    if snapshot is None or snapshot.as_of is None:
        return _first_build(day)
    if _is_stale(snapshot, day):
        now = timezone.now()
        claimed = (
            DashSnapshot.objects.filter(id=1)
            .filter(Q(refreshing_since__isnull=True) | Q(refreshing_since__lt=now - STUCK_AFTER))
            .update(refreshing_since=now)
        )
        if claimed:
            # Not deferred to on_commit: the claim above is its own statement (autocommit in
            # a request), and with the immediate backend the refresh runs here and this very
            # request gets the new snapshot.
            refresh_dashboard.enqueue()
            snapshot = DashSnapshot.objects.get(id=1)
    return snapshot
