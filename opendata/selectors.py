"""Public reads (no login): statistics per unit for a period, the public map, and the
proposals Open311 shows. Nothing here returns a personal field: queries name the columns
they read, and none of them is a petitioner's, a handler's or the vault's."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from areas.models import Area
from common.clock import today
from common.errors import Invalid
from matters.models import Category, Matter
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
MAP_LIMIT = 5000


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
    """Mean and count of the citizens' ratings given to each unit in the period, as the
    scorecards count them (``citizens.selectors.ratings_by_unit``); none until the citizens'
    app is installed."""
    try:
        from citizens.selectors import ratings_by_unit
    except ImportError:  # pragma: no cover - the citizens' app lands beside this one
        return {}
    return {
        unit_id: (row["rating_mean"], row["ratings"])
        for unit_id, row in ratings_by_unit(unit_ids, period.start, period.end).items()
        if row["ratings"]
    }


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


# ---- the public listing (map and Open311) ---------------------------------------------------


def listed_proposals() -> QuerySet[Any]:
    """Online filings the citizen let appear publicly, that are proposals and not sealed
    (``public`` is only ever set on proposals; the other two conditions make sure)."""
    from citizens.models import PublicFiling

    return PublicFiling.objects.filter(
        public=True, petition__kind="proposal", petition__sealed=False
    )


# The only columns a public answer reads. No petitioner, contact, handler, content or exact
# point is among them.
LISTING_COLUMNS = (
    "petition__matter__code",
    "petition__matter__category_id",
    "petition__matter__status",
    "petition__matter__is_open",
    "petition__matter__area_id",
    "petition__matter__area__name",
    "petition__matter__area__kind",
    "petition__summary",
    "public_lat",
    "public_lon",
)


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    """``lon1,lat1,lon2,lat2`` (west, south, east, north) as four floats; Invalid naming
    ``bbox`` otherwise."""
    if raw is None or raw == "":
        return None
    parts = raw.split(",")
    try:
        if len(parts) != 4:
            raise ValueError
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise Invalid({"bbox": "must be four numbers: lon1,lat1,lon2,lat2"}) from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise Invalid(
            {"bbox": "must be west,south,east,north with west <= east and south <= north"}
        )
    return west, south, east, north


def map_features(
    *, bbox: tuple[float, float, float, float] | None, province: str | None, status: str | None
) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the listed proposals in the box (and/or province) that
    have a point: each with its code, category, status, commune and rounded point; at most
    MAP_LIMIT, newest first."""
    if bbox is None and not province:
        raise Invalid({"bbox": "required (or province): lon1,lat1,lon2,lat2"})
    if status and status not in ("open", "closed"):
        raise Invalid({"status": "must be open or closed"})
    if province:
        get_province(province)
    return _map_answer(bbox, province, status)


def _map_answer(
    bbox: tuple[float, float, float, float] | None, province: str | None, status: str | None
) -> dict[str, Any]:
    """The FeatureCollection itself, built from one query (inputs already checked)."""
    qs = listed_proposals().filter(public_lat__isnull=False, public_lon__isnull=False)
    if province:
        qs = qs.filter(petition__matter__province=province)
        extent = province_extent(province)
        if bbox is None and extent is not None:
            # The province's box lets the point index do the work; the province filter
            # then drops the few points of a neighbour inside it.
            bbox = extent
    if bbox is not None:
        west, south, east, north = bbox
        qs = qs.filter(
            public_lat__gte=south, public_lat__lte=north, public_lon__gte=west, public_lon__lte=east
        )
    if status:
        qs = qs.filter(petition__matter__is_open=status == "open")
    categories = category_labels()
    commune_kind = Area.Kind.COMMUNE
    features = []
    rows = qs.order_by("-petition_id").values_list(*LISTING_COLUMNS)[:MAP_LIMIT]
    # Tuples in LISTING_COLUMNS order: a province's thousand points are built in Python, so
    # this loop stays plain.
    for code, category, status_, is_open, area, area_name, area_kind, summary, lat, lon in rows:
        in_commune = area_kind == commune_kind
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "code": code,
                    "category": category,
                    "category_label": categories.get(category, category),
                    "status": status_,
                    "open": is_open,
                    "commune": area_name if in_commune else None,
                    "commune_code": area if in_commune else None,
                    "summary": summary,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


_EXTENTS: dict[str, tuple[float, float, float, float] | None] = {}


def province_extent(code: str) -> tuple[float, float, float, float] | None:
    """The box around a province's communes (west, south, east, north) with a margin of
    about 5 km, remembered by the process; None when no commune has a point."""
    if code not in _EXTENTS:
        points = list(
            Area.objects.filter(
                parent_id=code, latitude__isnull=False, longitude__isnull=False
            ).values_list("latitude", "longitude")
        )
        if not points:
            return None
        lats = [p[0] for p in points if p[0] is not None]
        lons = [p[1] for p in points if p[1] is not None]
        margin = 0.05
        _EXTENTS[code] = (
            min(lons) - margin,
            min(lats) - margin,
            max(lons) + margin,
            max(lats) + margin,
        )
    return _EXTENTS[code]


def commune_of(row: dict[str, Any]) -> tuple[str, str] | None:
    """The commune's code and name of a listed row (None when filed for a whole province)."""
    if row["petition__matter__area__kind"] != Area.Kind.COMMUNE:
        return None
    return row["petition__matter__area_id"], row["petition__matter__area__name"]


def category_labels() -> dict[str, str]:
    return dict(Category.objects.values_list("code", "label"))
