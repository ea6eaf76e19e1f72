"""Reporting periods of a reporting duty: ISO weeks (``2026-W09``), calendar months
(``2026-03``) and quarters (``2026-Q1``). Pure functions, no database."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKLY, MONTHLY, QUARTERLY = "weekly", "monthly", "quarterly"

_PATTERNS = {
    WEEKLY: re.compile(r"^(\d{4})-W(\d{2})$"),
    MONTHLY: re.compile(r"^(\d{4})-(\d{2})$"),
    QUARTERLY: re.compile(r"^(\d{4})-Q([1-4])$"),
}


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    label: str


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def period_of(day: date, reporting: str) -> Period:
    """The period of ``reporting`` that contains ``day``."""
    if reporting == WEEKLY:
        start = day - timedelta(days=day.weekday())
        year, week, _ = day.isocalendar()
        return Period(start, start + timedelta(days=6), f"{year}-W{week:02d}")
    if reporting == MONTHLY:
        return Period(date(day.year, day.month, 1), _month_end(day.year, day.month), f"{day:%Y-%m}")
    if reporting == QUARTERLY:
        q = (day.month - 1) // 3
        start = date(day.year, 3 * q + 1, 1)
        return Period(start, _month_end(day.year, 3 * q + 3), f"{day.year}-Q{q + 1}")
    raise ValueError(f"no periods for reporting duty {reporting!r}")


def parse_period(label: str, reporting: str) -> Period | None:
    """The period named ``label`` in the format of ``reporting``, or None if malformed."""
    pattern = _PATTERNS.get(reporting)
    match = pattern.match(label) if pattern else None
    if match is None:
        return None
    year, number = int(match.group(1)), int(match.group(2))
    try:
        if reporting == WEEKLY:
            return period_of(date.fromisocalendar(year, number, 1), WEEKLY)
        if reporting == MONTHLY:
            return period_of(date(year, number, 1), MONTHLY)
        return period_of(date(year, 3 * number - 2, 1), QUARTERLY)
    except ValueError:
        return None


def previous(period: Period, reporting: str) -> Period:
    return period_of(period.start - timedelta(days=1), reporting)


@functools.lru_cache(maxsize=4096)
def periods_ended(reporting: str, first: date, last: date) -> tuple[Period, ...]:
    """Periods that end on or after ``first`` and on or before ``last``, in order (cached:
    many tasks of a plan share their dates)."""
    result: list[Period] = []
    if last < first:
        return ()
    current = period_of(first, reporting)
    while current.end <= last:
        result.append(current)
        current = period_of(current.end + timedelta(days=1), reporting)
    return tuple(result)


def example_label(reporting: str) -> str:
    return {WEEKLY: "2026-W09", MONTHLY: "2026-03", QUARTERLY: "2026-Q1"}.get(reporting, "")
