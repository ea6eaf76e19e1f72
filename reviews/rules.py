"""Which rows of LAW-REVIEWS-PRESS.md A1 govern a review's clocks.

The limits are ``DeadlineRule`` rows (migration 0002, keys ``reviews.<step>``, variant = the
procedure). This module says which steps a procedure has, what each step counts from, and on
which day a rule is looked up: the event's own day, except that a dossier received before Law
143/2025 came into force keeps the rules of Law 61/2020 to the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from calendars.selectors import get_calendar
from common.errors import Invalid
from matters.models import DeadlineRule
from matters.rules import rule_in_force
from reviews.models import Law, Procedure

if TYPE_CHECKING:
    from reviews.models import Review

# Luật Đầu tư 143/2025/QH15 in force; dossiers received earlier follow Law 61/2020.
LAW_2025_FROM = date(2026, 3, 1)

SEND, REPLY, REPORT, DECIDE, TOTAL = "send", "reply", "report", "decide", "total"
STEP_LABELS = {
    SEND: _("Request opinions"),
    REPLY: _("Answer of the consulted unit"),
    REPORT: _("Appraisal report"),
    DECIDE: _("Decision"),
    TOTAL: _("Whole procedure"),
}

# Steps of the registration agency and the decision maker, in order, per procedure.
STEPS: dict[str, tuple[str, ...]] = {
    Procedure.PROVINCE: (SEND, REPORT, DECIDE, TOTAL),
    Procedure.ZONE: (SEND, DECIDE),
    Procedure.INVESTOR: (SEND, REPORT, DECIDE),
    Procedure.PM: (SEND, REPORT, DECIDE),
    Procedure.FOREIGN_CAPITAL: (SEND, DECIDE),
}


def law_for(received_on: date) -> str:
    return Law.LAW_2025 if received_on >= LAW_2025_FROM else Law.LAW_2020


def has_report(procedure: str) -> bool:
    return REPORT in STEPS[procedure]


def rule_day(review: Review, event_day: date) -> date:
    """The day a rule is looked up for an event of ``review`` on ``event_day``."""
    if review.law == Law.LAW_2020:
        return min(event_day, LAW_2025_FROM - timedelta(days=1))
    return event_day


def step_rule(review: Review, step: str, event_day: date) -> DeadlineRule | None:
    """The row for ``step`` of the review's procedure, or None where the law sets none."""
    try:
        return rule_in_force(f"reviews.{step}", rule_day(review, event_day), review.procedure)
    except Invalid:
        return None


def reply_rule(review: Review, sent_on: date) -> DeadlineRule:
    rule = step_rule(review, REPLY, sent_on)
    if rule is None:
        raise Invalid(
            {
                "sent_on": _(
                    "no rule for answers to consultations of a %(procedure)s procedure "
                    "in force on %(date)s"
                )
                % {"procedure": review.procedure, "date": f"{sent_on:%d/%m/%Y}"}
            }
        )
    return rule


def paused_days(review: Review, start: date, today: date) -> int:
    """Calendar days the investor spent correcting after the clock of ``start`` began
    (Decree 96/2026 Art 6(1)(e)); a request still open counts up to ``today``."""
    asked = review.corrections_requested_on
    if asked is None or asked < start:
        return 0
    back = review.corrections_received_on or max(today, asked)
    return max((back - asked).days, 0)


@dataclass
class Clock:
    """One deadline of a review, able to explain itself."""

    step: str
    rule: DeadlineRule | None
    start: date | None
    due_on: date | None = None
    done_on: date | None = None
    paused_days: int = 0
    paused: bool = False
    projected: bool = False
    skipped: list[date] = field(default_factory=list)

    def state(self, today: date) -> str:
        if self.done_on is not None:
            late = self.due_on is not None and self.done_on > self.due_on
            return "done_late" if late else "done_on_time"
        if self.due_on is None:
            return "in_time"
        if self.due_on < today:
            return "overdue"
        if self.due_on <= today + timedelta(days=settings.DUE_SOON_DAYS):
            return "due_soon"
        return "in_time"


def step_start(review: Review, step: str) -> date | None:
    if step == DECIDE and has_report(review.procedure):
        return review.report_sent_on
    return review.valid_on


def step_done(review: Review, step: str, last_sent_on: date | None) -> date | None:
    if step == SEND:
        return last_sent_on
    if step == REPORT:
        return review.report_sent_on
    return review.decided_on


def review_clocks(review: Review, today: date, last_sent_on: date | None = None) -> list[Clock]:
    """Every clock of the review's procedure. A clock whose start has not happened yet has no
    due date; for the decision that counts from the report, the due date is projected from the
    report's own due date until the report is sent."""
    calendar = get_calendar()
    clocks: list[Clock] = []
    report_due: date | None = None
    for step in STEPS[review.procedure]:
        start = step_start(review, step)
        projected = False
        if start is None and step == DECIDE and report_due is not None:
            start, projected = report_due, True
        rule = step_rule(review, step, start or review.valid_on or review.received_on)
        if step == TOTAL and rule is None:
            continue
        clock = Clock(step=step, rule=rule, start=start, projected=projected)
        clock.done_on = step_done(review, step, last_sent_on)
        if rule is not None and start is not None:
            pause = 0 if projected else paused_days(review, start, today)
            explanation = calendar.deadline(
                start, rule.length, rule.unit, extra_calendar_days=pause
            )
            clock.due_on = explanation.due_on
            clock.skipped = explanation.skipped
            clock.paused_days = pause
            asked = review.corrections_requested_on
            clock.paused = (
                not projected
                and asked is not None
                and asked >= start
                and review.corrections_received_on is None
                and clock.done_on is None
            )
        if step == REPORT:
            report_due = clock.due_on
        clocks.append(clock)
    return clocks
