"""Writes: directives, plans, tasks, progress, completion, briefings.

Every function is atomic, validates all its input at once (``Invalid`` names every bad
field), writes its audit event in the same transaction, and leaves access checks to the
selectors its callers use first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.clock import today as clock_today
from common.errors import Conflict, Invalid
from common.text import nfc
from matters.models import Matter, Participant
from matters.services import matter_close, matter_new, matter_touch, participants_set, refs_checked
from plans import periods
from plans.files import CheckedFile
from plans.models import Briefing, Directive, Plan, PlanTarget, ProgressReport, Reporting, Task
from plans.selectors import report_grace_days
from units.models import Unit

TASK_OPEN = "assigned"
TASK_IN_PROGRESS = "in_progress"
TASK_DONE = "done"


def _units_by_code(codes: list[str], field: str, errors: dict[str, str]) -> list[Unit]:
    codes = [nfc(c) for c in codes]
    if len(set(codes)) != len(codes):
        errors[field] = _("a unit is listed twice")
        return []
    found = {u.code: u for u in Unit.objects.filter(code__in=codes, is_active=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        errors[field] = _("no unit with code %(codes)s") % {"codes": ", ".join(unknown)}
        return []
    return [found[c] for c in codes]


def _not_future(value: date | None, field: str, errors: dict[str, str], today: date) -> None:
    if value is not None and value > today:
        errors[field] = _("%(date)s is in the future") % {"date": f"{value:%d/%m/%Y}"}


# --- directives ------------------------------------------------------------------------------


@transaction.atomic
def directive_create(
    *,
    actor: Any,
    number: str,
    title: str,
    issued_on: date,
    issuer: str,
    text: str = "",
    file: CheckedFile | None = None,
) -> Directive:
    """Register a directive. The same number on the same date twice is 409."""
    number, title, issuer = nfc(number), nfc(title), nfc(issuer)
    errors: dict[str, str] = {}
    for name, value in (("number", number), ("title", title), ("issuer", issuer)):
        if not value:
            errors[name] = _("required")
    _not_future(issued_on, "issued_on", errors, clock_today())
    if errors:
        raise Invalid(errors)
    if Directive.objects.filter(number=number, issued_on=issued_on).exists():
        raise Conflict(
            _("directive %(number)s of %(date)s is already registered")
            % {"number": number, "date": f"{issued_on:%d/%m/%Y}"}
        )
    directive = Directive(
        number=number,
        title=title,
        issued_on=issued_on,
        issuer=issuer,
        text=nfc(text or ""),
        unit_id=getattr(actor, "unit_id", None),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if file is not None:
        directive.file.save(file.content.name or "file", file.content, save=False)
        directive.file_name, directive.file_type = file.name, file.content_type
    directive.save()
    audit_record(
        actor=actor,
        action="directive.create",
        data={"id": directive.id, "number": number, "issued_on": issued_on.isoformat()},
    )
    return directive


@transaction.atomic
def directive_attach_file(*, actor: Any, directive: Directive, file: CheckedFile) -> Directive:
    directive.file.save(file.content.name or "file", file.content, save=False)
    directive.file_name, directive.file_type = file.name, file.content_type
    directive.save(update_fields=["file", "file_name", "file_type"])
    audit_record(actor=actor, action="directive.file", data={"id": directive.id, "name": file.name})
    return directive


# --- plans -----------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    directive: Directive,
    unit: Unit,
    number: str,
    title: str,
    issued_on: date,
    briefing_due: date,
    targets: list[str],
    parent: Plan | None = None,
) -> Plan:
    """Issue a plan of ``unit`` carrying out ``directive``; under ``parent`` when ``unit`` is
    one of the parent plan's target units (checked here: 422 otherwise)."""
    number, title = nfc(number), nfc(title)
    errors: dict[str, str] = {}
    if not number:
        errors["number"] = _("required")
    if not title:
        errors["title"] = _("required")
    if briefing_due < issued_on:
        errors["briefing_due"] = _("must not be before the day the plan is issued")
    if issued_on < directive.issued_on:
        errors["issued_on"] = _("must not be before the directive (%(date)s)") % {
            "date": f"{directive.issued_on:%d/%m/%Y}"
        }
    target_units = _units_by_code(targets, "targets", errors)
    if any(t.id == unit.id for t in target_units):
        errors["targets"] = _("%(unit)s cannot target its own plan") % {"unit": unit.code}
    if parent is not None:
        if parent.directive_id != directive.id:
            errors["directive"] = _("must be the directive of the parent plan (id %(id)s)") % {
                "id": parent.directive_id
            }
        if not PlanTarget.objects.filter(plan=parent, unit=unit).exists():
            errors["unit"] = _("%(unit)s is not a target unit of plan %(plan)s") % {
                "unit": unit.code,
                "plan": parent.id,
            }
        if issued_on < parent.issued_on:
            errors["issued_on"] = _("must not be before the parent plan (%(date)s)") % {
                "date": f"{parent.issued_on:%d/%m/%Y}"
            }
    if errors:
        raise Invalid(errors)
    plan = Plan.objects.create(
        directive=directive,
        unit=unit,
        parent=parent,
        number=number,
        title=title,
        issued_on=issued_on,
        briefing_due=briefing_due,
        depth=parent.depth + 1 if parent else 0,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    plan.path = (parent.path if parent else "/") + f"{plan.id}/"
    plan.save(update_fields=["path"])
    PlanTarget.objects.bulk_create([PlanTarget(plan=plan, unit=t) for t in target_units])
    audit_record(
        actor=actor,
        action="plan.create",
        unit=unit.code,
        data={
            "id": plan.id,
            "number": number,
            "directive": directive.id,
            "parent": parent.id if parent else None,
            "targets": [t.code for t in target_units],
        },
    )
    return plan


# --- tasks -----------------------------------------------------------------------------------

# A deadline further back than this, or further ahead, is more often a slip of the keyboard
# (a wrong year) than meant: the web form asks the official to confirm it (the API's callers
# are not asked, as before).
CONFIRM_DUE_PAST_DAYS = 30
CONFIRM_DUE_FUTURE_DAYS = 730


def odd_due_message(due_on: date, day: date) -> str | None:
    """Why ``due_on`` needs a confirmation on ``day``, or None when it looks ordinary."""
    if due_on < day - timedelta(days=CONFIRM_DUE_PAST_DAYS):
        return _(
            "%(day)s is %(n)s days ago: the task would be overdue at once. Check the date and "
            "confirm it."
        ) % {"day": f"{due_on:%d/%m/%Y}", "n": (day - due_on).days}
    if due_on > day + timedelta(days=CONFIRM_DUE_FUTURE_DAYS):
        return _("%(day)s is more than two years ahead: check the year and confirm it.") % {
            "day": f"{due_on:%d/%m/%Y}"
        }
    return None


@transaction.atomic
def task_create(
    *,
    actor: Any,
    plan: Plan,
    title: str,
    lead: str,
    cooperating: list[str],
    due_on: date,
    area: str,
    category: str,
    opened_on: date | None = None,
    reporting: str = Reporting.MONTHLY,
    weight: int = 1,
    description: str = "",
    confirm_due: bool = True,
) -> Task:
    """A task of ``plan``: a matter of kind task owned by ``lead``; the cooperating units and
    the plan's unit take part (cooperating, overseeing). ``confirm_due`` False: a deadline
    long past or years ahead is refused until confirmed (the web form)."""
    title = nfc(title or "")
    opened_on = opened_on or clock_today()
    errors = _task_field_errors(plan, title, due_on, opened_on, reporting, weight, confirm_due)
    coop = _units_by_code(cooperating, "cooperating", errors)
    area_obj, cat_obj, lead_unit = refs_checked(
        errors, area=area, category=category, owner=lead, on=opened_on, owner_field="lead"
    )
    if lead_unit is not None and any(u.id == lead_unit.id for u in coop):
        errors["cooperating"] = _("%(unit)s leads the task and cannot also cooperate") % {
            "unit": lead_unit.code
        }
    if errors:
        raise Invalid(errors)
    assert area_obj is not None and cat_obj is not None and lead_unit is not None
    matter = matter_new(
        kind=Matter.Kind.TASK,
        title=title,
        area=area_obj,
        category=cat_obj,
        owner=lead_unit,
        opened_on=opened_on,
        status=TASK_OPEN,
        due_on=due_on,
    )
    task = Task.objects.create(
        matter=matter,
        plan=plan,
        reporting=reporting,
        weight=weight,
        description=nfc(description or ""),
    )
    participants_set(matter, coop, Participant.Role.COOPERATING)
    participants_set(matter, [plan.unit], Participant.Role.OVERSEEING)
    audit_record(
        actor=actor,
        action="task.create",
        matter=matter.code,
        unit=plan.unit.code,
        data={
            "plan": plan.id,
            "lead": lead_unit.code,
            "cooperating": [u.code for u in coop],
            "due_on": due_on.isoformat(),
        },
    )
    return task


def _task_field_errors(
    plan: Plan,
    title: str,
    due_on: date,
    opened_on: date,
    reporting: str,
    weight: int,
    confirm_due: bool,
) -> dict[str, str]:
    """What is wrong with the task's own fields, by field (the units are checked apart)."""
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("required")
    odd_due = None if confirm_due else odd_due_message(due_on, clock_today())
    if due_on < opened_on:
        errors["due_on"] = _("must not be before the day the task is given (%(date)s)") % {
            "date": f"{opened_on:%d/%m/%Y}"
        }
    elif odd_due:
        errors["due_on"] = odd_due
    if opened_on < plan.issued_on:
        errors["opened_on"] = _("must not be before the plan (%(date)s)") % {
            "date": f"{plan.issued_on:%d/%m/%Y}"
        }
    if reporting not in Reporting.values:
        errors["reporting"] = _("must be one of %(values)s") % {
            "values": ", ".join(Reporting.values)
        }
    if not 1 <= weight <= 100:
        errors["weight"] = _("must be between 1 and 100")
    return errors


def default_period(task: Task, unit_id: int, reported_on: date) -> str:
    """The period a report answers when the reporter does not say: the period that contains
    ``reported_on``, unless the lead unit reports within the grace days after the previous
    period and has not answered that one yet (a report on 3 April answers March)."""
    current = periods.period_of(reported_on, task.reporting)
    if unit_id != task.matter.owner_id:
        return current.label
    before = periods.previous(current, task.reporting)
    in_grace = reported_on <= before.end + timedelta(days=report_grace_days())
    opened = before.end >= task.matter.opened_on
    answered = ProgressReport.objects.filter(
        task=task, unit_id=unit_id, period=before.label
    ).exists()
    return before.label if in_grace and opened and not answered else current.label


def _check_report_date(task: Task, reported_on: date, field: str, errors: dict[str, str]) -> None:
    if reported_on > clock_today():
        errors[field] = _("%(date)s is in the future") % {"date": f"{reported_on:%d/%m/%Y}"}
    elif reported_on < task.matter.opened_on:
        errors[field] = _("must not be before the task was given (%(date)s)") % {
            "date": f"{task.matter.opened_on:%d/%m/%Y}"
        }


def validate_progress(
    task: Task, progress: Any, reported_on: date, period: str | None
) -> dict[str, str]:
    """Errors of one progress report (empty if fine); shared with the spreadsheet import."""
    errors: dict[str, str] = {}
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        errors["progress"] = _("must be a whole number from 0 to 100")
    _check_report_date(task, reported_on, "reported_on", errors)
    if period:
        if task.reporting == Reporting.NONE:
            errors["period"] = _("this task has no periodic reporting duty")
        elif periods.parse_period(period, task.reporting) is None:
            errors["period"] = _("must be a period like %(example)s") % {
                "example": periods.example_label(task.reporting)
            }
    return errors


@transaction.atomic
def task_report_progress(
    *,
    actor: Any,
    task: Task,
    progress: int,
    reported_on: date,
    note: str = "",
    period: str | None = None,
    expected_version: int | None = None,
    unit: Unit | None = None,
) -> ProgressReport:
    """Record a progress report by ``unit`` (default: the actor's unit), the lead or a
    cooperating unit. A finished task takes no more reports (409)."""
    matter = task.matter
    errors = validate_progress(task, progress, reported_on, period)
    if errors:
        raise Invalid(errors)
    if not matter.is_open:
        raise Conflict(
            _("%(code)s is finished; it takes no more progress reports") % {"code": matter.code}
        )
    matter_touch(matter, expected_version)
    unit_id = unit.id if unit is not None else actor.unit_id
    if task.reporting == Reporting.NONE:
        label = ""
    else:
        label = period or default_period(task, unit_id, reported_on)
    report = ProgressReport.objects.create(
        task=task,
        unit_id=unit_id,
        progress=progress,
        note=nfc(note or ""),
        reported_on=reported_on,
        period=label,
        by=actor,
    )
    if unit_id == matter.owner_id and (task.reported_on is None or reported_on >= task.reported_on):
        task.progress, task.reported_on = progress, reported_on
        task.save(update_fields=["progress", "reported_on"])
    if matter.status == TASK_OPEN:
        matter.status = TASK_IN_PROGRESS
        matter.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="task.progress",
        matter=matter.code,
        unit=Unit.objects.get(pk=unit_id).code,
        data={"progress": progress, "reported_on": reported_on.isoformat(), "period": label},
    )
    return report


@transaction.atomic
def task_complete(
    *,
    actor: Any,
    task: Task,
    completed_on: date,
    note: str = "",
    expected_version: int | None = None,
) -> Task:
    """Finish a task: done on time or late by ``completed_on`` against its due date."""
    matter = task.matter
    errors: dict[str, str] = {}
    _check_report_date(task, completed_on, "completed_on", errors)
    if errors:
        raise Invalid(errors)
    if not matter.is_open:
        raise Conflict(_("%(code)s is already finished") % {"code": matter.code})
    matter_touch(matter, expected_version)
    matter_close(matter, status=TASK_DONE, closed_on=completed_on, outcome=note)
    label = (
        ""
        if task.reporting == Reporting.NONE
        else periods.period_of(completed_on, task.reporting).label
    )
    ProgressReport.objects.create(
        task=task,
        unit_id=matter.owner_id,
        progress=100,
        note=nfc(note or ""),
        reported_on=completed_on,
        period=label,
        is_completion=True,
        by=actor,
    )
    task.progress, task.reported_on = 100, completed_on
    task.save(update_fields=["progress", "reported_on"])
    audit_record(
        actor=actor,
        action="task.complete",
        matter=matter.code,
        unit=matter.owner.code,
        data={"completed_on": completed_on.isoformat(), "due_on": str(matter.due_on)},
    )
    return task


# --- briefings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefingInput:
    unit: str
    held_on: date
    attendees: int
    chair: str = ""
    minutes: str = ""


def briefing_unit(plan: Plan, code: str) -> Unit:
    """The target unit named ``code``; 422 on ``unit`` if there is none or it is no target."""
    unit = Unit.objects.filter(code=nfc(code or "")).first()
    if unit is None:
        raise Invalid({"unit": _("no unit with code %(codes)s") % {"codes": code}})
    if not PlanTarget.objects.filter(plan=plan, unit=unit).exists():
        raise Invalid(
            {
                "unit": _("%(unit)s is not a target unit of plan %(plan)s")
                % {"unit": unit.code, "plan": plan.number}
            }
        )
    return unit


@transaction.atomic
def briefing_record(
    *,
    actor: Any,
    plan: Plan,
    unit: Unit,
    held_on: date,
    attendees: int,
    chair: str = "",
    minutes: str = "",
    minutes_file: CheckedFile | None = None,
) -> Briefing:
    """Record the briefing conference of a target unit; a second one for the same plan and
    unit is 409."""
    errors: dict[str, str] = {}
    _not_future(held_on, "held_on", errors, clock_today())
    if held_on < plan.issued_on:
        errors["held_on"] = _("must not be before the plan (%(date)s)") % {
            "date": f"{plan.issued_on:%d/%m/%Y}"
        }
    if isinstance(attendees, bool) or not isinstance(attendees, int) or attendees < 1:
        errors["attendees"] = _("must be a count of 1 or more")
    if errors:
        raise Invalid(errors)
    briefing = Briefing(
        plan=plan,
        unit=unit,
        held_on=held_on,
        attendees=attendees,
        chair=nfc(chair or ""),
        minutes=nfc(minutes or ""),
        by=actor if getattr(actor, "pk", None) else None,
    )
    if minutes_file is not None:
        briefing.minutes_file.save(
            minutes_file.content.name or "file", minutes_file.content, save=False
        )
        briefing.minutes_name, briefing.minutes_type = minutes_file.name, minutes_file.content_type
    try:
        with transaction.atomic():
            briefing.save()
    except IntegrityError:
        if minutes_file is not None:
            briefing.minutes_file.delete(save=False)
        raise Conflict(
            _("%(unit)s has already recorded its briefing on plan %(plan)s")
            % {"unit": unit.code, "plan": plan.number}
        )
    audit_record(
        actor=actor,
        action="briefing.record",
        unit=unit.code,
        data={
            "plan": plan.id,
            "held_on": held_on.isoformat(),
            "attendees": attendees,
            "late": held_on > plan.briefing_due,
        },
    )
    return briefing


@transaction.atomic
def briefing_attach_minutes(*, actor: Any, briefing: Briefing, file: CheckedFile) -> Briefing:
    old = briefing.minutes_file.name if briefing.minutes_file else ""
    briefing.minutes_file.save(file.content.name or "file", file.content, save=False)
    briefing.minutes_name, briefing.minutes_type = file.name, file.content_type
    briefing.save(update_fields=["minutes_file", "minutes_name", "minutes_type"])
    if old:
        storage = briefing.minutes_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit_record(
        actor=actor,
        action="briefing.minutes",
        unit=briefing.unit.code,
        data={"briefing": briefing.id, "name": file.name},
    )
    return briefing
