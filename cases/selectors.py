"""Reads of cases that depend on who asks. A case is seen by whoever sees its matter: the
lead unit (and the heads and leaders above it), the coordinating units. Out of scope is
NotFound (404); visible but not involved is Forbidden (403)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cases.models import Case
from common.errors import Forbidden, NotFound
from matters.models import Matter, Participant
from matters.selectors import matters_visible_to
from units.models import Unit
from units.selectors import visible_unit_ids


def cases_visible_to(user: Any) -> QuerySet[Case]:
    matters = matters_visible_to(user, Matter.objects.filter(kind=Matter.Kind.CASE))
    return Case.objects.filter(matter__in=matters.values("pk"))


def get_case_for_user(user: Any, code: str) -> Case:
    qs = Case.objects.select_related(
        "matter", "matter__owner", "matter__area", "matter__category", "matter__handler"
    )
    matters = matters_visible_to(user, Matter.objects.filter(code=code, kind=Matter.Kind.CASE))
    case = qs.filter(matter__in=matters.values("pk")).first()
    if case is None:
        raise NotFound(f"No case with code {code}")
    return case


def involved_unit_ids(case: Case) -> set[int]:
    """The lead unit and the coordinating units."""
    ids = set(
        Participant.objects.filter(
            matter_id=case.matter_id, role=Participant.Role.COORDINATING
        ).values_list("unit_id", flat=True)
    )
    ids.add(case.matter.owner_id)
    return ids


def require_involved(user: Any, case: Case) -> None:
    if not (user.is_active and user.can_act and user.unit_id in involved_unit_ids(case)):
        raise Forbidden(f"{case.matter.code}: only the lead and coordinating units record actions")


def require_can_open_for(user: Any, lead: Unit) -> None:
    """Officials open cases for their own unit; heads and leaders also for units below."""
    if not user.is_active or not user.can_act:
        raise Forbidden("your roles do not allow opening cases")
    visible = visible_unit_ids(user)
    if user.unit_id == lead.id or (visible is not None and lead.id in visible):
        return
    raise Forbidden(f"you may open cases only for your unit or the units below it, not {lead.code}")
