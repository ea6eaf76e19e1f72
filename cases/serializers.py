"""Plain dicts of cases for the API and the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from cases.models import Case
from matters.models import Participant
from matters.schemas import matter_dict


def case_dict(case: Case, today: date, *, with_actions: bool = False) -> dict[str, Any]:
    matter = case.matter
    data = matter_dict(matter, today)
    data.update(
        {
            "lead": matter.owner.code,
            "coordinating": sorted(
                Participant.objects.filter(
                    matter=matter, role=Participant.Role.COORDINATING
                ).values_list("unit__code", flat=True)
            ),
            "risk": case.risk,
            "participants": case.people,
            "petitions": sorted(case.petition_links.values_list("petition__code", flat=True)),
            "summary": case.summary,
            "settled_on": case.settled_on,
            "outcome": matter.outcome,
        }
    )
    if with_actions:
        data["actions"] = [
            {"on": a.on, "unit": a.unit.code, "unit_name": a.unit.name, "note": a.note}
            for a in case.actions.select_related("unit").order_by("on", "id")
        ]
    return data
