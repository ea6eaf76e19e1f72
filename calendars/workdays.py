"""Vietnam's working-day calendar.

Working days are Monday to Friday, minus the public holidays of the ``holidays`` package
(lunar Tết, observed days, days off moved by government decision), plus the make-up working
Saturdays that package knows, then the administrator's overrides on top.

Arithmetic is done on a sorted array of every working day in the supported range, so that
"the n-th working day after d" is a binary search plus an index, for one date or a million.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays
import numpy as np

FIRST_YEAR = 2000
LAST_YEAR = 2060
_EPOCH = np.datetime64("1970-01-01", "D")


class CalendarRangeError(ValueError):
    """A date outside the years the calendar covers."""


@dataclass(frozen=True)
class DeadlineExplanation:
    """How a deadline was reached: the raw last day, the final one, and the days skipped."""

    start: date
    due_on: date
    raw_due_on: date
    skipped: list[date] = field(default_factory=list)


@functools.cache
def _builtin_calendar() -> tuple[np.ndarray, np.ndarray, dict[date, str]]:
    """Every day of the supported range, whether it is a working day, and holiday names."""
    vn = holidays.country_holidays("VN", years=range(FIRST_YEAR, LAST_YEAR + 1))
    start = np.datetime64(f"{FIRST_YEAR}-01-01", "D")
    end = np.datetime64(f"{LAST_YEAR + 1}-01-01", "D")
    days = np.arange(start, end, dtype="datetime64[D]")
    # 1970-01-01 was a Thursday: (ordinal + 3) % 7 gives Monday=0 .. Sunday=6.
    weekday = ((days - _EPOCH).astype(np.int64) + 3) % 7
    working = weekday < 5
    holiday_days = np.array(sorted(vn.keys()), dtype="datetime64[D]")
    working[np.searchsorted(days, holiday_days)] = False
    makeup = np.array(sorted(getattr(vn, "weekend_workdays", set())), dtype="datetime64[D]")
    if makeup.size:
        working[np.searchsorted(days, makeup)] = True
    working.setflags(write=False)
    return days, working, dict(vn.items())


class WorkCalendar:
    """A working-day calendar for ``FIRST_YEAR``..``LAST_YEAR`` with overrides applied.

    ``overrides`` maps a date to True (working) or False (off).
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        days, base_mask, names = _builtin_calendar()
        working = base_mask.copy()
        start = days[0]
        self.holiday_names = names
        for day, is_working in (overrides or {}).items():
            index = (np.datetime64(day, "D") - start).astype(np.int64)
            if 0 <= index < days.size:
                working[index] = bool(is_working)
        self._start = start
        self._end = days[-1] + np.timedelta64(1, "D")
        self._working_mask = working
        self._working_days = days[working]

    # -- single dates ---------------------------------------------------------------------
    def _check(self, day: date) -> np.datetime64:
        value = np.datetime64(day, "D")
        if not (self._start <= value < self._end):
            raise CalendarRangeError(
                f"{day.isoformat()} is outside the calendar ({FIRST_YEAR}-{LAST_YEAR})"
            )
        return value

    def is_working_day(self, day: date) -> bool:
        value = self._check(day)
        return bool(self._working_mask[(value - self._start).astype(np.int64)])

    def add(self, start: date, days: int, unit: str = "working") -> date:
        """The ``days``-th day after ``start`` (start not counted), in working or calendar days.

        Plain arithmetic: a calendar-day result is not moved off a holiday here.
        """
        if unit == "calendar":
            return start + timedelta(days=days)
        result = self.add_working_many(np.array([start], dtype="datetime64[D]"), np.array([days]))
        return result[0].astype(date)

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        value = self._check(day)
        index = np.searchsorted(self._working_days, value, side="left")
        return self._working_days[index].astype(date)

    def non_working_between(self, first: date, last: date) -> list[date]:
        """Days in [first, last] that are not working days."""
        if last < first:
            return []
        lo = (self._check(first) - self._start).astype(np.int64)
        hi = (self._check(last) - self._start).astype(np.int64)
        mask = ~self._working_mask[lo : hi + 1]
        offsets = np.nonzero(mask)[0]
        return [first + timedelta(days=int(i)) for i in offsets]

    def deadline(
        self, start: date, days: int, unit: str, extra_calendar_days: int = 0
    ) -> DeadlineExplanation:
        """The last day of a time limit of ``days`` counted from the day after ``start``.

        Calendar-day limits follow the Civil Code (Art. 147, 148(5)): the start day is not
        counted, and a last day that is not a working day moves to the next working day.
        ``extra_calendar_days`` (extensions counted in days, suspended days) are added before
        that move. Working-day limits always end on a working day.
        """
        if unit == "working":
            raw = self.add(start, days, "working")
            raw = raw + timedelta(days=extra_calendar_days)
            skipped = self.non_working_between(start + timedelta(days=1), raw)
        else:
            raw = start + timedelta(days=days + extra_calendar_days)
            skipped = []
        due = self.next_working_day(raw)
        if due != raw:
            skipped = skipped + self.non_working_between(raw, due - timedelta(days=1))
        return DeadlineExplanation(start=start, due_on=due, raw_due_on=raw, skipped=skipped)

    # -- vectorised -----------------------------------------------------------------------
    def add_working_many(self, starts: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Vectorised ``add(start, n, "working")`` for arrays of ``datetime64[D]`` and ints.

        ``n`` may be zero (``start`` is returned unchanged) or negative (working days before
        ``start``).
        """
        starts = np.asarray(starts, dtype="datetime64[D]")
        days = np.asarray(days, dtype=np.int64)
        if starts.size and (starts.min() < self._start or starts.max() >= self._end):
            raise CalendarRangeError(f"dates must fall in {FIRST_YEAR}-{LAST_YEAR}")
        # Index of the first working day strictly after start; n-th after that is +n-1.
        after = np.searchsorted(self._working_days, starts, side="right")
        before = np.searchsorted(self._working_days, starts, side="left") - 1
        index = np.where(days > 0, after + days - 1, before + days + 1)
        if index.size and (index.min() < 0 or index.max() >= self._working_days.size):
            raise CalendarRangeError(f"result falls outside {FIRST_YEAR}-{LAST_YEAR}")
        result = self._working_days[index]
        return np.where(days == 0, starts, result)

    def next_working_day_many(self, days: np.ndarray) -> np.ndarray:
        days = np.asarray(days, dtype="datetime64[D]")
        return self._working_days[np.searchsorted(self._working_days, days, side="left")]
