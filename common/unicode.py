"""Unicode NFC on input: every string that enters through a form or the JSON API is stored
in NFC, so "Nguyễn" typed with combining marks and precomposed compares equal."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from ninja.parser import Parser


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


class NfcFormMiddleware:
    """Replaces request.POST with an NFC copy before any view reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
