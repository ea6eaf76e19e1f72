"""Reporting periods: a month, a quarter or a year, and their names in documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from common.errors import Invalid

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | year
    year: int
    index: int  # month 1-12, quarter 1-4, 1 for a year

    @property
    def start(self) -> date:
        if self.kind == "month":
            return date(self.year, self.index, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.index - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        if self.kind == "month":
            return Period("month", self.year + self.index // 12, self.index % 12 + 1)
        if self.kind == "quarter":
            return Period("quarter", self.year + self.index // 4, self.index % 4 + 1)
        return Period("year", self.year + 1, 1)

    def slug(self) -> str:
        """As written in a file name, in Vietnamese: ``thang-3-2026``, ``quy-4-2026``,
        ``nam-2026``."""
        if self.kind == "month":
            return f"thang-{self.index}-{self.year}"
        if self.kind == "quarter":
            return f"quy-{self.index}-{self.year}"
        return f"nam-{self.year}"

    def is_closed(self, day: date) -> bool:
        """Whether the period has ended before ``day``: only then are its figures final and
        may a report of it be issued under a number."""
        return self.end < day

    def label(self) -> str:
        """As written in a report's subject: ``tháng 3 năm 2026``, ``quý I năm 2026``."""
        if self.kind == "month":
            return f"tháng {self.index} năm {self.year}"
        if self.kind == "quarter":
            return f"quý {ROMAN[self.index]} năm {self.year}"
        return f"năm {self.year}"


def period_make(kind: str, year: int | None, index: int | None) -> Period:
    """Validate and build a period, naming every bad field at once."""
    errors: dict[str, str] = {}
    if kind not in ("month", "quarter", "year"):
        errors["period"] = _("must be month, quarter or year")
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = _("must be a year between 2000 and 2100")
    limit = {"month": 12, "quarter": 4, "year": 1}.get(kind, 1)
    if kind == "year":
        index = 1
    elif index is None or not 1 <= index <= limit:
        what = {"month": _("month"), "quarter": _("quarter")}.get(kind, kind)
        errors["index"] = _("must be between 1 and %(limit)s for a %(kind)s") % {
            "limit": limit,
            "kind": what,
        }
    if errors:
        raise Invalid(errors)
    assert year is not None and index is not None
    return Period(kind, year, index)


def period_containing(kind: str, day: date) -> Period:
    if kind == "month":
        return Period("month", day.year, day.month)
    if kind == "quarter":
        return Period("quarter", day.year, (day.month - 1) // 3 + 1)
    return Period("year", day.year, 1)


def period_last_complete(kind: str, day: date) -> Period:
    """The latest period of ``kind`` that ended before ``day``."""
    current = period_containing(kind, day)
    previous = period_containing(kind, current.start - timedelta(days=1))
    return previous
