"""What text may enter at the edge (forms, query strings, the JSON API), checked in one place.

Refused everywhere: control characters (C0 but tab, line feed and carriage return; DEL; C1),
lone surrogates, and the non-characters U+FFFE/U+FFFF. None of them is typed by a person;
each breaks something downstream (PostgreSQL refuses NUL, an .xlsx cannot hold C0 controls,
UTF-8 cannot encode a surrogate). Single-line fields refuse tab and line breaks too.

Lengths: every text value has a ceiling (``LINE_MAX`` for a single-line field, ``TEXT_MAX``
for a long text, ``FORM_VALUE_MAX`` for a form value, ``QUERY_VALUE_MAX`` for a query
parameter); a field may set a lower one. Integers must fit the database's 64-bit columns.

``xlsx_safe`` is the second line: text written to a workbook drops what a cell cannot hold,
so that a value stored before these checks cannot break an export.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

# C0 controls but \t \n \r; DEL and C1; surrogates; U+FFFE, U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")
# What an .xlsx cell cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE plus surrogates).
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

LINE_MAX = 1000
TEXT_MAX = 50_000
FORM_VALUE_MAX = 100_000
QUERY_VALUE_MAX = 1000
INT_MAX = 2**63 - 1
INT_MIN = -(2**63)


def text_problem(value: str, *, single_line: bool = False, max_length: int | None = None) -> str:
    """Why ``value`` may not enter, in words, or "" when it may."""
    found = _ILLEGAL.search(value)
    if found:
        char = found.group()
        if "\ud800" <= char <= "\udfff":
            return _("contains an invalid character (a lone UTF-16 surrogate)")
        return _("contains a control character (U+%(code)04X), which is not allowed") % {
            "code": ord(char)
        }
    if single_line and _LINE_BREAKS.search(value):
        return _("must be on one line (no tab or line break)")
    if max_length is not None and len(value) > max_length:
        return _("is too long: at most %(n)s characters") % {"n": max_length}
    return ""


def int_problem(value: int) -> str:
    if not INT_MIN <= value <= INT_MAX:
        return _("is too large a number")
    return ""


def tree_problems(data: Any, path: str = "", max_length: int = TEXT_MAX) -> dict[str, str]:
    """Every string (and key) of a parsed JSON document that may not enter, by its path."""
    problems: dict[str, str] = {}

    def walk(value: Any, where: str) -> None:
        if len(problems) >= 20:
            return
        if isinstance(value, str):
            problem = text_problem(value, max_length=max_length)
            if problem:
                problems[where or "__all__"] = problem
        elif isinstance(value, bool):
            return
        elif isinstance(value, int):
            problem = int_problem(value)
            if problem:
                problems[where or "__all__"] = problem
        elif isinstance(value, dict):
            for key, item in value.items():
                key_text = str(key)
                problem = text_problem(key_text, max_length=LINE_MAX)
                if problem:
                    problems[where or "__all__"] = problem
                    continue
                walk(item, f"{where}.{key_text}" if where else key_text)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}.{index}" if where else str(index))

    walk(data, path)
    return problems


def xlsx_safe(value: Any) -> Any:
    """``value`` with what an .xlsx cell cannot hold removed (other values unchanged)."""
    if isinstance(value, str) and _XLSX_ILLEGAL.search(value):
        return _XLSX_ILLEGAL.sub("", value)
    return value
