"""Public reads (no login): statistics per unit for a period, the public map, and the
proposals Open311 shows. Nothing here returns a personal field: queries name the columns
they read, and none of them is a petitioner's, a handler's or the vault's."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Avg, Count, Q

from areas.models import Area
from common.clock import today
from common.errors import Invalid
from matters.models import Matter
from units.models import Unit

STAT_FIELDS = (
    "received",
    "resolved_on_time",
    "resolved_late",
    "open_overdue",
    "median_days",
    "rating_mean",
    "ratings",
)


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def parse_day(value: str | None, field: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid({field: "must be a date YYYY-MM-DD"}) from None


def stats_period(start: str | None, end: str | None) -> Period:
    """``from`` and ``to`` as given (YYYY-MM-DD), by default 1 January of this year to
    today. Invalid naming the field when a date is malformed or the period runs backwards."""
    errors: dict[str, str] = {}
    try:
        to = parse_day(end, "to") or today()
    except Invalid as exc:
        errors.update(exc.errors)
        to = today()
    try:
        since = parse_day(start, "from") or date(to.year, 1, 1)
    except Invalid as exc:
        errors.update(exc.errors)
        since = date(to.year, 1, 1)
    if not errors and since > to:
        errors["from"] = "must not be after to"
    if errors:
        raise Invalid(errors)
    return Period(since, to)


def get_province(code: str | None) -> Area:
    """The province in force with this code: Invalid naming ``province`` when none is given
    or the code is not one."""
    if not code:
        raise Invalid({"province": "required: the code of a province, e.g. 33"})
    area = Area.objects.filter(code=code, kind=Area.Kind.PROVINCE).first()
    if area is None:
        raise Invalid({"province": f"no province with code {code}"})
    return area


def province_units(province: Area) -> list[Unit]:
    """Units of a province: those seated in it or in one of its communes, and any unit that
    owns a petition of it."""
    owners = (
        Matter.objects.filter(kind=Matter.Kind.PETITION, province=province.code)
        .values_list("owner_id", flat=True)
        .distinct()
    )
    seated = Q(area_id=province.code) | Q(area__parent_id=province.code)
    return list(Unit.objects.filter(seated & Q(is_active=True) | Q(id__in=owners)).order_by("code"))


def _ratings(unit_ids: list[int], period: Period) -> dict[int, tuple[float, int]]:
    """Mean and count of the citizens' ratings given to each unit in the period (none until
    the citizens' app is installed)."""
    try:
        from citizens.models import Feedback
    except ImportError:  # pragma: no cover - the citizens' app lands beside this one
        return {}
    rows = (
        Feedback.objects.filter(
            unit_id__in=unit_ids,
            created_at__date__gte=period.start,
            created_at__date__lte=period.end,
        )
        .values("unit_id")
        .annotate(mean=Avg("rating"), n=Count("id"))
        .order_by()
    )
    return {row["unit_id"]: (float(row["mean"]), row["n"]) for row in rows}


def public_stats(province: Area, period: Period) -> list[dict[str, Any]]:
    """One row per unit of the province: petitions received in the period, resolved in it
    on time and late, open past their due date at its end, the median days from receipt to
    resolution of those resolved in it, and the citizens' ratings. Counted by the same
    conditions as the officials' periodic figures (``reports.figures``), each unit for the
    petitions it owns; a sealed denunciation is one count like any other."""
    from reports.figures import period_conditions

    units = province_units(province)
    ids = [u.id for u in units]
    cond = period_conditions(period.start, period.end)
    petitions = Matter.objects.filter(kind=Matter.Kind.PETITION, owner_id__in=ids)
    counts: dict[int, Any] = {
        row["owner_id"]: row
        for row in petitions.values("owner_id").annotate(
            received=Count("id", filter=cond["received"]),
            resolved_on_time=Count("id", filter=cond["resolved_on_time"]),
            resolved_late=Count("id", filter=cond["resolved_late"]),
            open_overdue=Count("id", filter=cond["overdue"]),
        )
    }
    days: dict[int, list[int]] = {}
    resolved = petitions.filter(cond["resolved_on_time"] | cond["resolved_late"])
    for owner_id, opened, closed in resolved.values_list("owner_id", "opened_on", "closed_on"):
        if closed is not None:
            days.setdefault(owner_id, []).append((closed - opened).days)
    ratings = _ratings(ids, period)
    rows = []
    for unit in units:
        c = counts.get(unit.id, {})
        mean, n = ratings.get(unit.id, (None, 0))
        spans = days.get(unit.id)
        rows.append(
            {
                "unit": unit.code,
                "name": unit.name,
                "received": c.get("received", 0),
                "resolved_on_time": c.get("resolved_on_time", 0),
                "resolved_late": c.get("resolved_late", 0),
                "open_overdue": c.get("open_overdue", 0),
                "median_days": float(statistics.median(spans)) if spans else None,
                "rating_mean": round(mean, 2) if mean is not None else None,
                "ratings": n,
            }
        )
    return rows
