"""Paging of list responses: ``page`` from 1, ``page_size`` up to 500, ``count`` over all."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.utils.translation import gettext as _

from common.errors import Invalid

MAX_PAGE_SIZE = 500


def paginate(
    qs: QuerySet[Any], page: int, page_size: int, *, count_qs: QuerySet[Any] | None = None
) -> tuple[list[Any], int]:
    """The page asked for and the count of all rows. ``count_qs`` (the same rows, written
    for counting) is counted instead of ``qs`` when given: a list is fastest in one index
    order and its count from another (a province's overdue matters at 10 M: the page from
    the province's code index in 2-5 ms, the count from the owner cover index in 12 ms
    rather than 445 ms; docs/benchmarks-ops.md)."""
    errors = {}
    if page < 1:
        errors["page"] = _("must be 1 or more")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = _("must be between 1 and %(limit)s") % {"limit": MAX_PAGE_SIZE}
    if errors:
        raise Invalid(errors)
    count = (qs if count_qs is None else count_qs).count()
    start = (page - 1) * page_size
    if count <= start:
        return [], count
    if issubclass(qs._iterable_class, ModelIterable) and count > page_size:
        # The page's keys first, a narrow sort an index can often answer alone, then only
        # those rows with their joins: sorting the wide joined rows of a large scope to keep
        # fifty costs many times more (docs/benchmarks-ops.md).
        ids = list(qs.values_list("pk", flat=True)[start : start + page_size])
        rows = {row.pk: row for row in qs.filter(pk__in=ids).order_by()}
        return [rows[pk] for pk in ids if pk in rows], count
    return list(qs[start : start + page_size]), count


class CountedPaginator(Paginator):
    """A page's paginator whose count is given (a number already counted, or the same rows
    written for counting, as ``paginate``'s ``count_qs``) rather than counted again from
    the ordered, joined list it pages."""

    def __init__(self, object_list: Any, per_page: int, *, count: QuerySet[Any] | int) -> None:
        super().__init__(object_list, per_page)
        self.given_count = count

    @cached_property
    def count(self) -> int:
        given = self.given_count
        return given if isinstance(given, int) else given.count()
