"""Reads of petitions that depend on who asks (through the matter selectors, which decide
access: out of scope is 404, visible but not theirs to change is 403)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from matters.models import Matter
from matters.selectors import get_matter_for_user, matter_list_for_user, require_can_act
from petitions.models import Petition


def get_petition_for_user(user: Any, code: str) -> Petition:
    """The petition ``code`` if the user may see it, else NotFound (404)."""
    matter = get_matter_for_user(user, code, kind=Matter.Kind.PETITION)
    petition = Petition.objects.select_related("first_instance__matter", "processing_rule").get(
        matter=matter
    )
    petition.matter = matter
    return petition


def get_petition_to_act(user: Any, code: str) -> Petition:
    """The petition ``code`` if the user may change it: 404 out of scope, 403 read-only."""
    petition = get_petition_for_user(user, code)
    require_can_act(user, petition.matter)
    return petition


def petition_list_for_user(
    user: Any,
    *,
    today: date,
    owner: str | None = None,
    state: str | None = None,
    kind: str | None = None,
    area: str | None = None,
    category: str | None = None,
    status: str | None = None,
    query: str | None = None,
) -> QuerySet[Matter]:
    """Matters of kind petition the user sees, filtered, ordered by code. ``kind`` here is the
    kind of petition (complaint, denunciation, proposal)."""
    qs = matter_list_for_user(
        user,
        today=today,
        owner=owner,
        state=state,
        kind=Matter.Kind.PETITION,
        area=area,
        category=category,
        query=query,
    )
    if kind:
        qs = qs.filter(petition__kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("petition", "handler")
