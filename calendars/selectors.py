"""The calendar in force: built-in holidays plus the overrides in the database.

Building the calendar takes a few tens of milliseconds, so it is cached per process and
rebuilt only when the overrides change (their count and latest change time are checked with
one small query).
"""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from calendars.models import CalendarDay
from calendars.workdays import WorkCalendar

_lock = threading.Lock()
_cached: tuple[object, WorkCalendar] | None = None


def get_calendar() -> WorkCalendar:
    global _cached
    stamp = CalendarDay.objects.aggregate(n=Count("day"), last=Max("updated_at"))
    key = (stamp["n"], stamp["last"])
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
    overrides = {row.day: row.kind == CalendarDay.Kind.WORKING for row in CalendarDay.objects.all()}
    calendar = WorkCalendar(overrides)
    with _lock:
        _cached = (key, calendar)
    return calendar
