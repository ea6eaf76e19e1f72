"""Paging of list responses: ``page`` from 1, ``page_size`` up to 500, ``count`` over all."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.utils.translation import gettext as _

from common.errors import Invalid

MAX_PAGE_SIZE = 500


def paginate(qs: QuerySet[Any], page: int, page_size: int) -> tuple[list[Any], int]:
    errors = {}
    if page < 1:
        errors["page"] = _("must be 1 or more")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = _("must be between 1 and %(limit)s") % {"limit": MAX_PAGE_SIZE}
    if errors:
        raise Invalid(errors)
    count = qs.count()
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
