"""Demo: the officials have been at work, so the matters of their unit are not all new to
them. Each has opened every open matter of the unit except those handed over to it and
the three registered last (those stay marked as new in their lists until opened), and has
read the notifications about the matters opened."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from matters.models import Handoff, Matter
from notifications.models import Notification, Seen


def load(ctx: Any) -> None:
    now = timezone.now()
    handed_in = set(Handoff.objects.values_list("matter_id", "to_unit_id"))
    rows = []
    for user in ctx.officials.values():
        if not user.unit_id:
            continue
        open_here = list(
            Matter.objects.filter(owner_id=user.unit_id, is_open=True)
            .order_by("-opened_on", "-id")
            .values_list("id", flat=True)
        )
        for matter_id in open_here[3:]:
            if (matter_id, user.unit_id) not in handed_in:
                rows.append(Seen(user=user, matter_id=matter_id, at=now))
    Seen.objects.bulk_create(rows, ignore_conflicts=True)
    # Opening a matter reads the notifications about it.
    codes = dict(
        Matter.objects.filter(id__in={r.matter_id for r in rows}).values_list("id", "code")
    )
    read = 0
    for row in rows:
        read += Notification.objects.filter(
            user=row.user, matter=codes[row.matter_id], read_at__isnull=True
        ).update(read_at=now)
    ctx.log.append(
        f"Notifications: {len(rows)} matters already opened by their officials, "
        f"{read} notifications read."
    )
