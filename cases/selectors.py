"""Reads of cases that depend on who asks. A case is seen by whoever sees its matter: the
lead unit (and the heads and leaders above it), the coordinating units. Out of scope is
NotFound (404); visible but not involved is Forbidden (403)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cases.models import Case
from common.errors import Forbidden
from matters.details import (
    detail_for_user,
    details_visible_to,
    require_taking_part,
    units_taking_part,
)
from matters.models import Matter, Participant
from units.models import Unit
from units.selectors import visible_unit_ids


def cases_visible_to(user: Any) -> QuerySet[Case]:
    return details_visible_to(user, Case.objects.all(), Matter.Kind.CASE)


def get_case_for_user(user: Any, code: str) -> Case:
    qs = Case.objects.select_related(
        "matter", "matter__owner", "matter__area", "matter__category", "matter__handler"
    )
    return detail_for_user(
        user, qs, Matter.Kind.CASE, code, _("No case with code %(code)s") % {"code": code}
    )


def involved_unit_ids(case: Case) -> set[int]:
    """The lead unit and the coordinating units."""
    return units_taking_part(case.matter, Participant.Role.COORDINATING)


def require_involved(user: Any, case: Case) -> None:
    require_taking_part(
        user,
        case.matter,
        Participant.Role.COORDINATING,
        _("%(code)s: only the lead and coordinating units record actions")
        % {"code": case.matter.code},
    )


def require_can_open_for(user: Any, lead: Unit) -> None:
    """Officials open cases for their own unit; heads and leaders also for units below."""
    if not user.is_active or not user.can_act:
        raise Forbidden(_("your roles do not allow opening cases"))
    visible = visible_unit_ids(user)
    if user.unit_id == lead.id or (visible is not None and lead.id in visible):
        return
    raise Forbidden(
        _("you may open cases only for your unit or the units below it, not %(unit)s")
        % {"unit": lead.code}
    )
