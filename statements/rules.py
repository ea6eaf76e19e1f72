"""Which rows of LAW-REVIEWS-PRESS.md B1 govern a statement, and clocks in hours.

Hour limits count elapsed time: 24 hours from 21:30 on a holiday end at 21:30 the next day,
whatever the calendar says (Civil Code 2015 Art 147(1)); the explanation still lists the days
off it ran through, so that nobody mistakes it for a working-day limit. Day limits use the
working-day calendar and the Civil Code roll-over like every other matter.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from calendars.selectors import get_calendar
from calendars.workdays import WorkCalendar
from common.errors import Invalid
from matters.models import DayUnit, DeadlineRule
from matters.rules import rule_in_force
from statements.models import Ground, Trigger

# A clock in hours is "due soon" in its last hours.
DUE_SOON_HOURS = 6

# Triggers and the rule key that times them; a trigger without a row has no statutory limit
# (a journalist's question, a reply to false information), unless a province adds one.
TRIGGER_KEYS = {
    Trigger.EVENT: "statements.event",
    Trigger.DIVIDED_OPINION: "statements.divided_opinion",
    Trigger.PRESS_REQUEST: "statements.press_request",
    Trigger.PRESS_ANSWER: "statements.press_answer",
    Trigger.FORWARDED_PETITION: "statements.forwarded_petition",
    Trigger.FORWARDED_CONCLUSION: "statements.forwarded_conclusion",
    Trigger.FALSE_INFORMATION: "statements.false_information",
}
PERIODIC_KEY = "statements.periodic"
POSTING_KEY = "statements.spokesperson_posting"

PRESS_LAW_2016 = date(2017, 1, 1)
PRESS_LAW_2025 = date(2026, 7, 1)


@dataclass(frozen=True)
class GroundRule:
    code: str
    source: str
    effective_from: date
    effective_to: date | None = None


# Refusal grounds in force by date (Press Law 2025 Art 31(2) via Decree 244/2026 Art 4(3);
# the 2016 law's Art 38(2) before, which also listed unpublished drafts).
GROUNDS = [
    GroundRule(Ground.SECRET, "Luật Báo chí 2016, Điều 38 khoản 2", PRESS_LAW_2016, PRESS_LAW_2025),
    GroundRule(
        Ground.UNDER_INVESTIGATION,
        "Luật Báo chí 2016, Điều 38 khoản 2",
        PRESS_LAW_2016,
        PRESS_LAW_2025,
    ),
    GroundRule(
        Ground.NO_CONCLUSION, "Luật Báo chí 2016, Điều 38 khoản 2", PRESS_LAW_2016, PRESS_LAW_2025
    ),
    GroundRule(
        Ground.UNPUBLISHED_DRAFT,
        "Luật Báo chí 2016, Điều 38 khoản 2",
        PRESS_LAW_2016,
        PRESS_LAW_2025,
    ),
    GroundRule(
        Ground.SECRET,
        "Luật Báo chí 126/2025/QH15, Điều 31 khoản 2; Nghị định 244/2026/NĐ-CP, Điều 4 khoản 3",
        PRESS_LAW_2025,
    ),
    GroundRule(
        Ground.UNDER_INVESTIGATION,
        "Luật Báo chí 126/2025/QH15, Điều 31 khoản 2; Nghị định 244/2026/NĐ-CP, Điều 4 khoản 3",
        PRESS_LAW_2025,
    ),
    GroundRule(
        Ground.NO_CONCLUSION,
        "Luật Báo chí 126/2025/QH15, Điều 31 khoản 2; Nghị định 244/2026/NĐ-CP, Điều 4 khoản 3",
        PRESS_LAW_2025,
    ),
]


def grounds_in_force(on: date) -> dict[str, GroundRule]:
    return {
        g.code: g
        for g in GROUNDS
        if g.effective_from <= on and (g.effective_to is None or on < g.effective_to)
    }


def rule_or_none(key: str, on: date, variant: str = "normal") -> DeadlineRule | None:
    try:
        return rule_in_force(key, on, variant)
    except Invalid:
        return None


@dataclass(frozen=True)
class HoursClock:
    """A clock of ``hours`` elapsed hours from ``start``; ``through`` lists the local days off
    it runs through (they count)."""

    start: datetime
    hours: int
    due_at: datetime
    through: list[date] = field(default_factory=list)

    @property
    def due_on(self) -> date:
        return timezone.localdate(self.due_at)


def hours_clock(start: datetime, hours: int, calendar: WorkCalendar | None = None) -> HoursClock:
    if timezone.is_naive(start):
        raise ValueError("an hour clock needs an aware start time")
    due_at = start + timedelta(hours=hours)
    first, last = timezone.localdate(start), timezone.localdate(due_at)
    through = (calendar or get_calendar()).non_working_between(first, last)
    return HoursClock(start=start, hours=hours, due_at=due_at, through=through)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def month_bounds(day: date) -> tuple[date, date]:
    last = pycalendar.monthrange(day.year, day.month)[1]
    return date(day.year, day.month, 1), date(day.year, day.month, last)


def hour_state(due_at: datetime, now: datetime) -> str:
    if now > due_at:
        return "overdue"
    if due_at - now <= timedelta(hours=DUE_SOON_HOURS):
        return "due_soon"
    return "in_time"


def is_hours(rule: DeadlineRule | None) -> bool:
    return rule is not None and rule.unit == DayUnit.HOURS
