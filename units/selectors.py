"""Who sees which units. The only place that decides it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from common.errors import NotFound
from units.models import Unit


def subtree_ids(unit: Unit) -> list[int]:
    """Ids of the unit and every unit below it."""
    return list(Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))


def visible_unit_ids(user: Any) -> list[int] | None:
    """Units whose matters the user sees: their own; with a head's or leader's role, also
    every unit below. ``None`` means all (superusers, administrators, auditors of the root)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser or user.is_admin:
        return None
    if user.unit_id is None:
        return []
    if user.has_oversight or user.has_role("auditor"):
        return subtree_ids(user.unit)
    return [user.unit_id]


def units_visible_to(user: Any) -> QuerySet[Unit]:
    ids = visible_unit_ids(user)
    qs = Unit.objects.select_related("parent", "area", "head", "successor")
    return qs if ids is None else qs.filter(Q(id__in=ids))


def get_unit_for_user(user: Any, code: str) -> Unit:
    unit = units_visible_to(user).filter(code=code).first()
    if unit is None:
        raise NotFound(_("No unit with code %(code)s") % {"code": code})
    return unit


def lowest_common_superior(a: Unit, b: Unit) -> Unit | None:
    """The deepest unit above both ``a`` and ``b`` (neither of them), or None if they share
    no unit above them."""
    common = None
    for x, y in zip(a.ancestor_ids(), b.ancestor_ids(), strict=False):
        if x != y or x in (a.id, b.id):
            break
        common = x
    return Unit.objects.get(id=common) if common is not None else None


def default_parent_code(user: Any) -> str:
    """The unit whose subtree a scorecard shows when none is asked for: the official's own,
    or for an official of no unit (an administrator) the first top unit they see."""
    if getattr(user, "unit_id", None):
        return str(user.unit.code)
    top = units_visible_to(user).filter(parent__isnull=True).order_by("path").first()
    return top.code if top is not None else ""


def final_successor(unit: Unit) -> Unit | None:
    """The unit in force that carries on a closed unit's duties: its successor, or the
    successor's successor while that one is closed too; None if the chain ends nowhere."""
    seen = {unit.id}
    current = unit
    while not current.is_active:
        if current.successor_id is None or current.successor_id in seen:
            return None
        seen.add(current.successor_id)
        current = Unit.objects.get(pk=current.successor_id)
    return current if current.id != unit.id else None


def closed_units_for_user(user: Any) -> list[tuple[Unit, Unit]]:
    """Closed units whose open matters the user may hand over, each with the unit that
    takes them: every one for an administrator; for a head, those whose duties pass to
    their own unit."""
    if not (user.is_authenticated and user.is_active):
        return []
    pairs = []
    for unit in Unit.objects.filter(is_active=False, successor__isnull=False).order_by("code"):
        target = final_successor(unit)
        if target is None:
            continue
        if user.is_superuser or user.is_admin or target.head_id == user.pk:
            pairs.append((unit, target))
    return pairs
