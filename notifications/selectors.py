"""Reading an official's notifications, and which matters are new to them."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from matters.models import Handoff, Matter
from notifications.models import Notification, Seen


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def notifications_for(user: Any, *, unread: bool = False) -> QuerySet[Notification]:
    """``user``'s own notifications, newest first (nobody sees another's)."""
    qs = Notification.objects.filter(user_id=user.pk)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def with_news(qs: QuerySet[Matter], user: Any) -> QuerySet[Matter]:
    """Annotate matters with what is new to ``user``: ``is_new`` (open, owned by the
    official's unit, and registered there or handed over to it since the official last
    opened it) and ``came_in`` (the unit got it by a handoff, not by registering it)."""
    if not getattr(user, "unit_id", None):
        return qs.annotate(
            is_new=Value(False, output_field=BooleanField()),
            came_in=Value(False, output_field=BooleanField()),
        )
    into_owner = Handoff.objects.filter(matter=OuterRef("pk"), to_unit=OuterRef("owner"))
    qs = qs.annotate(
        arrived_at=Coalesce(
            Subquery(into_owner.order_by("-at", "-id").values("at")[:1]), F("created_at")
        ),
        came_in=Exists(into_owner),
    )
    seen = Seen.objects.filter(
        user_id=user.pk, matter=OuterRef("pk"), at__gte=OuterRef("arrived_at")
    )
    return qs.annotate(
        is_new=ExpressionWrapper(
            Q(is_open=True, owner_id=user.unit_id) & ~Exists(seen), output_field=BooleanField()
        )
    )
