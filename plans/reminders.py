"""The daily job of plans: remind lead units of tasks coming due, remind target units that
have not held their briefing, escalate overdue tasks to the head of the lead unit (and of
the unit whose plan it is). Each notice goes once per task/briefing and due date however
often the job runs (notification dedupe keys)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import notify, recipients_of_unit
from plans.models import Briefing, PlanTarget, Task
from units.models import Unit


@dataclass(frozen=True)
class RemindResult:
    due_soon: int
    overdue: int
    briefings_due: int
    briefings_missing: int


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


@transaction.atomic
def plans_remind(today: date) -> RemindResult:
    """Send the day's reminders and escalations; returns how many notifications were new."""
    soon = today + timedelta(days=settings.DUE_SOON_DAYS)
    cache: dict[tuple[int, bool], list[Any]] = {}

    def people(unit: Unit, handlers: bool = False) -> list[Any]:
        key = (unit.id, handlers)
        if key not in cache:
            cache[key] = recipients_of_unit(unit, handlers=handlers)
        return cache[key]

    counts = {"due_soon": 0, "overdue": 0, "briefings_due": 0, "briefings_missing": 0}
    with translation.override(settings.LANGUAGE_CODE):
        open_tasks = Task.objects.filter(
            matter__is_open=True, matter__due_on__isnull=False
        ).select_related("matter", "matter__owner", "plan", "plan__unit")
        for task in open_tasks.filter(matter__due_on__gte=today, matter__due_on__lte=soon):
            m = task.matter
            counts["due_soon"] += notify(
                people(m.owner, handlers=True),
                kind="task.due_soon",
                matter=m.code,
                url=reverse("plans:task", args=[m.code]),
                dedupe_key=f"task.due_soon:{m.code}:{m.due_on}",
                text=_("Task %(code)s is due on %(date)s: %(title)s")
                % {"code": m.code, "date": _fmt(m.due_on), "title": m.title[:200]},
            )
        for task in open_tasks.filter(matter__due_on__lt=today):
            m = task.matter
            heads = people(m.owner) + people(task.plan.unit)
            counts["overdue"] += notify(
                heads,
                kind="task.overdue",
                matter=m.code,
                url=reverse("plans:task", args=[m.code]),
                dedupe_key=f"task.overdue:{m.code}:{m.due_on}",
                text=_("Task %(code)s led by %(unit)s is overdue since %(date)s: %(title)s")
                % {
                    "code": m.code,
                    "unit": m.owner.name,
                    "date": _fmt(m.due_on),
                    "title": m.title[:200],
                },
            )
        held = Briefing.objects.filter(plan_id=OuterRef("plan_id"), unit_id=OuterRef("unit_id"))
        waiting = (
            PlanTarget.objects.exclude(Exists(held))
            .filter(plan__briefing_due__lte=soon)
            .select_related("plan", "plan__unit", "unit")
        )
        for target in waiting:
            plan = target.plan
            url = reverse("plans:detail", args=[plan.id])
            if plan.briefing_due >= today:
                counts["briefings_due"] += notify(
                    people(target.unit, handlers=True),
                    kind="briefing.due",
                    url=url,
                    dedupe_key=f"briefing.due:{plan.id}:{target.unit_id}:{plan.briefing_due}",
                    text=_("Your unit must hold its briefing on plan %(number)s by %(date)s")
                    % {"number": plan.number, "date": _fmt(plan.briefing_due)},
                )
            else:
                counts["briefings_missing"] += notify(
                    people(target.unit) + people(plan.unit),
                    kind="briefing.missing",
                    url=url,
                    dedupe_key=f"briefing.missing:{plan.id}:{target.unit_id}:{plan.briefing_due}",
                    text=_("%(unit)s has not held its briefing on plan %(number)s, due %(date)s")
                    % {
                        "unit": target.unit.name,
                        "number": plan.number,
                        "date": _fmt(plan.briefing_due),
                    },
                )
    return RemindResult(**counts)
