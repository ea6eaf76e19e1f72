"""Writes of cases: open, record an action on the timeline, settle.

Atomic, all input checked at once (``Invalid`` names each bad field), audited in the same
transaction. Access is checked by the callers through ``cases.selectors``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from cases.models import Case, CaseAction, CasePetition, Risk
from common.clock import today as clock_today
from common.errors import Conflict, Invalid
from common.text import nfc
from matters.models import Matter, Participant
from matters.selectors import matters_visible_to
from matters.services import matter_close, matter_new, matter_touch, participants_set, refs_checked
from units.models import Unit

CASE_OPEN = "open"
CASE_SETTLED = "settled"


def resolve_lead(code: str) -> Unit:
    unit = Unit.objects.filter(code=nfc(code or ""), is_active=True).first()
    if unit is None:
        raise Invalid({"lead": _("no unit with code %(codes)s") % {"codes": code}})
    return unit


@transaction.atomic
def case_open(
    *,
    actor: Any,
    title: str,
    area: str,
    category: str,
    lead: Unit,
    coordinating: list[str],
    risk: str,
    opened_on: date,
    due_on: date,
    participants: int = 0,
    petitions: list[str] | None = None,
    summary: str = "",
) -> Case:
    """Open a case owned by ``lead``. ``participants`` is how many people are involved: a
    count, never names. ``petitions`` are codes of petitions the actor can see."""
    title = nfc(title or "")
    errors = _case_field_errors(title, risk, participants, opened_on, due_on)
    units = _coordinating_units(coordinating, lead, errors)
    linked = _visible_petitions(actor, petitions or [], errors)
    area_obj, cat_obj, _unused = refs_checked(
        errors, area=area, category=category, owner=None, on=opened_on
    )
    if errors:
        raise Invalid(errors)
    assert area_obj is not None and cat_obj is not None
    matter = matter_new(
        kind=Matter.Kind.CASE,
        title=title,
        area=area_obj,
        category=cat_obj,
        owner=lead,
        opened_on=opened_on,
        status=CASE_OPEN,
        due_on=due_on,
    )
    case = Case.objects.create(
        matter=matter, risk=risk, people=participants, summary=nfc(summary or "")
    )
    participants_set(matter, list(units.values()), Participant.Role.COORDINATING)
    CasePetition.objects.bulk_create([CasePetition(case=case, petition=m) for m in linked])
    audit_record(
        actor=actor,
        action="case.open",
        matter=matter.code,
        unit=lead.code,
        data={
            "risk": risk,
            "coordinating": sorted(units),
            "petitions": [m.code for m in linked],
            "due_on": due_on.isoformat(),
        },
    )
    return case


def _case_field_errors(
    title: str, risk: str, participants: int, opened_on: date, due_on: date
) -> dict[str, str]:
    """What is wrong with the case's own fields, by field."""
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("required")
    if risk not in Risk.values:
        errors["risk"] = _("must be one of %(values)s") % {"values": ", ".join(Risk.values)}
    if isinstance(participants, bool) or not isinstance(participants, int) or participants < 0:
        errors["participants"] = _("must be a count of people (0 or more)")
    if opened_on > clock_today():
        errors["opened_on"] = _("%(date)s is in the future") % {"date": f"{opened_on:%d/%m/%Y}"}
    if due_on < opened_on:
        errors["due_on"] = _("must not be before the day the case was opened")
    return errors


def _coordinating_units(codes: list[str], lead: Unit, errors: dict[str, str]) -> dict[str, Unit]:
    """The coordinating units by code; an unknown code, or the lead among them, goes into
    ``errors``."""
    codes = [nfc(c) for c in codes]
    units = {u.code: u for u in Unit.objects.filter(code__in=codes, is_active=True)}
    unknown = [c for c in codes if c not in units]
    if unknown:
        errors["coordinating"] = _("no unit with code %(codes)s") % {"codes": ", ".join(unknown)}
    elif lead.code in units:
        errors["coordinating"] = _("%(unit)s leads the case and cannot also coordinate") % {
            "unit": lead.code
        }
    return units


def _visible_petitions(actor: Any, codes: list[str], errors: dict[str, str]) -> list[Matter]:
    """The petitions of ``codes`` the actor sees; the others go into ``errors``, the same
    whether they do not exist or are out of the actor's scope."""
    wanted = sorted({nfc(c) for c in codes})
    linked = list(
        matters_visible_to(actor, Matter.objects.filter(kind=Matter.Kind.PETITION, code__in=wanted))
    )
    missing = sorted(set(wanted) - {m.code for m in linked})
    if missing:
        errors["petitions"] = _("no petition with code %(codes)s") % {"codes": ", ".join(missing)}
    return linked


# The steps a case takes once open: (its text field, the refusal of an empty text, its day
# field, the refusal once the case is settled).
STEPS = {
    "action": (
        "note",
        gettext_lazy("required: what was done"),
        "on",
        gettext_lazy("%(code)s is settled; it takes no more actions"),
    ),
    "settle": (
        "outcome",
        gettext_lazy("required: how the case was settled"),
        "settled_on",
        gettext_lazy("%(code)s is already settled"),
    ),
}


def _step_checked(
    step: str, matter: Matter, text: str, day: date, expected_version: int | None
) -> str:
    """A step of ``STEPS`` checked: its text (returned in NFC) is required, its day neither
    in the future nor before the case was opened (422); the case is still open (409) and
    unchanged since the caller read it (``matter_touch``)."""
    text_field, text_missing, day_field, closed = STEPS[step]
    text = nfc(text or "")
    errors: dict[str, str] = {}
    if not text:
        errors[text_field] = str(text_missing)
    if day > clock_today():
        errors[day_field] = _("%(date)s is in the future") % {"date": f"{day:%d/%m/%Y}"}
    elif day < matter.opened_on:
        errors[day_field] = _("must not be before the case was opened (%(date)s)") % {
            "date": f"{matter.opened_on:%d/%m/%Y}"
        }
    if errors:
        raise Invalid(errors)
    if not matter.is_open:
        raise Conflict(str(closed) % {"code": matter.code})
    matter_touch(matter, expected_version)
    return text


@transaction.atomic
def case_add_action(
    *,
    actor: Any,
    case: Case,
    on: date,
    note: str,
    expected_version: int | None = None,
    unit: Unit | None = None,
) -> CaseAction:
    """Add a step to the timeline, by ``unit`` (default: the actor's unit). A settled case
    takes none (409)."""
    matter = case.matter
    note = _step_checked("action", matter, note, on, expected_version)
    unit = unit or actor.unit
    action = CaseAction.objects.create(case=case, unit=unit, on=on, note=note, by=actor)
    audit_record(
        actor=actor,
        action="case.action",
        matter=matter.code,
        unit=unit.code,
        data={"on": on.isoformat()},
    )
    return action


@transaction.atomic
def case_settle(
    *, actor: Any, case: Case, settled_on: date, outcome: str, expected_version: int | None = None
) -> Case:
    """Settle the case: done on time or late by ``settled_on`` against its due date."""
    matter = case.matter
    outcome = _step_checked("settle", matter, outcome, settled_on, expected_version)
    matter_close(matter, status=CASE_SETTLED, closed_on=settled_on, outcome=outcome)
    case.settled_on = settled_on
    case.save(update_fields=["settled_on"])
    audit_record(
        actor=actor,
        action="case.settle",
        matter=matter.code,
        unit=matter.owner.code,
        data={"settled_on": settled_on.isoformat(), "due_on": str(matter.due_on)},
    )
    return case
