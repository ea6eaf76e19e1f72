"""Reads of the citizens' front door: communes for the search box, similar open reports
nearby, a petition's public history and answer, what is held about a citizen, and the
ratings and reopenings per unit for the scorecards and the dashboard. Nothing here returns
personal data or anything sealed to a public caller."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from citizens.contacts import SEALED_PREFIX
from citizens.models import DataRequest, Feedback, PublicFiling, Reopening
from common.clock import today
from common.errors import NotFound
from common.text import fold
from matters.models import Handoff, Matter
from petitions.models import Kind, Petition, Status

NEARBY_METRES = 500


def communes_matching(q: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """Communes in force whose folded name contains the folded ``q`` (2 letters at least);
    names that start with it first."""
    from areas.models import Area

    needle = fold(q or "").strip()
    if len(needle) < 2:
        return []
    day = today()
    rows = (
        Area.objects.filter(kind=Area.Kind.COMMUNE, search_name__contains=needle)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("parent")
        .order_by("search_name", "code")[:200]
    )
    found = sorted(rows, key=lambda a: (not a.search_name.startswith(needle), a.search_name))
    return [
        {
            "code": a.code,
            "name": a.name,
            "province": a.parent.name if a.parent else "",
            "lat": a.latitude,
            "lon": a.longitude,
        }
        for a in found[:limit]
    ]


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def public_filings() -> QuerySet[PublicFiling]:
    """Proposals their citizens agreed to show on the public map (with rounded points)."""
    return PublicFiling.objects.filter(
        public=True, petition__kind=Kind.PROPOSAL, public_lat__isnull=False
    ).select_related("petition__matter", "petition__matter__category", "petition__matter__area")


def similar_nearby(
    *, lat: float, lon: float, category: str = "", limit: int = 5
) -> list[dict[str, Any]]:
    """Open public proposals within NEARBY_METRES of the point, of ``category`` if given."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return []
    dlat = NEARBY_METRES / 111_000
    dlon = NEARBY_METRES / (111_000 * max(math.cos(math.radians(lat)), 0.01))
    rows = public_filings().filter(
        public_lat__range=(lat - dlat, lat + dlat),
        public_lon__range=(lon - dlon, lon + dlon),
        petition__matter__is_open=True,
    )
    if category:
        rows = rows.filter(petition__matter__category_id=category)
    found: list[dict[str, Any]] = []
    for filing in rows[:200]:
        assert filing.public_lat is not None and filing.public_lon is not None
        distance = _metres(lat, lon, filing.public_lat, filing.public_lon)
        if distance <= NEARBY_METRES:
            matter = filing.petition.matter
            found.append(
                {
                    "code": matter.code,
                    "summary": filing.petition.summary,
                    "status": matter.status,
                    "category": matter.category_id,
                    "distance_m": int(round(distance)),
                }
            )
    found.sort(key=lambda row: row["distance_m"])
    return found[:limit]


@dataclass(frozen=True)
class Step:
    on: date
    status: str
    unit: str


def petition_history(petition: Petition) -> list[Step]:
    """The steps of a petition with the unit at each: received, transferred, accepted,
    extended, suspended and resumed, closed, reopened. Names of units only: no people."""
    matter: Matter = petition.matter
    handoffs = list(
        Handoff.objects.filter(matter=matter)
        .select_related("from_unit", "to_unit")
        .order_by("at", "id")
    )
    first_unit = handoffs[0].from_unit.name if handoffs else matter.owner.name
    steps: list[Step] = [Step(petition.received_on, Status.RECEIVED, first_unit)]
    for h in handoffs:
        steps.append(Step(h.at.date(), "transferred", h.to_unit.name))
    owner = matter.owner.name
    if petition.accepted_on:
        steps.append(Step(petition.accepted_on, Status.ACCEPTED, owner))
    for ext in petition.extension_log.all():
        steps.append(Step(ext.on, "extended", owner))
    for sus in petition.suspension_log.all():
        steps.append(Step(sus.on, Status.SUSPENDED, owner))
        if sus.resumed_on:
            steps.append(Step(sus.resumed_on, "resumed", owner))
    reopenings = list(Reopening.objects.filter(petition=petition).select_related("unit"))
    for r in reopenings:
        if r.closed_on:
            steps.append(Step(r.closed_on, Status.RESOLVED, r.unit.name))
        steps.append(Step(r.on, "reopened", r.unit.name))
    if not matter.is_open and matter.closed_on:
        steps.append(Step(matter.closed_on, matter.status, owner))
    steps.sort(key=lambda s: s.on)
    return steps


def public_answer(petition: Petition) -> str | None:
    """The published result once resolved (never for a sealed petition's identity: the
    outcome text is the decision's, written for the public)."""
    matter = petition.matter
    if matter.status != Status.RESOLVED or matter.is_open:
        return None
    return matter.outcome or None


def data_held(petition: Petition) -> list[str]:
    """The kinds of personal data held for the citizen who filed ``petition`` (names of
    fields, not their values)."""
    held: list[str] = []
    if petition.sealed:
        held.append(_("identity, sealed in the vault: full name, ID number, address"))
    elif petition.petitioners.exists():
        held.append(_("full name, ID number, address"))
    filing = PublicFiling.objects.filter(petition=petition).first()
    if filing is not None:
        held.append(
            _("e-mail address for the status messages")
            if filing.contact_kind == "email"
            else _("phone number for the status messages")
        )
        if filing.lat is not None:
            held.append(_("location of the report"))
        count = filing.photos.count()
        if count:
            held.append(_("%(n)s photos, without metadata") % {"n": count})
    held.append(_("content of the petition"))
    return held


# --- scorecards and dashboard -------------------------------------------------------------------


def ratings_by_unit(
    unit_ids: Iterable[int] | None, start: date, end: date
) -> dict[int, dict[str, Any]]:
    """Per unit: ``ratings`` (count) and ``rating_mean`` of the ratings given in
    [start, end], and ``reopened``: proposals reopened against it in that period."""
    rated = Feedback.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    reopened = Reopening.objects.filter(on__gte=start, on__lte=end)
    if unit_ids is not None:
        ids = list(unit_ids)
        rated = rated.filter(unit_id__in=ids)
        reopened = reopened.filter(unit_id__in=ids)
    out: dict[int, dict[str, Any]] = {}
    for row in rated.values("unit_id").annotate(n=Count("id"), mean=Avg("rating")):
        out[row["unit_id"]] = {
            "ratings": row["n"],
            "rating_mean": round(float(row["mean"]), 2),
            "reopened": 0,
        }
    for unit_id, n in reopened.values_list("unit_id").annotate(n=Count("id")):
        out.setdefault(unit_id, {"ratings": 0, "rating_mean": None, "reopened": 0})
        out[unit_id]["reopened"] = n
    return out


def ratings_for_subtrees(codes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Per unit code: the citizens' ``ratings`` (count), ``rating_mean`` and ``reopened``
    (proposals reopened against it) of that unit and every unit below it, all time."""
    from units.models import Unit

    units = list(Unit.objects.filter(code__in=list(codes)).values_list("code", "path"))
    if not units:
        return {}
    rated = list(
        Feedback.objects.values_list("unit__path").annotate(n=Count("id"), total=Sum("rating"))
    )
    reopened = list(Reopening.objects.values_list("unit__path").annotate(n=Count("id")))
    out: dict[str, dict[str, Any]] = {}
    for code, path in units:
        n = sum(row[1] for row in rated if row[0].startswith(path))
        total = sum(row[2] or 0 for row in rated if row[0].startswith(path))
        out[code] = {
            "ratings": n,
            "rating_mean": round(total / n, 1) if n else None,
            "reopened": sum(row[1] for row in reopened if row[0].startswith(path)),
        }
    return out


def scorecard_columns(unit_ids: list[int], today: date) -> dict[int, dict[str, int | float | None]]:
    """The scorecards' columns (``matters.contributions``): per unit id, the ratings of the
    unit and the units below it, their mean, and the proposals reopened against them."""
    from units.models import Unit

    codes = dict(Unit.objects.filter(id__in=unit_ids).values_list("id", "code"))
    rated = ratings_for_subtrees(codes.values())
    none: dict[str, int | float | None] = {"ratings": 0, "rating_mean": None, "reopened": 0}
    return {uid: dict(rated.get(codes.get(uid, ""), none)) for uid in unit_ids}


# --- personal data requests, for the officials who answer them ----------------------------------


def may_see_data_requests(user: Any) -> bool:
    """Whoever acts on matters (and the administrators, who see the page empty)."""
    return bool(user.is_active and (user.is_superuser or user.is_admin or user.can_act))


def data_requests_for(user: Any) -> QuerySet[DataRequest]:
    """The personal data requests the user's unit owns, for its officials who act on
    matters; nothing for anybody else (not even another unit's head: a request is about one
    citizen's data, answered by the unit that holds their petition)."""
    if not (user.is_active and user.unit_id and user.can_act):
        return DataRequest.objects.none()
    return DataRequest.objects.filter(unit_id=user.unit_id).select_related(
        "petition__matter", "unit", "rule"
    )


def data_request_for_user(user: Any, code: str) -> DataRequest:
    """One request of the user's unit; NotFound alike when it is unknown or another unit's
    (its existence does not leak)."""
    found = data_requests_for(user).filter(code=code).first()
    if found is None:
        raise NotFound(_("no request %(code)s") % {"code": code})
    return found


def data_request_state(request: DataRequest, day: date) -> str:
    """The legal clock of a request in the words of the matters' states: in time, due soon,
    overdue; once answered, on time or late."""
    from django.conf import settings

    due = request.due_on
    if request.status == DataRequest.Status.ANSWERED:
        late = due is not None and request.answered_on is not None and request.answered_on > due
        return "done_late" if late else "done_on_time"
    if due is None or due > day + timedelta(days=settings.DUE_SOON_DAYS):
        return "in_time"
    return "overdue" if due < day else "due_soon"


@dataclass
class Held:
    """One piece of personal data held, as the answering official reads it."""

    label: str
    value: str


def data_held_values(petition: Petition) -> list[Held]:
    """What is held about the citizen who filed ``petition``, with the values, for the
    officials of the owner unit to answer the request. A sealed identity (and a sealed
    contact) is named as sealed and never shown here: it is revealed only from the vault,
    by those who may, with a reason."""
    held: list[Held] = []
    sealed = _("sealed in the vault")
    if petition.sealed:
        held.append(Held(_("full name, ID number, address"), sealed))
    for person in petition.petitioners.order_by("position"):
        held.append(Held(_("full name"), person.full_name))
        for label, value in (
            (_("ID number"), person.id_number),
            (_("address"), person.address),
            (_("phone"), person.phone),
        ):
            if value:
                held.append(Held(label, value))
    filing = PublicFiling.objects.filter(petition=petition).first()
    if filing is not None:
        contact = sealed if filing.contact.startswith(SEALED_PREFIX) else filing.contact
        label = _("e-mail") if filing.contact_kind == "email" else _("phone")
        if not filing.contact_verified:
            contact = _("%(contact)s (not verified)") % {"contact": contact}
        held.append(Held(label, contact))
        if filing.lat is not None and filing.lon is not None:
            held.append(Held(_("location of the report"), f"{filing.lat:.5f}, {filing.lon:.5f}"))
        count = filing.photos.count()
        if count:
            held.append(Held(_("photos"), _("%(n)s photos, without metadata") % {"n": count}))
    return held
