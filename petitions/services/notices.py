"""Notifications about petitions: arrival, transfer, escalation, due soon, overdue.

Texts name the petition by code and kind only: never a petitioner, never a denouncer.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from matters.models import Matter
from notifications.services import notify, recipients_of_unit
from petitions.models import Petition, Status
from units.models import Unit


def _url(code: str) -> str:
    return reverse("petitions:detail", args=[code])


def _people(matter: Matter, unit: Unit, *, handlers: bool) -> list[User]:
    people = recipients_of_unit(unit, head=True, handlers=handlers)
    if matter.handler_id and matter.handler and matter.handler.is_active:
        people.append(matter.handler)
    return people


def notify_arrival(petition: Petition, *, actor: Any) -> int:
    """Tell the owner unit's head and handlers that a petition has arrived."""
    matter = petition.matter
    text = _("New %(kind)s %(code)s has arrived; processing due %(due)s.") % {
        "kind": petition.get_kind_display(),
        "code": matter.code,
        "due": f"{matter.due_on:%d/%m/%Y}" if matter.due_on else "—",
    }
    people = [u for u in _people(matter, matter.owner, handlers=True) if u.pk != actor.pk]
    return notify(
        people, kind="petition.arrived", text=text, matter=matter.code, url=_url(matter.code)
    )


def notify_escalation(petition: Petition, superior: Unit) -> int:
    """Tell the head of the unit a bounced petition was escalated to."""
    matter = petition.matter
    text = _(
        "%(code)s was passed back and forth %(n)s times and has been escalated to your unit."
    ) % {"code": matter.code, "n": matter.bounces}
    return notify(
        recipients_of_unit(superior, head=True, handlers=True),
        kind="petition.escalated",
        text=text,
        matter=matter.code,
        url=_url(matter.code),
    )


def notify_deadlines(day: date) -> dict[str, int]:
    """Tell handlers and heads about open petitions due soon or overdue on ``day``. Each
    person hears about each petition once per state and day, however often this runs."""
    soon = day + timedelta(days=settings.DUE_SOON_DAYS)
    open_petitions = (
        Matter.objects.filter(
            kind=Matter.Kind.PETITION, is_open=True, suspended_on__isnull=True, due_on__lte=soon
        )
        .exclude(status=Status.SUSPENDED)
        .select_related("owner", "handler")
        .order_by("code")
    )
    counts = {"due_soon": 0, "overdue": 0}
    for matter in open_petitions.iterator(chunk_size=500):
        state = "overdue" if matter.due_on < day else "due_soon"  # type: ignore[operator]
        if state == "overdue":
            text = _("%(code)s is overdue: it was due %(due)s.")
        else:
            text = _("%(code)s is due soon: %(due)s.")
        text = text % {"code": matter.code, "due": f"{matter.due_on:%d/%m/%Y}"}
        counts[state] += notify(
            _people(matter, matter.owner, handlers=False),
            kind=f"petition.{state}",
            text=text,
            matter=matter.code,
            url=_url(matter.code),
            dedupe_key=f"petition:{matter.code}:{state}:{day.isoformat()}",
        )
    return counts
