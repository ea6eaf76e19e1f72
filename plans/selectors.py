"""Reads of directives, plans, tasks and briefings that depend on who asks, and the roll-up
of a plan's status over its cascade.

Who sees a plan: officials who see its unit (their own unit, or below them for heads and
leaders), its target units, or a unit that leads a task of it; and any unit cooperating on
one of its tasks. Out of scope is NotFound (404); visible but not theirs to change is
Forbidden (403). Directives are published documents: every official sees them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, When
from django.utils.translation import gettext as _

from common.errors import Forbidden, NotFound
from matters.details import (
    detail_for_user,
    details_visible_to,
    require_taking_part,
    units_taking_part,
)
from matters.models import Matter, Participant
from matters.selectors import state_q
from plans import periods
from plans.models import Briefing, Directive, Plan, PlanTarget, ProgressReport, Reporting, Task
from units.models import Unit
from units.selectors import visible_unit_ids

STATES = ["done_on_time", "done_late", "in_time", "due_soon", "overdue"]


def report_grace_days() -> int:
    """Days after a period's end within which its report is on time (DHIS2's "days after
    period end to qualify for timely submission")."""
    return int(getattr(settings, "PLANS_REPORT_GRACE_DAYS", 5))


# --- access ---------------------------------------------------------------------------------


def is_official_of(user: Any, unit_id: int) -> bool:
    """An active official of that unit with a role that may act."""
    return bool(
        user.is_authenticated and user.is_active and user.unit_id == unit_id and user.can_act
    )


def require_official_of(user: Any, unit: Unit, what: str) -> None:
    if not is_official_of(user, unit.id):
        raise Forbidden(
            _("only officials of %(unit)s may %(what)s") % {"unit": unit.code, "what": what}
        )


def directives_visible_to(user: Any) -> QuerySet[Directive]:
    if not user.is_authenticated or not user.is_active:
        return Directive.objects.none()
    return Directive.objects.all()


def get_directive_for_user(user: Any, directive_id: int) -> Directive:
    directive = directives_visible_to(user).filter(pk=directive_id).first()
    if directive is None:
        raise NotFound(_("No directive with id %(id)s") % {"id": directive_id})
    return directive


def require_can_register_directive(user: Any) -> None:
    if not (user.is_admin or user.can_act):
        raise Forbidden(_("your roles do not allow registering directives"))


def plans_visible_to(user: Any, queryset: QuerySet[Plan] | None = None) -> QuerySet[Plan]:
    qs = Plan.objects.all() if queryset is None else queryset
    units = visible_unit_ids(user)
    if units is None:
        return qs
    task_matters = Task.objects.filter(plan_id=OuterRef("pk"))
    condition: Any = (
        Q(unit_id__in=units)
        | Exists(PlanTarget.objects.filter(plan_id=OuterRef("pk"), unit_id__in=units))
        | Exists(task_matters.filter(matter__owner_id__in=units))
    )
    if user.unit_id:
        condition |= Exists(
            task_matters.filter(
                Exists(
                    Participant.objects.filter(
                        matter_id=OuterRef("matter_id"), unit_id=user.unit_id
                    )
                )
            )
        )
    return qs.filter(condition)


def get_plan_for_user(user: Any, plan_id: int) -> Plan:
    qs = Plan.objects.select_related("unit", "directive", "parent", "parent__unit")
    plan = plans_visible_to(user, qs).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("No plan with id %(id)s") % {"id": plan_id})
    return plan


def can_manage_plan(user: Any, plan: Plan) -> bool:
    """Officials of the plan's unit create its tasks."""
    return is_official_of(user, plan.unit_id)


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    return details_visible_to(user, Task.objects.all(), Matter.Kind.TASK)


def get_task_for_user(user: Any, code: str) -> Task:
    qs = Task.objects.select_related(
        "matter", "matter__owner", "matter__area", "matter__category", "plan", "plan__unit"
    )
    return detail_for_user(
        user, qs, Matter.Kind.TASK, code, _("No task with code %(code)s") % {"code": code}
    )


def reporting_units(task: Task) -> set[int]:
    """The lead unit and the cooperating units: they report on the task."""
    return units_taking_part(task.matter, Participant.Role.COOPERATING)


def require_can_report(user: Any, task: Task) -> None:
    require_taking_part(
        user,
        task.matter,
        Participant.Role.COOPERATING,
        _("%(code)s: only the lead unit and the cooperating units report progress")
        % {"code": task.matter.code},
    )


def get_briefing_for_user(user: Any, briefing_id: int) -> Briefing:
    briefing = (
        Briefing.objects.select_related("plan", "unit")
        .filter(pk=briefing_id, plan__in=plans_visible_to(user).values("pk"))
        .first()
    )
    if briefing is None:
        raise NotFound(_("No briefing with id %(id)s") % {"id": briefing_id})
    return briefing


# --- roll-up --------------------------------------------------------------------------------


@dataclass
class PlanStatus:
    """Counts of one plan alone (``own``) or of it and all plans below it (rolled up)."""

    tasks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(["total", *STATES], 0))
    required: int = 0
    held: int = 0
    held_late: int = 0
    # (plan id, unit code, briefing due) of target units that have not held their briefing.
    missing: list[tuple[int, str, date]] = field(default_factory=list)
    weight: int = 0
    weighted_progress: int = 0

    @property
    def progress(self) -> float:
        """Weighted by tasks, as Decidim weights results: sum(weight x progress) / sum(weight);
        a finished task counts 100. No tasks: 0."""
        if not self.weight:
            return 0.0
        return round(self.weighted_progress / self.weight, 1)

    def add(self, other: PlanStatus) -> None:
        for key, value in other.tasks.items():
            self.tasks[key] += value
        self.required += other.required
        self.held += other.held
        self.held_late += other.held_late
        self.missing.extend(other.missing)
        self.weight += other.weight
        self.weighted_progress += other.weighted_progress

    def missing_overdue(self, today: date) -> list[tuple[int, str, date]]:
        return [m for m in self.missing if m[2] < today]

    def as_dict(self, today: date) -> dict[str, Any]:
        return {
            "tasks": dict(self.tasks),
            "briefings": {
                "required": self.required,
                "held": self.held,
                "held_late": self.held_late,
                "missing": sorted({code for _, code, _ in self.missing}),
                "missing_overdue": sorted({code for _, code, _ in self.missing_overdue(today)}),
            },
            "progress": self.progress,
        }


def plan_subtree(plan: Plan) -> QuerySet[Plan]:
    return Plan.objects.filter(path__startswith=plan.path)


def plan_rollup(root: Plan, today: date) -> tuple[dict[int, PlanStatus], list[Plan]]:
    """Rolled-up status of ``root`` and of every plan below it, in four queries.

    Returns ({plan id: status of it and everything below}, the plans of the subtree in tree
    order). Access to ``root`` is the caller's business; the counts cover every task of the
    cascade, seen or not (they are numbers, not contents)."""
    plans = list(plan_subtree(root).select_related("unit").order_by("path"))
    own: dict[int, PlanStatus] = {p.id: PlanStatus() for p in plans}
    effective = SqlCase(
        When(is_open=False, then=F("task__weight") * 100),
        default=F("task__weight") * F("task__progress"),
    )
    rows = (
        Matter.objects.filter(kind=Matter.Kind.TASK, task__plan__path__startswith=root.path)
        .values("task__plan_id")
        .annotate(
            total=Count("id"),
            weight=Sum("task__weight"),
            weighted=Sum(effective),
            **{s: Count("id", filter=state_q(s, today)) for s in STATES},
        )
    )
    for raw in rows:
        row: dict[str, Any] = dict(raw)
        status = own[row["task__plan_id"]]
        status.tasks["total"] = row["total"]
        for s in STATES:
            status.tasks[s] = row[s]
        status.weight = row["weight"] or 0
        status.weighted_progress = row["weighted"] or 0
    held = {
        (b["plan_id"], b["unit_id"]): b["held_on"]
        for b in Briefing.objects.filter(plan__path__startswith=root.path).values(
            "plan_id", "unit_id", "held_on"
        )
    }
    due = {p.id: p.briefing_due for p in plans}
    targets = PlanTarget.objects.filter(plan__path__startswith=root.path).values_list(
        "plan_id", "unit_id", "unit__code"
    )
    for plan_id, unit_id, unit_code in targets:
        status = own[plan_id]
        status.required += 1
        held_on = held.get((plan_id, unit_id))
        if held_on is None:
            status.missing.append((plan_id, unit_code, due[plan_id]))
        else:
            status.held += 1
            status.held_late += held_on > due[plan_id]
    rolled: dict[int, PlanStatus] = {}
    for plan in sorted(plans, key=lambda p: -p.depth):
        total = PlanStatus()
        total.add(own[plan.id])
        for child in plans:
            if child.parent_id == plan.id:
                total.add(rolled[child.id])
        rolled[plan.id] = total
    return rolled, plans


def plan_status(plan: Plan, today: date) -> dict[str, Any]:
    rolled, _below = plan_rollup(plan, today)
    return rolled[plan.id].as_dict(today)


# --- reporting rates (DHIS2) ----------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedReport:
    task_id: int
    unit_id: int
    period: periods.Period
    received_on: date | None
    due_on: date

    @property
    def received(self) -> bool:
        return self.received_on is not None

    @property
    def on_time(self) -> bool:
        return self.received_on is not None and self.received_on <= self.due_on


def expected_reports(tasks: QuerySet[Task], today: date) -> list[ExpectedReport]:
    """Every report the lead units owed on ``tasks`` by ``today``: one per task and period
    of its reporting duty that ended before today while the task was open (a period that
    overlaps the task's opening or closing counts). A report is received when the lead unit
    (or the completion) answered that period; on time when it came by the period's end plus
    the grace days."""
    duty = tasks.exclude(reporting=Reporting.NONE)
    rows = list(
        duty.values_list(
            "matter_id", "reporting", "matter__owner_id", "matter__opened_on", "matter__closed_on"
        )
    )
    if not rows:
        return []
    owners = {r[0]: r[2] for r in rows}
    lead_first: dict[tuple[int, str], date] = {}
    reports = ProgressReport.objects.filter(task_id__in=duty.values("matter_id")).values_list(
        "task_id", "unit_id", "period", "reported_on", "is_completion"
    )
    for task_id, unit_id, label, reported_on, is_completion in reports:
        if unit_id != owners[task_id] and not is_completion:
            continue
        key = (task_id, label)
        if key not in lead_first or reported_on < lead_first[key]:
            lead_first[key] = reported_on
    grace = timedelta(days=report_grace_days())
    result = []
    yesterday = today - timedelta(days=1)
    for task_id, reporting, _owner, opened_on, closed_on in rows:
        last = (
            yesterday
            if closed_on is None
            else min(yesterday, periods.period_of(closed_on, reporting).end)
        )
        for period in periods.periods_ended(reporting, opened_on, last):
            result.append(
                ExpectedReport(
                    task_id=task_id,
                    unit_id=owners[task_id],
                    period=period,
                    received_on=lead_first.get((task_id, period.label)),
                    due_on=period.end + grace,
                )
            )
    return result


def reporting_rates(tasks: QuerySet[Task], today: date) -> list[dict[str, Any]]:
    """Expected, received and on-time reports per lead unit and period, with the rates in
    percent (DHIS2: reporting rate = received / expected; on-time rate = on time / expected)."""
    expected = expected_reports(tasks, today)
    cells: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    ends: dict[str, date] = {}
    for item in expected:
        ends[item.period.label] = item.period.end
        cell = cells[(item.unit_id, item.period.label)]
        cell[0] += 1
        cell[1] += item.received
        cell[2] += item.on_time
    codes = dict(Unit.objects.filter(id__in={u for u, _ in cells}).values_list("id", "code"))
    names = dict(Unit.objects.filter(id__in={u for u, _ in cells}).values_list("id", "name"))
    rows = []
    for (unit_id, label), (exp, rec, ontime) in sorted(
        cells.items(), key=lambda kv: (codes[kv[0][0]], kv[0][1])
    ):
        rows.append(
            {
                "unit": codes[unit_id],
                "name": names[unit_id],
                "period": label,
                "end": ends[label],
                "expected": exp,
                "received": rec,
                "on_time": ontime,
                "reporting_rate": round(100 * rec / exp, 1),
                "on_time_rate": round(100 * ontime / exp, 1),
            }
        )
    return rows


def reports_late_by_unit(tasks: QuerySet[Task], today: date) -> dict[int, int]:
    """Per lead unit: expected reports whose due date has passed without an on-time report."""
    late: dict[int, int] = defaultdict(int)
    for item in expected_reports(tasks, today):
        if item.due_on < today and not item.on_time:
            late[item.unit_id] += 1
    return dict(late)


def plan_scorecard_extras(unit_ids: list[int], today: date) -> dict[int, dict[str, int]]:
    """For the scorecards: per unit, briefings past their due date not held, and progress
    reports past due not received on time (on the tasks the unit leads)."""
    result = {uid: {"briefings_missing": 0, "reports_late": 0} for uid in unit_ids}
    missing = (
        PlanTarget.objects.filter(unit_id__in=unit_ids, plan__briefing_due__lt=today)
        .exclude(
            Exists(
                Briefing.objects.filter(plan_id=OuterRef("plan_id"), unit_id=OuterRef("unit_id"))
            )
        )
        .values("unit_id")
        .annotate(n=Count("id"))
    )
    for row in missing:
        result[row["unit_id"]]["briefings_missing"] = row["n"]
    tasks = Task.objects.filter(matter__owner_id__in=unit_ids)
    for unit_id, n in reports_late_by_unit(tasks, today).items():
        if unit_id in result:
            result[unit_id]["reports_late"] = n
    return result
