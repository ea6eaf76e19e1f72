"""What statements and spokespersons look like in responses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from calendars.selectors import get_calendar
from calendars.workdays import WorkCalendar
from common.schema import Schema
from matters.models import DeadlineRule
from matters.schemas import MatterOut, matter_dict
from matters.schemas import rule_dict as matter_rule_dict
from statements import rules
from statements.models import Spokesperson, Statement, Trigger
from statements.selectors import statement_state
from statements.services import on_time


def local(moment: datetime | None) -> datetime | None:
    """Times are given in the province's time (+07:00), whatever offset they came with."""
    return timezone.localtime(moment) if moment is not None else None


def rule_dict(rule: DeadlineRule | None) -> dict[str, Any] | None:
    """The rule as every app shows it; a periodic duty's length counts months."""
    data = matter_rule_dict(rule)
    if data is not None and data["key"] == rules.PERIODIC_KEY:
        data["unit"] = "months"
    return data


def deadline_dict(s: Statement, calendar: WorkCalendar | None = None) -> dict[str, Any] | None:
    """The deadline with its explanation: hours counted straight through (and the days off
    they ran through), working or calendar days with the days skipped, or the period."""
    rule = s.rule
    if rule is None:
        return None
    data: dict[str, Any] = {
        "rule": rule_dict(rule),
        "due_on": s.matter.due_on,
        "due_at": local(s.due_at),
    }
    if s.trigger == Trigger.PERIODIC:
        data.update(
            unit="months", months=rule.length, period_start=s.period_start, period_end=s.period_end
        )
    elif rules.is_hours(rule):
        clock = rules.hours_clock(s.triggered_at, rule.length, calendar)
        data.update(
            unit="hours", hours=rule.length, start=local(s.triggered_at), through=clock.through
        )
    else:
        matter = s.matter
        skipped: list[date] = []
        if matter.clock_start is not None:
            skipped = (
                (calendar or get_calendar())
                .deadline(
                    matter.clock_start,
                    rule.length,
                    rule.unit,
                    extra_calendar_days=matter.extension_days + matter.suspended_days,
                )
                .skipped
            )
        data.update(unit=rule.unit, days=rule.length, start=matter.clock_start, skipped=skipped)
    return data


def statement_dict(
    s: Statement, now: datetime, calendar: WorkCalendar | None = None
) -> dict[str, Any]:
    matter = s.matter
    data = matter_dict(matter, timezone.localdate(now), handoffs=[])
    data.update(
        state=statement_state(s, now),
        unit=matter.owner.code,
        unit_name=matter.owner.name,
        trigger=s.trigger,
        duty=s.duty or None,
        period_start=s.period_start,
        period_end=s.period_end,
        triggered_at=local(s.triggered_at),
        subject=s.subject,
        press_agency=s.press_agency,
        question=s.question,
        petition=s.petition_code or None,
        parent=s.parent.matter.code if s.parent_id and s.parent else None,
        due_at=local(s.due_at),
        deadline=deadline_dict(s, calendar),
        delivered_at=local(s.delivered_at),
        form=s.form or None,
        text=s.text,
        speaker=s.speaker,
        speaker_registered=s.speaker_registered,
        refused_at=local(s.refused_at),
        ground=s.ground or None,
        reason=s.refusal_reason,
        on_time=on_time(s),
        correction_published=s.correction_published,
    )
    return data


def public_statement_dict(s: Statement) -> dict[str, Any]:
    return {
        "code": s.matter.code,
        "unit": s.matter.owner.code,
        "unit_name": s.matter.owner.name,
        "trigger": s.trigger,
        "subject": s.subject,
        "delivered_at": local(s.delivered_at),
        "form": s.form,
        "text": s.text,
        "speaker": s.speaker,
    }


def spokesperson_dict(p: Spokesperson, now: datetime) -> dict[str, Any]:
    due = p.posting_due_at
    posted = p.posted_at
    if due is None:
        posting = None
    elif posted is not None:
        posting = "done_late" if posted > due else "done_on_time"
    else:
        posting = rules.hour_state(due, now)
    return {
        "id": p.pk,
        **public_spokesperson_dict(p),
        "decision_no": p.decision_no,
        "decided_at": local(p.decided_at),
        "posting_due_at": local(due),
        "posting_rule": rule_dict(p.posting_rule),
        "posted_at": local(posted),
        "posting_state": posting,
        "ended_on": p.ended_on,
    }


# What the published list shows of a spokesperson, beside the unit.
PUBLIC_FIELDS = ("role", "full_name", "title", "phone", "email", "scope", "valid_from", "valid_to")


def public_spokesperson_dict(p: Spokesperson) -> dict[str, Any]:
    public = {name: getattr(p, name) for name in PUBLIC_FIELDS}
    return {"unit": p.unit.code, "unit_name": p.unit.name, **public}


class StatementOut(MatterOut):
    unit: str
    unit_name: str
    trigger: str
    duty: str | None
    period_start: date | None
    period_end: date | None
    triggered_at: datetime
    subject: str
    press_agency: str
    question: str
    petition: str | None
    parent: str | None
    due_at: datetime | None
    deadline: dict[str, Any] | None
    delivered_at: datetime | None
    form: str | None
    text: str
    speaker: str
    speaker_registered: bool | None
    refused_at: datetime | None
    ground: str | None
    reason: str
    on_time: bool | None
    correction_published: bool | None


class StatementPage(Schema):
    items: list[StatementOut]
    count: int


class PublicStatement(Schema):
    code: str
    unit: str
    unit_name: str
    trigger: str
    subject: str
    delivered_at: datetime
    form: str
    text: str
    speaker: str


class PublicStatementPage(Schema):
    items: list[PublicStatement]
    count: int


class PublicSpokesperson(Schema):
    unit: str
    unit_name: str
    role: str
    full_name: str
    title: str
    phone: str
    email: str
    scope: str
    valid_from: date | None
    valid_to: date | None


# The register entry as its unit keeps it: the published fields and the decision.
class SpokespersonOut(PublicSpokesperson):
    id: int
    decision_no: str
    decided_at: datetime | None
    posting_due_at: datetime | None
    posting_rule: dict[str, Any] | None
    posted_at: datetime | None
    posting_state: str | None
    ended_on: date | None
