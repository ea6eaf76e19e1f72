"""Reads of petitions that depend on who asks (through the matter selectors, which decide
access: out of scope is 404, visible but not theirs to change is 403)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from common.errors import NotFound
from matters.models import Matter
from matters.selectors import (
    get_matter_for_user,
    matter_list_for_user,
    matters_visible_to,
    require_can_act,
)
from petitions.models import Document, Petition, ReceptionDuty, ReceptionSession, Visit
from units.models import Unit
from units.selectors import units_visible_to, visible_unit_ids


def get_petition_for_user(user: Any, code: str) -> Petition:
    """The petition ``code`` if the user may see it, else NotFound (404)."""
    matter = get_matter_for_user(user, code, kind=Matter.Kind.PETITION)
    petition = Petition.objects.select_related("first_instance__matter", "processing_rule").get(
        matter=matter
    )
    petition.matter = matter
    return petition


def get_document_for_user(user: Any, code: str, document_id: int) -> Document:
    """A document of petition ``code`` if the user may see the petition, else NotFound."""
    petition = get_petition_for_user(user, code)
    document = Document.objects.filter(petition=petition, pk=document_id).first()
    if document is None:
        raise NotFound(_("No document %(id)s of %(code)s") % {"id": document_id, "code": code})
    return document


def get_petition_to_act(user: Any, code: str) -> Petition:
    """The petition ``code`` if the user may change it: 404 out of scope, 403 read-only."""
    petition = get_petition_for_user(user, code)
    require_can_act(user, petition.matter)
    return petition


def petitions_visible_to(user: Any) -> QuerySet[Matter]:
    """Matters of kind petition that the user may see (``matters_visible_to`` decides)."""
    return matters_visible_to(user, Matter.objects.filter(kind=Matter.Kind.PETITION))


def petition_list_for_user(
    user: Any,
    *,
    today: date,
    kind: str | None = None,
    status: str | None = None,
    **filters: Any,
) -> QuerySet[Matter]:
    """Matters of kind petition the user sees, with the filters of ``matter_list_for_user``
    (owner, state, area, category, query, ...), ordered by code. ``kind`` here is the kind
    of petition (complaint, denunciation, proposal); ``for_count`` as there."""
    qs = matter_list_for_user(user, today=today, kind=Matter.Kind.PETITION, **filters)
    if kind:
        qs = qs.filter(petition__kind=kind)
    if status:
        qs = qs.filter(status=status)
    if filters.get("for_count"):
        return qs
    return qs.select_related("petition__first_instance__matter", "handler")


# -- citizen reception --------------------------------------------------------------------


def sessions_for_user(user: Any) -> QuerySet[ReceptionSession]:
    """Reception sessions of the units the user sees, newest first."""
    units = visible_unit_ids(user)
    qs = ReceptionSession.objects.select_related("unit", "head").order_by("-held_on", "-id")
    return qs if units is None else qs.filter(unit_id__in=units)


def get_session_for_user(user: Any, session_id: int) -> ReceptionSession:
    session = sessions_for_user(user).filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("No reception session %(id)s") % {"id": session_id})
    return session


def visits_for_user(user: Any) -> QuerySet[Visit]:
    units = visible_unit_ids(user)
    qs = Visit.objects.select_related("unit", "session", "petition__matter").order_by(
        "-visited_on", "-number"
    )
    return qs if units is None else qs.filter(unit_id__in=units)


@dataclass(frozen=True)
class DutyRow:
    unit: Unit
    head_name: str
    minimum: int
    per: str
    source: str
    required: int
    held: int
    missing_periods: list[str]

    @property
    def behind(self) -> bool:
        return bool(self.missing_periods)


def _duty_for(unit: Unit, duties: dict[tuple[str, str], ReceptionDuty]) -> ReceptionDuty | None:
    level = unit.area.kind if unit.area_id and unit.area else "any"
    return duties.get((unit.kind, level)) or duties.get((unit.kind, "any"))


def reception_compliance(user: Any, year: int, month: int, day: date) -> list[DutyRow]:
    """For every unit the user sees whose head has a reception duty: the periods of
    ``year``/``month`` that have ended by ``day`` (weeks starting in the month, or the month)
    and those without the minimum of sessions held by the head."""
    first = date(year, month, 1)
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    duties = {(d.unit_kind, d.level): d for d in ReceptionDuty.objects.all()}
    units = [u for u in units_visible_to(user).filter(head__isnull=False).order_by("code")]
    held: dict[int, list[date]] = {}
    for unit_id, held_on in ReceptionSession.objects.filter(
        unit_id__in=[u.id for u in units],
        held_on__gte=first - timedelta(days=6),
        held_on__lte=last + timedelta(days=6),
        head__isnull=False,
    ).values_list("unit_id", "held_on"):
        held.setdefault(unit_id, []).append(held_on)
    rows = []
    for unit in units:
        duty = _duty_for(unit, duties)
        if duty is None:
            continue
        days = held.get(unit.id, [])
        if duty.per == ReceptionDuty.Per.WEEK:
            mondays = [first + timedelta(days=(7 - first.weekday()) % 7 + 7 * i) for i in range(6)]
            periods = [(m, m + timedelta(days=6)) for m in mondays if m <= last]
        else:
            periods = [(first, last)]
        ended = [(a, b) for a, b in periods if b < day]
        missing = [
            f"{a:%d/%m}–{b:%d/%m}" if a != first or b != last else f"{month:02d}/{year}"
            for a, b in ended
            if sum(1 for d in days if a <= d <= b) < duty.minimum
        ]
        in_month = sum(1 for d in days if first <= d <= last)
        rows.append(
            DutyRow(
                unit=unit,
                head_name=str(unit.head) if unit.head else "",
                minimum=duty.minimum,
                per=duty.per,
                source=duty.source,
                required=duty.minimum * len(ended),
                held=in_month,
                missing_periods=missing,
            )
        )
    return rows
