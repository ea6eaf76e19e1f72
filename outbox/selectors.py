"""What the administrators' outbox pages read. Only administrators see the outbox: it names
where the province's data goes and what failed (never the payloads, which may hold
petitioners' names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Forbidden
from outbox.channels import NotConfigured, channels
from outbox.models import Message

Status = Message.Status


def require_outbox_admin(user: Any) -> None:
    if not (getattr(user, "is_superuser", False) or getattr(user, "is_admin", False)):
        raise Forbidden(_("Only administrators see the outbox."))


@dataclass
class ChannelSummary:
    name: str
    label: str
    gateway: str
    configured: bool
    pending: int
    sending: int
    dead: int
    sent_day: int
    sent_total: int
    oldest_waiting: Any
    last_sent: Any


def gateway_description(factory: Any) -> tuple[str, bool]:
    try:
        gateway = factory()
    except NotConfigured as exc:
        return str(exc), False
    try:
        return gateway.describe(), True
    finally:
        gateway.close()


def outbox_summary() -> list[ChannelSummary]:
    """One row per registered channel: what waits, what was given up, what went out."""
    since = timezone.now() - timedelta(days=1)
    counts: dict[str, Any] = {
        row["channel"]: row
        for row in Message.objects.values("channel").annotate(
            pending=Count("id", filter=Q(status=Status.PENDING)),
            sending=Count("id", filter=Q(status=Status.SENDING)),
            dead=Count("id", filter=Q(status=Status.DEAD)),
            sent_day=Count("id", filter=Q(status=Status.SENT, sent_at__gte=since)),
            sent_total=Count("id", filter=Q(status=Status.SENT)),
            oldest_waiting=Min("created_at", filter=Q(status__in=[Status.PENDING, Status.SENDING])),
            last_sent=Max("sent_at"),
        )
    }
    rows = []
    for channel in channels():
        row = counts.get(channel.name, {})
        description, configured = gateway_description(channel.gateway)
        rows.append(
            ChannelSummary(
                name=channel.name,
                label=channel.label,
                gateway=description,
                configured=configured,
                pending=row.get("pending", 0),
                sending=row.get("sending", 0),
                dead=row.get("dead", 0),
                sent_day=row.get("sent_day", 0),
                sent_total=row.get("sent_total", 0),
                oldest_waiting=row.get("oldest_waiting"),
                last_sent=row.get("last_sent"),
            )
        )
    return rows


def dead_letters(channel: str | None = None) -> QuerySet[Message]:
    qs = Message.objects.filter(status=Status.DEAD).defer("payload")
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("-id")


def sent_messages(channel: str | None = None) -> QuerySet[Message]:
    qs = Message.objects.filter(status=Status.SENT).defer("payload")
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("-sent_at", "-id")


def waiting_messages(channel: str | None = None) -> QuerySet[Message]:
    qs = Message.objects.filter(status__in=[Status.PENDING, Status.SENDING]).defer("payload")
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("id")
