"""The base of every API schema: the edge's text rules (``common.edge``) on every input field.

On input (validation with a request in the context and no response status), every string
field is checked: no control characters, a ceiling on its length (the field's own
``max_length`` when it sets one, else ``TEXT_MAX`` for the long texts named in
``LONG_TEXT_FIELDS`` and ``LINE_MAX`` with no line break for all others); every integer
must fit a 64-bit column. Responses are not checked: they carry what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ninja
from django.http import HttpRequest
from pydantic import ValidationInfo, field_validator

from common.edge import LINE_MAX, TEXT_MAX, int_problem, text_problem

# Fields holding free text of several lines (tab and line breaks allowed).
LONG_TEXT_FIELDS = frozenset(
    {
        "content",
        "text",
        "summary",
        "note",
        "reason",
        "reasons",
        "minutes",
        "question",
        "opinion",
        "legal_basis",
        "scope",
        "targets",
        "outcome",
        "address",
        "subject",
    }
)


# Ceilings by field name where the database column is narrower than ``LINE_MAX`` (the
# smallest column of that name across the apps), so that PostgreSQL never sees a longer value.
NAMED_LIMITS = {
    "code": 40,
    "username": 150,
    "full_name": 150,
    "name": 200,
    "title": 200,
    "number": 60,
    "decision_no": 60,
    "phone": 30,
    "email": 254,
    "id_number": 30,
}


def _is_input(info: ValidationInfo) -> bool:
    context = info.context
    return isinstance(context, dict) and "request" in context and "response_status" not in context


def _own_max_length(cls: Any, name: str) -> int | None:
    field = cls.model_fields.get(name)
    for item in getattr(field, "metadata", ()) or ():
        limit = getattr(item, "max_length", None)
        if isinstance(limit, int):
            return limit
    return None


class Schema(ninja.Schema):
    @field_validator("*", mode="after")
    @classmethod
    def _edge(cls, value: Any, info: ValidationInfo) -> Any:
        if not _is_input(info) or value is None:
            return value
        name = info.field_name or ""
        long = name in LONG_TEXT_FIELDS
        limit = (
            _own_max_length(cls, name) or NAMED_LIMITS.get(name) or (TEXT_MAX if long else LINE_MAX)
        )
        items = value if isinstance(value, list | tuple | set) else [value]
        for item in items:
            if isinstance(item, bool):
                continue
            if isinstance(item, str):
                problem = text_problem(item, single_line=not long, max_length=limit)
            elif isinstance(item, int):
                problem = int_problem(item)
            else:
                continue
            if problem:
                raise ValueError(problem)
        return value


# The input of a step on a matter: ``version`` is the matter's version the caller read (a
# step taken on an older one is refused with 409).
class VersionedIn(Schema):
    version: int | None = None


def take_step(
    request: HttpRequest,
    code: str,
    *,
    fetch: Callable[[Any, str], Any],
    name: str,
    service: Callable[..., Any],
    payload: ninja.Schema,
    show: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """The body of a step endpoint: the record ``code`` the caller may see (``fetch``) goes
    with the input to ``service`` as ``name``; the answer is the record as it now stands."""
    record = fetch(request.user, code)
    service(actor=request.user, **{name: record}, **payload.dict())
    return show(record)
