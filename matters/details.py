"""Reads shared by the apps whose records are a matter's kind-specific details (a case, a
task: a one-to-one row beside ``matters.Matter``). Who sees the detail is who sees its
matter; who takes part in it is the owner and the units of one participant role."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from common.errors import Forbidden, NotFound
from matters.models import Matter, Participant
from matters.selectors import matters_visible_to


def details_visible_to[D: Model](user: Any, details: QuerySet[D], kind: str) -> QuerySet[D]:
    """The ``details`` whose matter (of ``kind``) the user sees."""
    matters = matters_visible_to(user, Matter.objects.filter(kind=kind))
    return details.filter(matter__in=matters.values("pk"))


def detail_for_user[D: Model](
    user: Any, details: QuerySet[D], kind: str, code: str, missing: str
) -> D:
    """The detail of the matter ``code`` of ``kind`` if the user sees it; NotFound with
    ``missing`` otherwise (out of scope and absent look the same)."""
    matters = matters_visible_to(user, Matter.objects.filter(code=code, kind=kind))
    detail = details.filter(matter__in=matters.values("pk")).first()
    if detail is None:
        raise NotFound(missing)
    return detail


def units_taking_part(matter: Matter, role: str) -> set[int]:
    """The ids of the owner unit and of the units taking part in ``role``."""
    ids = set(
        Participant.objects.filter(matter_id=matter.pk, role=role).values_list("unit_id", flat=True)
    )
    ids.add(matter.owner_id)
    return ids


def require_taking_part(user: Any, matter: Matter, role: str, refusal: str) -> None:
    """Forbidden with ``refusal`` unless the user acts for a unit taking part in ``role``."""
    if not (user.is_active and user.can_act and user.unit_id in units_taking_part(matter, role)):
        raise Forbidden(refusal)
