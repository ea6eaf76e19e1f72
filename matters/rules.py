"""Picking the deadline rule in force and computing a matter's due date from it."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from calendars.selectors import get_calendar
from calendars.workdays import DeadlineExplanation
from common.errors import Invalid
from matters.models import DayUnit, DeadlineRule, Matter


def rule_in_force(key: str, on: date, variant: str = "normal") -> DeadlineRule:
    """The row of ``key``/``variant`` in force on ``on`` (the matter's own start date)."""
    rule = (
        DeadlineRule.objects.filter(key=key, variant=variant, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise Invalid(
            {
                "rule": _("no deadline rule %(rule)s in force on %(date)s")
                % {"rule": f"{key}/{variant}", "date": f"{on:%d/%m/%Y}"}
            }
        )
    return rule


def explain(matter: Matter) -> DeadlineExplanation | None:
    """The due date of a matter's clock with the days not counted, or None without a clock."""
    rule = matter.rule
    if rule is None or matter.clock_start is None or rule.unit == DayUnit.HOURS:
        return None
    return get_calendar().deadline(
        matter.clock_start,
        rule.length,
        rule.unit,
        extra_calendar_days=matter.extension_days + matter.suspended_days,
    )


def recompute_due(matter: Matter) -> None:
    """Set ``matter.due_on`` from its rule, start, extensions and suspensions."""
    explanation = explain(matter)
    if explanation is not None:
        matter.due_on = explanation.due_on
