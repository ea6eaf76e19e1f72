"""The fields every matter carries in every response (API.md, "Matters")."""

from __future__ import annotations

from datetime import date
from typing import Any

from areas.services import former_code
from common.schema import Schema
from matters.models import DeadlineRule, Handoff, Matter
from matters.selectors import handoffs_by_matter, matter_state


class MatterOut(Schema):
    code: str
    kind: str
    title: str
    area: str
    area_before: str | None
    category: str
    owner: str
    owner_successor: str | None
    handler: str | None
    status: str
    opened_on: date
    due_on: date | None
    state: str
    bounces: int
    handoffs: list[dict[str, Any]]
    version: int


def owner_successor(matter: Matter) -> str | None:
    """The unit carrying on the duties of the owner when the owner was closed (a query only
    then), else None."""
    owner = matter.owner
    if owner.is_active or owner.successor_id is None:
        return None
    from units.selectors import final_successor

    target = final_successor(owner)
    return target.code if target else None


def handoff_dict(h: Handoff) -> dict[str, Any]:
    return {
        "kind": h.kind,
        "from": h.from_unit.code,
        "to": h.to_unit.code,
        "reason": h.reason,
        "legal_basis": h.legal_basis,
        "at": h.at.isoformat(),
    }


def matter_dict(
    matter: Matter, today: date, handoffs: list[Handoff] | None = None
) -> dict[str, Any]:
    if handoffs is None:
        handoffs = list(matter.handoffs.select_related("from_unit", "to_unit"))
    return {
        "code": matter.code,
        "kind": matter.kind,
        "title": matter.title,
        "area": matter.area_id,
        "area_before": former_code(matter.area_before_id),
        "category": matter.category_id,
        "owner": matter.owner.code,
        "owner_successor": owner_successor(matter),
        "handler": matter.handler.username if matter.handler_id and matter.handler else None,
        "status": matter.status,
        "opened_on": matter.opened_on,
        "due_on": matter.due_on,
        "state": matter_state(matter, today),
        "bounces": matter.bounces,
        "handoffs": [handoff_dict(h) for h in handoffs],
        "version": matter.version,
    }


def matter_dicts(matters: list[Matter], today: date) -> list[dict[str, Any]]:
    """Serialise a page of matters with their handoffs in one extra query."""
    by_matter = handoffs_by_matter([m.id for m in matters])
    return [matter_dict(m, today, by_matter[m.id]) for m in matters]


RULE_FIELDS = (
    "key",
    "variant",
    "label",
    "event",
    "length",
    "unit",
    "source",
    "effective_from",
    "effective_to",
    "configurable",
)


def rule_dict(rule: DeadlineRule | None) -> dict[str, Any] | None:
    """A deadline rule as responses show it, with its legal source and dates in force."""
    if rule is None:
        return None
    return {name: getattr(rule, name) for name in RULE_FIELDS}
