"""Reads of the reports app that depend on who asks: generated reports and the dashboard.

Out of scope is NotFound (404); visible but not theirs to issue or to oversee is Forbidden
(403)."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from areas.models import Area
from common.clock import today as clock_today
from common.errors import Forbidden, Invalid, NotFound
from matters.models import Category, Matter
from reports.models import DashCount, DashFlow, DashSnapshot, GeneratedReport
from units.models import Unit
from units.selectors import get_unit_for_user, subtree_ids, visible_unit_ids


def replica_reads() -> AbstractContextManager[Any]:
    """Reads that may be a moment old (the dashboard, report figures) go to a streaming
    replica when ops configures one (``ops.routing``); without it, to the primary."""
    try:
        from ops.routing import read_from_replica
    except ImportError:
        return nullcontext()
    return read_from_replica()


# --- generated reports -----------------------------------------------------------------------


def user_can_issue(user: Any, unit: Unit) -> bool:
    """Officials of the unit with an acting role issue its documents."""
    return bool(user.is_active and user.unit_id == unit.id and user.can_act)


def require_can_issue(user: Any, unit: Unit) -> None:
    if not user_can_issue(user, unit):
        raise Forbidden(
            _("Only officials of %(unit)s issue its reports; you may read them but not issue them")
            % {"unit": unit.code}
        )


def reports_visible_to(user: Any) -> QuerySet[GeneratedReport]:
    qs = GeneratedReport.objects.select_related("unit", "requested_by")
    units = visible_unit_ids(user)
    return qs if units is None else qs.filter(unit_id__in=units)


def get_report_for_user(user: Any, report_id: int) -> GeneratedReport:
    report = reports_visible_to(user).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("No report with id %(id)s") % {"id": report_id})
    return report


# --- dashboard -------------------------------------------------------------------------------

PERIODS = {
    "4w": ("w", 4),
    "13w": ("w", 13),
    "26w": ("w", 26),
    "52w": ("w", 52),
    "12m": ("m", 12),
    "24m": ("m", 24),
    "year": ("m", 0),
}
DEFAULT_PERIOD = "13w"
KINDS = [k for k, _label in Matter.Kind.choices]
CACHE_SECONDS = 60


@dataclass(frozen=True)
class DashFilters:
    unit: Unit
    kind: str = ""
    category: str = ""
    period: str = DEFAULT_PERIOD


def dashboard_home_unit(user: Any) -> Unit | None:
    """The unit a user's dashboard opens on: their own, or for an administrator without one
    the top of the tree."""
    if user.unit_id:
        return user.unit
    if visible_unit_ids(user) is None:
        return Unit.objects.filter(parent__isnull=True).order_by("code").first()
    return None


def dashboard_filters(
    user: Any, *, unit: str | None, kind: str | None, category: str | None, period: str | None
) -> DashFilters:
    """Check the filters, naming every bad one; the unit must be visible (404), and the user
    must see the whole of it and everything below it (403: a clerk of a unit with units
    below does not oversee them)."""
    errors: dict[str, str] = {}
    kind, category, period = kind or "", category or "", period or DEFAULT_PERIOD
    if kind and kind not in KINDS:
        errors["kind"] = _("must be one of %(values)s") % {"values": ", ".join(KINDS)}
    if category and not Category.objects.filter(code=category).exists():
        errors["category"] = _("no category with code %(code)s") % {"code": category}
    if period not in PERIODS:
        errors["period"] = _("must be one of %(values)s") % {"values": ", ".join(PERIODS)}
    if unit is not None and not re.fullmatch(r"[\w.\-]{1,40}", unit):
        errors["unit"] = _("not a unit code")
    if errors:
        raise Invalid(errors)
    if unit:
        chosen = get_unit_for_user(user, unit)
    else:
        home = dashboard_home_unit(user)
        if home is None:
            raise NotFound(_("You belong to no unit; ask an administrator"))
        chosen = home
    visible = visible_unit_ids(user)
    if visible is not None and not set(subtree_ids(chosen)) <= set(visible):
        raise Forbidden(
            _(
                "The dashboard of %(unit)s covers the units below it; "
                "only its head and leaders see it"
            )
            % {"unit": chosen.code}
        )
    return DashFilters(unit=chosen, kind=kind, category=category, period=period)


def _buckets(grain: str, count: int, day: date) -> list[date]:
    """Starts of the last ``count`` weeks or months up to the one holding ``day`` (``count``
    0 = the months of this year so far)."""
    if grain == "w":
        monday = day - timedelta(days=day.weekday())
        return [monday - timedelta(weeks=i) for i in range(count - 1, -1, -1)]
    months = day.month if count == 0 else count
    out = []
    y, m = day.year, day.month
    for _i in range(months):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _filtered(qs: QuerySet[Any], f: DashFilters) -> QuerySet[Any]:
    """The rows of the filters' totals: an empty kind or category picks the all-of-them rows
    the refresh wrote, so no read sums detail rows it does not need."""
    return qs.filter(kind=f.kind, category=f.category)


STATE_FIELDS = ("open", "overdue", "due_soon", "done_on_time", "done_late", "bounces_sent")


def _sums(qs: QuerySet[Any], *group: str) -> list[dict[str, Any]]:
    return list(qs.values(*group).annotate(**{f: Sum(f) for f in STATE_FIELDS}).order_by())


def _row(values: dict[str, Any]) -> dict[str, Any]:
    out = {f: int(values.get(f) or 0) for f in STATE_FIELDS}
    out["in_time"] = max(out["open"] - out["overdue"] - out["due_soon"], 0)
    closed = out["done_on_time"] + out["done_late"]
    out["on_time_rate"] = round(100 * out["done_on_time"] / closed) if closed else None  # type: ignore[assignment]
    return out


def dashboard_cache_key(f: DashFilters, snapshot: DashSnapshot) -> str:
    """Figures depend on the snapshot, the unit, the filters and the language only."""
    return (
        f"dash:{snapshot.generation}:{get_language()}:{f.unit.pk}:{f.kind}:{f.category}:{f.period}"
    )


def dashboard_data(f: DashFilters, snapshot: DashSnapshot) -> dict[str, Any]:
    """Everything the dashboard shows, from the pre-aggregated counts only. Cached per
    snapshot generation and filters."""
    key = dashboard_cache_key(f, snapshot)
    data = cache.get(key)
    if data is None:
        data = _dashboard_data(f, snapshot)
        cache.set(key, data, CACHE_SECONDS)
    return data


def _unit_rows(f: DashFilters) -> list[tuple[str, str, str, dict[str, Any]]]:
    """In one indexed read, the rows of the chosen unit that the page needs: the totals of
    the filters, by kind, by category, by area. Returns (area, kind, category, counts)."""
    sums = ", ".join(f"SUM({name})" for name in STATE_FIELDS)
    sql = f"""SELECT area, kind, category, {sums} FROM {DashCount._meta.db_table}
        WHERE unit_id = %s AND (
          (area = '' AND kind = %s AND category = %s)
          OR (area = '' AND kind <> '' AND category = %s)
          OR (area = '' AND kind = %s AND category <> '')
          OR (area <> '' AND kind = %s AND category = %s))
        GROUP BY area, kind, category"""  # noqa: S608 - table name and constants only
    params: list[Any] = [f.unit.pk, f.kind, f.category, f.category, f.kind, f.kind, f.category]
    with connections[DashCount.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(r[0], r[1], r[2], _row(dict(zip(STATE_FIELDS, r[3:], strict=True)))) for r in rows]


def _child_rows(f: DashFilters) -> list[dict[str, Any]]:
    """Each active unit right below the chosen one, with its counts (zero when none)."""
    sums = ", ".join(f"SUM(d.{name})" for name in STATE_FIELDS)
    counts, units = DashCount._meta.db_table, Unit._meta.db_table
    sql = f"""SELECT u.code, u.name, {sums} FROM {units} u
        LEFT JOIN {counts} d ON d.unit_id = u.id AND d.area = '' AND d.kind = %s AND d.category = %s
        WHERE u.parent_id = %s AND u.is_active
        GROUP BY u.code, u.name"""  # noqa: S608 - table names only
    with connections[DashCount.objects.db].cursor() as cursor:
        cursor.execute(sql, [f.kind, f.category, f.unit.pk])
        rows = cursor.fetchall()
    return [
        {"unit": r[0], "name": r[1], **_row(dict(zip(STATE_FIELDS, r[2:], strict=True)))}
        for r in rows
    ]


_AREAS: dict[str, tuple[str, str, float | None, float | None]] = {}


def _area_info(codes: list[str]) -> dict[str, tuple[str, str, float | None, float | None]]:
    """Name, level and point of areas, remembered by the process (official codes do not
    change, and their points are filled once, by a data migration)."""
    missing = [c for c in codes if c not in _AREAS]
    if missing:
        for code, name, kind, lat, lon in Area.objects.filter(code__in=missing).values_list(
            "code", "name", "kind", "latitude", "longitude"
        ):
            _AREAS[code] = (name, kind, lat, lon)
    return _AREAS


def _live_counts(f: DashFilters, day: date) -> tuple[dict[str, int], Any]:
    """Open alerts by area and briefings missing: read live, not from the snapshot (a minute
    old is fine here)."""
    live_key = f"dash-live:{f.unit.pk}:{f.category}:{day.isoformat()}"
    live = cache.get(live_key)
    if live is None:
        live = (open_alerts_by_area(f.unit, f.category), briefings_missing(f.unit, day))
        cache.set(live_key, live, CACHE_SECONDS)
    return live


def _area_list(
    area_rows: dict[str, dict[str, Any]], areas: dict[str, Any], alerts: dict[str, int]
) -> list[dict[str, Any]]:
    """The areas for the map and the list of communes, worst first."""
    by_area: list[dict[str, Any]] = []
    for code, row in area_rows.items():
        if code not in areas:
            continue
        name, kind, lat, lon = areas[code]
        by_area.append(
            {
                "area": code,
                "name": name,
                "kind": kind,
                "lat": lat,
                "lon": lon,
                "alerts": alerts.get(code, 0),
                **row,
            }
        )
    by_area.sort(key=lambda r: (-r["overdue"], -r["open"], r["area"]))
    return by_area


def _flow_series(
    f: DashFilters, grain: str, buckets: list[date], day: date
) -> dict[str, list[int]]:
    """Received, done on time and done late in each bucket (week or month)."""
    flows = {
        r["start"]: r
        for r in _filtered(
            DashFlow.objects.filter(
                unit=f.unit, grain=grain, start__gte=buckets[0], start__lte=day
            ),
            f,
        )
        .values("start")
        .annotate(
            opened=Sum("opened"), done_on_time=Sum("done_on_time"), done_late=Sum("done_late")
        )
        .order_by()
    }
    return {
        name: [int((flows.get(b) or {}).get(name) or 0) for b in buckets]
        for name in ("opened", "done_on_time", "done_late")
    }


def _dashboard_data(f: DashFilters, snapshot: DashSnapshot) -> dict[str, Any]:
    day = snapshot.as_of or clock_today()
    totals = _row({})
    by_kind_rows: dict[str, dict[str, Any]] = {}
    category_rows: dict[str, dict[str, Any]] = {}
    area_rows: dict[str, dict[str, Any]] = {}
    for area, kind, category, row in _unit_rows(f):
        if area:
            area_rows[area] = row
        elif kind == f.kind and category == f.category:
            totals = row
        elif category == f.category and kind and (not f.kind or kind == f.kind):
            by_kind_rows[kind] = row
        elif kind == f.kind and category and (not f.category or category == f.category):
            category_rows[category] = row
    kind_labels = dict(Matter.Kind.choices)
    by_kind = [
        {"kind": k, "label": capfirst(str(kind_labels[k])), **by_kind_rows[k]}
        for k in KINDS
        if k in by_kind_rows
    ]
    categories = dict(Category.objects.values_list("code", "label"))
    by_category = sorted(
        (
            {"category": code, "label": categories.get(code, code), **row}
            for code, row in category_rows.items()
        ),
        key=lambda r: (-r["open"], r["label"]),
    )
    # Units below: each child with everything under it, worst first.
    scorecards = _child_rows(f)
    from citizens.selectors import ratings_for_subtrees

    rated = ratings_for_subtrees([r["unit"] for r in scorecards])
    for r in scorecards:
        r.update(rated.get(r["unit"], {"ratings": 0, "rating_mean": None, "reopened": 0}))
    scorecards.sort(
        key=lambda r: (-r["overdue"], -r["bounces_sent"], -r["due_soon"], -r["open"], r["unit"])
    )
    # Areas (the map and the list of communes).
    areas = _area_info(list(area_rows))
    alerts, briefings = _live_counts(f, day)
    by_area = _area_list(area_rows, areas, alerts)
    # Flows: received and closed per week or month.
    grain, count = PERIODS[f.period]
    buckets = _buckets(grain, count, day)
    series = _flow_series(f, grain, buckets, day)
    labels = [b.strftime("%d/%m") if grain == "w" else b.strftime("%m/%Y") for b in buckets]
    received = sum(series["opened"])
    done_on_time, done_late = sum(series["done_on_time"]), sum(series["done_late"])
    return {
        "unit": {"code": f.unit.code, "name": f.unit.name},
        "filters": {"kind": f.kind, "category": f.category, "period": f.period},
        "as_of": day.isoformat(),
        "refreshed_at": snapshot.refreshed_at.isoformat() if snapshot.refreshed_at else None,
        "totals": totals,
        "period": {
            "from": buckets[0].isoformat(),
            "grain": grain,
            "received": received,
            "done_on_time": done_on_time,
            "done_late": done_late,
        },
        "by_kind": by_kind,
        "by_category": by_category,
        "scorecards": scorecards,
        "by_area": by_area,
        "trend": {"grain": grain, "labels": labels, **series},
        "alerts_open": sum(alerts.values()),
        "briefings_missing": briefings,
    }


def open_alerts_by_area(unit: Unit, category: str = "") -> dict[str, int]:
    """Open alerts per area code sent to the unit or a unit below it (from the alerts app;
    empty before its tables exist)."""
    try:
        from alerts.models import Alert
    except ImportError:
        return {}
    if not has_table(Alert._meta.db_table):
        return {}
    qs = Alert.objects.filter(status="open", unit__path__startswith=unit.path)
    if category:
        qs = qs.filter(category_id=category)
    return {r["area_id"]: r["n"] for r in qs.values("area_id").annotate(n=Count("id")).order_by()}


def briefings_missing(unit: Unit, day: date, limit: int = 10) -> list[dict[str, Any]]:
    """Plans of the unit or a unit below it, or aimed at them, whose briefing deadline has
    passed without the target unit holding its briefing: one entry per plan with the units
    named (from the plans app; empty before its tables exist)."""
    try:
        from plans.models import Briefing, PlanTarget
    except ImportError:
        return []
    if not has_table(PlanTarget._meta.db_table):
        return []
    held = Briefing.objects.filter(plan_id=OuterRef("plan_id"), unit_id=OuterRef("unit_id"))
    rows = (
        PlanTarget.objects.filter(plan__briefing_due__lt=day)
        .filter(Q(plan__unit__path__startswith=unit.path) | Q(unit__path__startswith=unit.path))
        .exclude(Exists(held))
        .values("plan_id", "plan__number", "plan__title", "plan__briefing_due", "unit__name")
        .order_by("plan__briefing_due", "plan_id", "unit__name")[:500]
    )
    plans: dict[int, dict[str, Any]] = {}
    for r in rows:
        entry = plans.setdefault(
            r["plan_id"],
            {
                "id": r["plan_id"],
                "plan": f"{r['plan__number']} {r['plan__title']}",
                "due": r["plan__briefing_due"].isoformat(),
                "units": [],
                "url": _plan_url(r["plan_id"]),
            },
        )
        entry["units"].append(r["unit__name"])
    return list(plans.values())[:limit]


def _plan_url(plan_id: int) -> str:
    from django.urls import NoReverseMatch, reverse

    for name in ("plans:detail", "plans:plan"):
        try:
            return reverse(name, args=[plan_id])
        except NoReverseMatch:
            continue
    return ""


_TABLES: set[str] = set()


def has_table(name: str) -> bool:
    """Whether a table of an app that lands beside this one exists yet (remembered once seen)."""
    if name not in _TABLES and name in connection.introspection.table_names():
        _TABLES.add(name)
    return name in _TABLES


def unit_options(f: DashFilters, user: Any) -> str:
    """The unit filter's <option>s: the chosen unit's ancestors that the user oversees, the
    unit itself (selected), its children. Built here rather than in a template loop: a
    province has a hundred communes and this is on every dashboard page."""
    visible = visible_unit_ids(user)
    ancestors = Unit.objects.filter(id__in=f.unit.ancestor_ids())
    if visible is not None:
        # Ancestors the user sees are the chosen unit's ancestors inside the visible set.
        ancestors = ancestors.filter(id__in=[i for i in f.unit.ancestor_ids() if i in set(visible)])
    rows = list(ancestors.order_by("depth").values_list("code", "name", "depth"))
    rows += list(
        Unit.objects.filter(parent=f.unit, is_active=True)
        .order_by("name")
        .values_list("code", "name", "depth")
    )
    return format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (code, " selected" if code == f.unit.code else "", "· " * depth, name)
            for code, name, depth in rows
        ),
    )


def counts_by_former_area(
    user: Any, *, start: date, end: date, province: str, level: str, today: date
) -> list[dict[str, Any]]:
    """Matters the user sees, filed under the units before 1 July 2025 of the old province
    ``province`` and opened from ``start`` to ``end``, counted by old district or commune
    (``level``) with their states on ``today``. Each row also names where that unit went."""
    from areas.services import former_ids_within, gazetteer
    from matters.selectors import matters_visible_to, state_q

    g = gazetteer()
    scope = former_ids_within(province)
    qs = matters_visible_to(user).filter(
        area_before_id__in=scope, opened_on__gte=start, opened_on__lte=end
    )
    rows = (
        qs.values("area_before_id")
        .annotate(
            received=Count("id"),
            open=Count("id", filter=Q(is_open=True)),
            overdue=Count("id", filter=state_q("overdue", today)),
            done_on_time=Count("id", filter=state_q("done_on_time", today)),
            done_late=Count("id", filter=state_q("done_late", today)),
        )
        .order_by()
    )
    figures = ("received", "open", "overdue", "done_on_time", "done_late")
    out: dict[str, dict[str, Any]] = {}
    for found in rows:
        row: dict[str, Any] = dict(found)
        place = g.former_by_id.get(row["area_before_id"])
        if place is None:
            continue
        if level == "district" and place.kind == "commune" and place.parent:
            place = g.former[place.parent]
        elif level == "province":
            place = g.former[place.province]
        entry = out.setdefault(
            place.code,
            {
                "code": place.code,
                "name": place.name,
                "kind": place.kind,
                "successors": [s.code for s in g.successors.get(place.code, ())],
                **dict.fromkeys(figures, 0),
            },
        )
        for name in figures:
            entry[name] += row[name]
    return sorted(out.values(), key=lambda r: r["code"])
