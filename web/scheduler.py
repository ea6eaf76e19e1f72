"""Periodic jobs: which are due now, and starting each once per period.

``settings.PERIODIC_JOBS`` lists ``(task path, period, at)``: period ``hourly`` with ``at`` =
":MM", ``daily`` with ``at`` = "HH:MM" local time, or ``weekly`` with ``at`` = "MON HH:MM". A job missed while the server was
down runs at the next tick of the same period (catch-up), never twice in one period.
"""

from __future__ import annotations

import importlib
import logging
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from web.models import ScheduledRun

log = logging.getLogger(__name__)
DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


def period_key(period: str, at: str, now: datetime) -> str | None:
    """The key of the current period if the job's time in it has come, else None."""
    if period == "hourly":
        if now.minute < int(at.lstrip(":")):
            return None
        return f"{now.date().isoformat()}T{now.hour:02d}"
    if period == "daily":
        hour, minute = (int(x) for x in at.split(":"))
        if (now.hour, now.minute) < (hour, minute):
            return None
        return now.date().isoformat()
    if period == "weekly":
        day, clock = at.split()
        hour, minute = (int(x) for x in clock.split(":"))
        if (now.weekday(), now.hour, now.minute) < (DAYS.index(day.upper()), hour, minute):
            return None
        year, week, _ = now.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"unknown period {period!r}")


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every job that is due and not yet started in its period; return their paths."""
    now = timezone.localtime(now or timezone.now())
    started = []
    for path, period, at in getattr(settings, "PERIODIC_JOBS", []):
        key = period_key(period, at, now)
        if key is None:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=path, period=key)
        except IntegrityError:
            continue
        module, name = path.rsplit(".", 1)
        try:
            getattr(importlib.import_module(module), name).enqueue()
            started.append(path)
        except Exception:  # a broken job must not stop the others
            log.exception("could not enqueue %s", path)
    return started
