"""Paging of list responses: ``page`` from 1, ``page_size`` up to 500, ``count`` over all."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from common.errors import Invalid

MAX_PAGE_SIZE = 500


def paginate(qs: QuerySet[Any], page: int, page_size: int) -> tuple[list[Any], int]:
    errors = {}
    if page < 1:
        errors["page"] = "must be 1 or more"
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = f"must be between 1 and {MAX_PAGE_SIZE}"
    if errors:
        raise Invalid(errors)
    count = qs.count()
    start = (page - 1) * page_size
    return list(qs[start : start + page_size]), count
