"""A proposed shape for matters.selectors.matters_visible_to, measured by the load test.

The current selector filters with ``owner IN (...) OR handler = ... OR EXISTS (participant)``;
PostgreSQL cannot answer that OR from the indexes, so every list, count and dashboard of an
official reads the whole matter table (measure.py: 3.3 s for a commune head's first page at
a million matters, 20 s for the overdue list). The same set as the primary keys of a UNION
ALL of three index scans (owner, handler, participation) is answered in milliseconds.

Not installed anywhere in the app: ``install()`` swaps it in for the process it runs in
(bench/load/wsgi_proposed.py), so that run.sh can measure both shapes. The change itself
belongs to matters/selectors.py (reported to the integrator).
"""

from __future__ import annotations

import sys
from typing import Any

from django.db.models import QuerySet

from matters import selectors
from matters.models import Matter, Participant
from units.selectors import visible_unit_ids

ORIGINAL = selectors.matters_visible_to


def matters_visible_to(user: Any, queryset: QuerySet[Matter] | None = None) -> QuerySet[Matter]:
    qs = Matter.objects.all() if queryset is None else queryset
    units = visible_unit_ids(user)
    if units is None:
        return qs
    ids = (
        Matter.objects.filter(owner_id__in=units)
        .values("id")
        .union(Matter.objects.filter(handler_id=user.pk).values("id"), all=True)
    )
    if user.unit_id:
        ids = ids.union(
            Participant.objects.filter(unit_id=user.unit_id).values("matter_id"), all=True
        )
    return qs.filter(id__in=ids)


def install() -> None:
    for module in list(sys.modules.values()):
        if getattr(module, "matters_visible_to", None) is ORIGINAL:
            module.matters_visible_to = matters_visible_to  # type: ignore[attr-defined]
