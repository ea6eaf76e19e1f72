"""Citizen reception: heads' sessions and the reception book (visits). A visit can register
a petition in the same step; a denouncer's visit keeps no identity in the book."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.clock import today
from common.errors import Forbidden, Invalid
from common.text import nfc
from matters.services import sequence_next
from petitions.models import Channel, Kind, Petition, ReceptionSession, Visit
from petitions.services.intake import ID_NUMBER, petition_receive
from units.models import Unit


def _unit_to_act(actor: Any, code: str | None) -> Unit:
    """The unit the actor records reception for: their own (administrators may name one)."""
    if code and (actor.is_superuser or actor.is_admin):
        unit = Unit.objects.filter(code=code, is_active=True).first()
        if unit is None:
            raise Invalid({"unit": _("no unit with code %(code)s") % {"code": code}})
        return unit
    if actor.unit_id is None or not actor.can_act:
        raise Forbidden(_("only officials of a unit record its citizen reception"))
    if code and code != actor.unit.code:
        raise Forbidden(_("you may record citizen reception only for your own unit"))
    return actor.unit


@transaction.atomic
def reception_session_create(
    *,
    actor: Any,
    held_on: date | None,
    place: str,
    kind: str = "regular",
    note: str = "",
    unit: str | None = None,
) -> ReceptionSession:
    """Record (or schedule) a head's reception session of the actor's unit."""
    owner = _unit_to_act(actor, unit)
    errors: dict[str, str] = {}
    place = nfc(place or "")
    if held_on is None:
        errors["held_on"] = _("required")
    if not place:
        errors["place"] = _("required")
    if kind not in ReceptionSession.SessionKind.values:
        errors["kind"] = _("must be one of %(values)s") % {
            "values": ", ".join(ReceptionSession.SessionKind.values)
        }
    if owner.head_id is None:
        errors["unit"] = _("%(unit)s has no head to receive citizens") % {"unit": owner.code}
    if errors:
        raise Invalid(errors)
    assert held_on is not None
    session = ReceptionSession.objects.create(
        unit=owner,
        head_id=owner.head_id,
        held_on=held_on,
        place=place,
        kind=kind,
        note=nfc(note or ""),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="reception.session",
        unit=owner.code,
        data={"held_on": held_on, "kind": kind, "session": session.pk},
    )
    return session


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    visited_on: date | None,
    content: str,
    full_name: str = "",
    address: str = "",
    id_document: str = "",
    prior_handling: str = "",
    request: str = "",
    handling: str = "",
    people: int = 1,
    result: str = "",
    session: ReceptionSession | None = None,
    petition: dict[str, Any] | None = None,
) -> Visit:
    """Write one entry of the reception book (LTCD Art. 25(2)) of the actor's unit, numbered
    without gaps per unit and year. With ``petition`` (kind, category, area, summary and
    optionally signers), the visit registers that petition in the same step, received in
    person on ``visited_on``; a denunciation's visitor is sealed with it and the book keeps
    no name, address or document."""
    unit = _unit_to_act(actor, session.unit.code if session else None)
    content = nfc(content or "")
    full_name = nfc(full_name or "")
    _check_visit(unit, visited_on, content, people, session)
    assert visited_on is not None
    sealed = bool(petition and petition.get("kind") == Kind.DENUNCIATION)
    created: Petition | None = None
    if petition:
        person = {"full_name": full_name, "address": address, "id_document": id_document}
        created = _visit_petition(actor, unit, petition, visited_on, content, person, people)
    visit = Visit.objects.create(
        unit=unit,
        session=session,
        number=sequence_next(f"visit:{unit.code}", visited_on.year),
        visited_on=visited_on,
        full_name="" if sealed else full_name,
        address="" if sealed else nfc(address or ""),
        id_document="" if sealed else nfc(id_document or ""),
        content=content,
        prior_handling=nfc(prior_handling or ""),
        request=nfc(request or ""),
        handling=nfc(handling or ""),
        people=people,
        result=nfc(result or ""),
        sealed=sealed,
        vault_ref=created.vault_ref if created and sealed else "",
        petition=created,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="reception.visit",
        unit=unit.code,
        matter=created.matter.code if created else "",
        data={"visit": visit.pk, "number": visit.number, "people": people, "sealed": sealed},
    )
    if created is not None:
        visit.receipt_pin = created.receipt_pin  # type: ignore[attr-defined]
    return visit


def _check_visit(
    unit: Unit,
    visited_on: date | None,
    content: str,
    people: int,
    session: ReceptionSession | None,
) -> None:
    """A visit has a day (not ahead), a content, one visitor or more and, if any, a session
    of the same unit; raises ``Invalid`` naming every field that is wrong."""
    errors: dict[str, str] = {}
    if visited_on is None:
        errors["visited_on"] = _("required")
    elif visited_on > today():
        errors["visited_on"] = _("%(day)s is in the future") % {"day": f"{visited_on:%d/%m/%Y}"}
    if not content:
        errors["content"] = _("required")
    if not isinstance(people, int) or people < 1:
        errors["people"] = _("must be 1 or more")
    if session is not None and session.unit_id != unit.id:
        errors["session"] = _("the session belongs to another unit")
    if errors:
        raise Invalid(errors)


def _visit_petition(
    actor: Any,
    unit: Unit,
    petition: dict[str, Any],
    visited_on: date,
    content: str,
    visitor: dict[str, str],
    people: int,
) -> Petition:
    """The petition the visit registers, received in person on the day of the visit; its
    errors are named under ``petition.``."""
    full_name = visitor["full_name"]
    number = visitor["id_document"].replace(" ", "")
    person = {
        "full_name": full_name,
        "address": visitor["address"],
        "id_number": number if ID_NUMBER.match(number) else "",
    }
    try:
        return petition_receive(
            actor=actor,
            kind=str(petition.get("kind") or ""),
            channel=Channel.IN_PERSON,
            received_on=visited_on,
            area=str(petition.get("area") or ""),
            category=str(petition.get("category") or ""),
            summary=str(petition.get("summary") or "") or content[:300],
            content=content,
            petitioners=[person] if full_name else [],
            signers=max(int(petition.get("signers") or people), 1),
            owner=unit.code,
        )
    except Invalid as exc:
        raise Invalid({f"petition.{k}": v for k, v in exc.errors.items()})
