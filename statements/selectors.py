"""Reads of statements and the spokesperson register that depend on who asks, and the public
reads (delivered statements, the published list of spokespersons)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import NotFound
from matters.models import Matter
from matters.records import get_record_for_user
from matters.selectors import filter_matters, matter_state, matters_visible_to
from statements import rules
from statements.models import Duty, Spokesperson, Statement, Status
from units.models import Unit
from units.selectors import subtree_ids, units_visible_to


def get_statement_for_user(user: Any, code: str) -> Statement:
    records = Statement.objects.select_related("rule", "spokesperson", "parent__matter")
    return get_record_for_user(user, code, Matter.Kind.STATEMENT, records)


def statement_state(statement: Statement, now: datetime) -> str:
    """The state of a statement: to the minute on an hour clock, to the day otherwise."""
    matter = statement.matter
    if statement.due_at is None:
        return matter_state(matter, timezone.localdate(now))
    done = statement.delivered_at or statement.refused_at
    if done is not None:
        return "done_late" if done > statement.due_at else "done_on_time"
    if not matter.is_open:
        return "done_on_time"
    return rules.hour_state(statement.due_at, now)


def statement_list_for_user(
    user: Any,
    *,
    status: str | None = None,
    trigger: str | None = None,
    unit: str | None = None,
    query: str | None = None,
) -> QuerySet[Statement]:
    matters = filter_matters(
        matters_visible_to(user).filter(kind=Matter.Kind.STATEMENT), owner=unit, query=query
    )
    if status:
        matters = matters.filter(status=status)
    qs = Statement.objects.filter(matter__in=matters).select_related(
        "matter__owner", "matter__area", "matter__handler", "matter__rule", "rule", "parent__matter"
    )
    if trigger:
        qs = qs.filter(trigger=trigger)
    if status == Status.OPEN:
        return qs.order_by("matter__due_on", "due_at", "matter__code")
    return qs.order_by("matter__code")


def public_statements(unit: str | None = None) -> QuerySet[Statement]:
    """Statements given, newest first; a periodic duty fulfilled by another statement is not
    shown twice."""
    qs = (
        Statement.objects.filter(matter__status=Status.DELIVERED, delivered_at__isnull=False)
        .exclude(duty=Duty.PRESS_CONFERENCE, parent__isnull=False)
        .select_related("matter__owner")
    )
    if unit:
        qs = qs.filter(matter__owner__code=unit)
    return qs.order_by("-delivered_at", "-matter__code")


def spokespersons_for_user(user: Any, unit: str | None = None) -> QuerySet[Spokesperson]:
    qs = Spokesperson.objects.filter(unit__in=units_visible_to(user)).select_related(
        "unit", "posting_rule"
    )
    if unit:
        qs = qs.filter(unit__code=unit)
    return qs.order_by("unit__code", "ended_on", "role", "full_name")


def get_spokesperson_for_user(user: Any, pk: int) -> Spokesperson:
    person = spokespersons_for_user(user).filter(pk=pk).first()
    if person is None:
        raise NotFound(_("No spokesperson %(id)s") % {"id": pk})
    return person


def current_q(on: date) -> Q:
    """Entries that may speak on ``on``: not ended, and for an authorisation within its dates."""
    return (Q(ended_on__isnull=True) | Q(ended_on__gt=on)) & (
        ~Q(role=Spokesperson.Role.AUTHORISED) | Q(valid_from__lte=on, valid_to__gte=on)
    )


def public_spokespersons(on: date) -> QuerySet[Spokesperson]:
    """The published list: current entries whose contacts have been posted."""
    return (
        Spokesperson.objects.filter(current_q(on), posted_at__isnull=False)
        .select_related("unit")
        .order_by("unit__code", "role", "full_name")
    )


def posting_overdue(user: Any, now: datetime) -> QuerySet[Spokesperson]:
    """Regular spokespersons (and old-rule authorisations) not posted by their due time."""
    return spokespersons_for_user(user).filter(
        posted_at__isnull=True, posting_due_at__lt=now, ended_on__isnull=True
    )


def indicator_statements(
    user: Any, unit: Unit, start: datetime, end: datetime
) -> QuerySet[Statement]:
    """Statements of ``unit`` and the units below it, visible to the user, that arose or were
    given in [start, end)."""
    matters = matters_visible_to(user).filter(
        kind=Matter.Kind.STATEMENT, owner_id__in=subtree_ids(unit)
    )
    return (
        Statement.objects.filter(matter__in=matters)
        .filter(
            Q(triggered_at__gte=start, triggered_at__lt=end)
            | Q(delivered_at__gte=start, delivered_at__lt=end)
        )
        .select_related("matter__owner", "rule")
        .order_by("matter__code")
    )
