"""Writes shared by every kind of matter: codes, creation, handoffs, closing, concurrency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from areas.services import area_for_matter
from audit.services import audit_record
from common.errors import Conflict, Forbidden, Invalid
from common.text import fold, nfc
from matters.models import Category, Handoff, Matter, Participant, Sequence
from units.models import Unit
from units.selectors import lowest_common_superior

CODE_PREFIX: dict[str, str] = {
    Matter.Kind.PETITION: "D",
    Matter.Kind.TASK: "NV",
    Matter.Kind.CASE: "VV",
    Matter.Kind.REVIEW: "TD",
    Matter.Kind.CONSULTATION: "YK",
    Matter.Kind.STATEMENT: "PN",
}


def sequence_next(scope: str, year: int) -> int:
    """The next number of ``scope`` in ``year``, without gaps or duplicates: the row is locked
    for the rest of the caller's transaction, and a rolled-back transaction gives it back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next must be called inside transaction.atomic()")
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    table = quote(Sequence._meta.db_table)
    scope_, year_, last = quote("scope"), quote("year"), quote("last")
    # One statement: the row is created at 1 or counted up, and stays locked (as an update).
    # Names quoted from the model, values as parameters.
    sql = (
        f"INSERT INTO {table} ({scope_}, {year_}, {last}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({scope_}, {year_}) DO UPDATE SET {last} = {table}.{last} + 1 "
        f"RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [scope, year])
        row = cursor.fetchone()
    return int(row[0])


def matter_code(kind: str, province: str, year: int) -> str:
    number = sequence_next(f"matter:{kind}:{province}", year)
    return f"{CODE_PREFIX[kind]}{year}-{province}-{number:06d}"


def validate_refs(
    *,
    area: str | None,
    category: str | None,
    owner: str | None,
    on: date | None = None,
    area_before: str | None = None,
) -> tuple[Area | None, Category | None, Unit | None]:
    """Resolve codes to objects, naming every bad one at once. ``area`` may be a code or an
    address from before 1 July 2025 (``areas.services.area_for_matter`` on the day ``on``),
    or an area in force chosen among the successors of ``area_before``: the area returned
    then has ``.before`` the old area."""
    errors: dict[str, str] = {}
    area_obj = cat_obj = unit_obj = None
    if area is not None:
        try:
            area_obj = area_for_matter(area, on=on, before=area_before)
        except Invalid as exc:
            errors.update(exc.errors)
    if category is not None:
        cat_obj = Category.objects.filter(code=category, is_active=True).first()
        if cat_obj is None:
            errors["category"] = _("no category with code %(code)s") % {"code": category}
    if owner is not None:
        unit_obj = Unit.objects.filter(code=owner, is_active=True).first()
        if unit_obj is None:
            errors["owner"] = _("no unit with code %(code)s") % {"code": owner}
    if errors:
        raise Invalid(errors)
    return area_obj, cat_obj, unit_obj


def refs_checked(
    errors: dict[str, str],
    *,
    area: str | None,
    category: str | None,
    owner: str | None,
    on: date | None = None,
    owner_field: str = "owner",
) -> tuple[Area | None, Category | None, Unit | None]:
    """``validate_refs`` for a service that gathers all its input errors before refusing:
    the bad codes go into ``errors`` (the owner's under ``owner_field``, the name the caller
    gave it) and come back as None."""
    try:
        return validate_refs(area=area, category=category, owner=owner, on=on)
    except Invalid as exc:
        errors.update({(owner_field if k == "owner" else k): v for k, v in exc.errors.items()})
        return None, None, None


def matter_new(
    *,
    kind: str,
    title: str,
    area: Area,
    category: Category,
    owner: Unit,
    opened_on: date,
    status: str,
    handler: Any = None,
    due_on: date | None = None,
) -> Matter:
    """Build and save a matter with a fresh code (inside the caller's transaction).
    ``due_on``: a deadline set by hand (cases, tasks), not by a rule."""
    title = nfc(title)
    province = area.code if area.kind == Area.Kind.PROVINCE else (area.parent_id or "00")
    matter = Matter(
        code=matter_code(kind, province, opened_on.year),
        kind=kind,
        title=title,
        search_text=fold(title)[:300],
        area=area,
        area_before=area.before,
        province=province,
        category=category,
        owner=owner,
        handler=handler,
        status=status,
        opened_on=opened_on,
        due_on=due_on,
    )
    matter.save()
    return matter


def matter_touch(matter: Matter, expected_version: int | None = None) -> None:
    """Bump the version of a matter about to change; 409 if someone changed it meanwhile.

    The conditional UPDATE is the lock: of two officials acting at once, one matches the
    version and wins, the other matches nothing and gets a Conflict.
    """
    version = matter.version if expected_version is None else expected_version
    updated = Matter.objects.filter(pk=matter.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict(
            _("%(code)s was changed by someone else; reload it and try again")
            % {"code": matter.code}
        )
    matter.version = version + 1


@dataclass(frozen=True)
class HandoffResult:
    handoff: Handoff
    escalated: bool


def matter_handoff(
    *,
    actor: Any,
    matter: Matter,
    to: str,
    reason: str,
    legal_basis: str,
    kind: str = Handoff.Kind.TRANSFER,
    succession: bool = False,
) -> HandoffResult:
    """Change the owner of ``matter`` (inside the caller's transaction).

    A handoff back to a unit that already held the matter is a bounce. When the matter's
    bounces reach the limit, the handoff becomes an escalation to the lowest common superior
    of the two units instead, and that unit's head is notified. A ``succession`` (the owner
    was closed and its successor takes over) is never a bounce.
    """
    reason = nfc(reason or "")
    legal_basis = nfc(legal_basis or "")
    target = _handoff_target(matter, to, reason, legal_basis)
    source = matter.owner
    is_bounce = _is_bounce(matter, source, target) and not succession
    escalated = False
    if is_bounce and matter.bounces + 1 >= settings.BOUNCE_LIMIT:
        superior = lowest_common_superior(source, target)
        if superior is not None and superior.id != source.id:
            target = superior
            kind = Handoff.Kind.ESCALATION
            escalated = True
    if is_bounce:
        matter.bounces += 1
    handoff = Handoff.objects.create(
        matter=matter,
        kind=kind,
        from_unit=source,
        to_unit=target,
        reason=reason,
        legal_basis=legal_basis,
        is_bounce=is_bounce,
        by=actor,
    )
    matter.owner = target
    # The new owner assigns its own handler.
    matter.handler = None
    matter.save(update_fields=["owner", "handler", "bounces"])
    if escalated:
        _notify_escalation(matter, target, source, to)
    audit_record(
        actor=actor,
        action=f"matter.{kind}",
        matter=matter.code,
        unit=source.code,
        data={
            "from": source.code,
            "to": target.code,
            "bounce": is_bounce,
            "asked_to": to,
            **({"succession": True} if succession else {}),
        },
    )
    return HandoffResult(handoff=handoff, escalated=escalated)


def _handoff_target(matter: Matter, to: str, reason: str, legal_basis: str) -> Unit:
    """The active unit named ``to``, not the owner already; a reason and a legal basis are
    required. Raises ``Invalid`` naming every field that is wrong."""
    errors: dict[str, str] = {}
    target = Unit.objects.filter(code=to, is_active=True).first() if to else None
    if not to:
        errors["to"] = _("name the competent unit")
    elif target is None:
        errors["to"] = _("no unit with code %(code)s") % {"code": to}
    elif target.id == matter.owner_id:
        errors["to"] = _("%(unit)s already owns %(code)s") % {"unit": to, "code": matter.code}
    if not reason:
        errors["reason"] = _("required")
    if not legal_basis:
        errors["legal_basis"] = _("required: the article that makes the receiving unit competent")
    if errors:
        raise Invalid(errors)
    assert target is not None
    return target


def _is_bounce(matter: Matter, source: Unit, target: Unit) -> bool:
    """Whether ``target`` held ``matter`` before (or holds it now, as ``source``)."""
    held_before = {source.id} | set(
        Handoff.objects.filter(matter=matter).values_list("from_unit_id", flat=True)
    )
    return target.id in held_before


def _notify_escalation(matter: Matter, superior: Unit, source: Unit, asked_to: str) -> None:
    """Tell the superior unit's people that a bounced matter was escalated to them."""
    from notifications.services import notify, recipients_of_unit

    notify(
        recipients_of_unit(superior),
        kind="matter.escalated",
        matter=matter.code,
        text=f"{matter.code}: {matter.title[:200]} ({source.code} ⇄ {asked_to})",
    )


def open_matters_of_closed(unit: Unit) -> Any:
    """The open matters still owned by a closed unit, by code."""
    return Matter.objects.filter(owner=unit, is_open=True).order_by("code")


@transaction.atomic
def matters_hand_to_successor(
    *, actor: Any, unit: Unit, legal_basis: str, reason: str = "", codes: list[str] | None = None
) -> tuple[Unit, list[str]]:
    """Hand every open matter of the closed ``unit`` (or those of ``codes``) to the unit that
    carries on its duties, in one step: one handoff per matter (``matter_handoff``, audited,
    never a bounce; clocks keep running, the duty is the same), one ``unit.handover`` event,
    and one notice to the receiving unit. Administrators and the receiving unit's head may.
    Returns the receiving unit and the codes handed over."""
    from notifications.services import notify, recipients_of_unit
    from units.selectors import final_successor

    target = final_successor(unit)
    if unit.is_active or target is None:
        raise Invalid(
            {"unit": _("%(unit)s is not a closed unit with a successor") % {"unit": unit.code}}
        )
    if not (actor.is_superuser or actor.is_admin or target.head_id == actor.pk):
        raise Forbidden(
            _("only an administrator or the head of %(unit)s takes over these matters")
            % {"unit": target.code}
        )
    errors: dict[str, str] = {}
    legal_basis = nfc(legal_basis or "")
    if not legal_basis:
        errors["legal_basis"] = _("required: the decision that closed the unit")
    qs = open_matters_of_closed(unit).select_for_update()
    if codes is not None:
        wanted = sorted({nfc(c) for c in codes})
        qs = qs.filter(code__in=wanted)
        missing = sorted(set(wanted) - set(qs.values_list("code", flat=True)))
        if missing:
            errors["matters"] = _("not open matters of %(unit)s: %(codes)s") % {
                "unit": unit.code,
                "codes": ", ".join(missing[:20]),
            }
    if errors:
        raise Invalid(errors)
    reason = nfc(reason or "") or _(
        "%(old)s was closed on %(day)s; %(new)s carries on its duties"
    ) % {
        "old": unit.name,
        "day": f"{unit.closed_on:%d/%m/%Y}" if unit.closed_on else "",
        "new": target.name,
    }
    moved = []
    for matter in qs.select_related("owner"):
        matter_touch(matter)
        matter_handoff(
            actor=actor,
            matter=matter,
            to=target.code,
            reason=reason,
            legal_basis=legal_basis,
            succession=True,
        )
        moved.append(matter.code)
    audit_record(
        actor=actor,
        action="unit.handover",
        unit=unit.code,
        data={"to": target.code, "matters": len(moved), "legal_basis": legal_basis},
    )
    if moved:
        notify(
            recipients_of_unit(target, head=True, handlers=True),
            kind="unit.handover",
            text=_("%(n)s open matters of %(old)s were handed over to your unit.")
            % {"n": len(moved), "old": unit.name},
            url="/units/closed/",
        )
    return target, moved


def participants_set(matter: Matter, units: list[Unit], role: str) -> None:
    Participant.objects.bulk_create(
        [Participant(matter=matter, unit=u, role=role) for u in units if u.id != matter.owner_id],
        ignore_conflicts=True,
    )


def matter_close(matter: Matter, *, status: str, closed_on: date, outcome: str = "") -> None:
    """Close the clock: the matter is done on time or late by ``closed_on`` against due."""
    matter.status = status
    matter.is_open = False
    matter.closed_on = closed_on
    if outcome:
        matter.outcome = nfc(outcome)
    matter.save(update_fields=["status", "is_open", "closed_on", "outcome"])
