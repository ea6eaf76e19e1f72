"""Plain dicts of directives, plans, tasks and briefings for the API and the pages."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.urls import reverse

from matters.models import Participant
from matters.schemas import matter_dict
from matters.selectors import handoffs_by_matter
from plans.models import Briefing, Directive, Plan, Task


def directive_dict(d: Directive) -> dict[str, Any]:
    return {
        "id": d.id,
        "number": d.number,
        "title": d.title,
        "issued_on": d.issued_on,
        "issuer": d.issuer,
        "text": d.text,
        "unit": d.unit.code if d.unit_id and d.unit else None,
        "file": reverse("api:download_directive_file", args=[d.id]) if d.file else None,
        "file_name": d.file_name,
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "directive": plan.directive_id,
        "directive_number": plan.directive.number,
        "unit": plan.unit.code,
        "unit_name": plan.unit.name,
        "number": plan.number,
        "title": plan.title,
        "issued_on": plan.issued_on,
        "briefing_due": plan.briefing_due,
        "targets": sorted(plan.target_rows.values_list("unit__code", flat=True)),
        "parent": plan.parent_id,
        "children": list(plan.children.order_by("id").values_list("id", flat=True)),
    }


def participants_by_matter(matter_ids: list[int], role: str) -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    rows = (
        Participant.objects.filter(matter_id__in=matter_ids, role=role)
        .order_by("unit__code")
        .values_list("matter_id", "unit__code")
    )
    for matter_id, code in rows:
        result[matter_id].append(code)
    return result


def task_dict(
    task: Task,
    today: date,
    *,
    handoffs: list[Any] | None = None,
    cooperating: list[str] | None = None,
    with_reports: bool = False,
) -> dict[str, Any]:
    matter = task.matter
    data = matter_dict(matter, today, handoffs)
    if cooperating is None:
        cooperating = participants_by_matter([matter.id], Participant.Role.COOPERATING)[matter.id]
    data.update(
        {
            "plan": task.plan_id,
            "lead": matter.owner.code,
            "cooperating": cooperating,
            "reporting": task.reporting,
            "weight": task.weight,
            "progress": task.progress,
            "reported_on": task.reported_on,
            "completed_on": None if matter.is_open else matter.closed_on,
            "description": task.description,
        }
    )
    if with_reports:
        data["reports"] = [
            {
                "unit": r.unit.code,
                "progress": r.progress,
                "note": r.note,
                "reported_on": r.reported_on,
                "period": r.period,
                "completion": r.is_completion,
            }
            for r in task.reports.select_related("unit").order_by("reported_on", "id")
        ]
    return data


def task_dicts(tasks: list[Task], today: date) -> list[dict[str, Any]]:
    """A page of tasks in three queries whatever its length."""
    ids = [t.matter_id for t in tasks]
    handoffs = handoffs_by_matter(ids)
    coop = participants_by_matter(ids, Participant.Role.COOPERATING)
    return [
        task_dict(t, today, handoffs=handoffs[t.matter_id], cooperating=coop[t.matter_id])
        for t in tasks
    ]


def briefing_dict(b: Briefing) -> dict[str, Any]:
    return {
        "id": b.id,
        "plan": b.plan_id,
        "unit": b.unit.code,
        "unit_name": b.unit.name,
        "held_on": b.held_on,
        "late": b.held_on > b.plan.briefing_due,
        "attendees": b.attendees,
        "chair": b.chair,
        "minutes": b.minutes,
        "minutes_file": reverse("api:download_minutes", args=[b.id]) if b.minutes_file else None,
        "minutes_name": b.minutes_name,
    }
