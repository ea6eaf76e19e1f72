"""Writes to the unit tree."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from areas.models import Area
from audit.services import audit_record
from common.errors import Conflict, Forbidden, Invalid
from common.text import fold, nfc
from units.models import Unit


def _resolve_parent_and_area(
    parent: str | None, area: str | None
) -> tuple[Unit | None, Area | None]:
    errors: dict[str, str] = {}
    parent_unit = area_obj = None
    if parent:
        parent_unit = Unit.objects.filter(code=parent).first()
        if parent_unit is None:
            errors["parent"] = _("no unit with code %(code)s") % {"code": parent}
    if area:
        area_obj = Area.objects.filter(code=area).first()
        if area_obj is None:
            errors["area"] = _("no area with code %(code)s") % {"code": area}
    if errors:
        raise Invalid(errors)
    return parent_unit, area_obj


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    parent: str | None = None,
    area: str | None = None,
) -> Unit:
    """Create a unit under ``parent`` (a code or None for a root). A taken code is 409."""
    code = nfc(code)
    name = nfc(name)
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = _("required")
    if not name:
        errors["name"] = _("required")
    if kind not in Unit.Kind.values:
        errors["kind"] = _("must be one of %(values)s") % {"values": ", ".join(Unit.Kind.values)}
    if errors:
        raise Invalid(errors)
    parent_unit, area_obj = _resolve_parent_and_area(parent, area)
    if Unit.objects.filter(code=code).exists():
        raise Conflict(_("a unit with code %(code)s already exists") % {"code": code})
    unit = Unit(code=code, name=name, kind=kind, parent=parent_unit, area=area_obj)
    unit.search_name = fold(name)
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError:
        raise Conflict(_("a unit with code %(code)s already exists") % {"code": code})
    unit.path = (parent_unit.path if parent_unit else "/") + f"{unit.id}/"
    unit.depth = parent_unit.depth + 1 if parent_unit else 0
    unit.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        action="unit.create",
        unit=unit.code,
        data={"name": name, "kind": kind, "parent": parent, "area": area},
    )
    return unit


@transaction.atomic
def unit_close(*, actor: Any, unit: Unit, successor: str, closed_on: date) -> Unit:
    """Close a unit that was abolished or merged (an administrator's act): it owns nothing
    new from then on and its duties, and its open matters when handed over
    (``matters.services.matters_hand_to_successor``), pass to ``successor``."""
    if not (actor.is_superuser or actor.is_admin):
        raise Forbidden(_("only administrators close units"))
    errors: dict[str, str] = {}
    target = Unit.objects.filter(code=successor, is_active=True).first() if successor else None
    if not successor:
        errors["successor"] = _("required: the unit that takes over")
    elif target is None:
        errors["successor"] = _("no unit in force with code %(code)s") % {"code": successor}
    elif target.id == unit.id or target.path.startswith(unit.path):
        errors["successor"] = _("%(successor)s is %(unit)s or below it") % {
            "successor": successor,
            "unit": unit.code,
        }
    if not unit.is_active:
        errors["unit"] = _("%(unit)s is already closed") % {"unit": unit.code}
    if errors:
        raise Invalid(errors)
    unit.is_active = False
    unit.closed_on = closed_on
    unit.successor = target
    unit.save(update_fields=["is_active", "closed_on", "successor"])
    audit_record(
        actor=actor,
        action="unit.close",
        unit=unit.code,
        data={"successor": successor, "closed_on": closed_on.isoformat()},
    )
    return unit
