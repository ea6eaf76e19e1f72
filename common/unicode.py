"""Unicode NFC on input: every string that enters through a form or the JSON API is stored
in NFC, so "Nguyễn" typed with combining marks and precomposed compares equal."""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from ninja.parser import Parser

from common.edge import FORM_VALUE_MAX, QUERY_VALUE_MAX, text_problem, tree_problems

log = logging.getLogger(__name__)


def to_nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [to_nfc(v) for v in value]
    if isinstance(value, dict):
        return {to_nfc(k): to_nfc(v) for k, v in value.items()}
    return value


class NfcJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        if not request.body:
            return {}
        return to_nfc(json.loads(request.body))


def _values_problems(data: QueryDict, max_length: int) -> dict[str, str]:
    problems: dict[str, str] = {}
    for key, values in data.lists():
        problem = text_problem(key, max_length=200)
        if problem:
            problems["__all__"] = problem
            continue
        for value in values:
            problem = text_problem(value, max_length=max_length)
            if problem:
                problems[key] = problem
                break
    return problems


def _json_problems(request: HttpRequest) -> dict[str, str]:
    # The API reads a body as JSON whatever its declared type, so every API body is checked.
    if not request.body or not (
        request.content_type == "application/json" or request.path.startswith("/api/")
    ):
        return {}
    try:
        data = json.loads(request.body)
        return tree_problems(data)
    except ValueError:
        return {}  # the API answers 400 for a body that is not JSON
    except RecursionError:
        return {"__all__": _("the body is nested too deeply")}


def _refusal(request: HttpRequest, problems: dict[str, str]) -> HttpResponse:
    """400 naming each field at fault; nothing reached a view, so nothing changed."""
    detail = "; ".join(
        msg if field == "__all__" else f"{field}: {msg}" for field, msg in problems.items()
    )
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": detail, "errors": problems},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    lines = [
        msg
        if field == "__all__"
        else _("field %(field)s: %(problem)s") % {"field": field, "problem": msg}
        for field, msg in problems.items()
    ]
    if not hasattr(request, "user"):  # refused before the authentication middleware ran
        from django.contrib.auth import get_user
        from django.utils.functional import SimpleLazyObject

        request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
    response = TemplateResponse(request, "400.html", {"problems": lines}, status=400)
    return response.render()


class NfcFormMiddleware:
    """The edge for text: refuses a query string, form or JSON body carrying control
    characters, lone surrogates or an over-long value (``common.edge``), with a 400 that
    names each field; then replaces request.POST with an NFC copy before any view reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problems = _values_problems(request.GET, QUERY_VALUE_MAX)
        path_problem = text_problem(request.path, max_length=QUERY_VALUE_MAX)
        if path_problem:
            problems["path"] = path_problem
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            if request.content_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ):
                problems.update(_values_problems(request.POST, FORM_VALUE_MAX))
            else:
                problems.update(_json_problems(request))
        if problems:
            return _refusal(request, problems)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            normalized = QueryDict(mutable=True)
            for key, values in request.POST.lists():
                normalized.setlist(to_nfc(key), [to_nfc(v) for v in values])
            normalized._mutable = False
            request.POST = normalized  # type: ignore[assignment]
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """The second line: input that got past the checks and that the database or the
        working-day calendar refuses is the sender's error (400), not the server's."""
        from django.db import DataError

        from calendars.workdays import FIRST_YEAR, LAST_YEAR, CalendarRangeError

        if isinstance(exc, CalendarRangeError):
            problem = _("a date is outside the working-day calendar (%(first)s-%(last)s)") % {
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
        elif isinstance(exc, OverflowError | DataError):
            problem = _("a value is too long or too large to be stored")
        else:
            return None
        log.warning("input refused late: %s: %s", exc.__class__.__name__, exc)
        return _refusal(request, {"__all__": problem})
