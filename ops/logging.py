"""JSON-lines logs with request ids, and nothing personal in them.

One line per record: ``ts``, ``level``, ``logger``, ``msg``, ``request_id`` and a few known
fields (``method``, ``path``, ``status``, ``duration_ms``, ``user_id``, ...). What is left out
on purpose: query strings, request bodies, headers, IP addresses, user names, and the text of
exceptions (a database error quotes the row it refused, which may hold a citizen's ID number):
an exception is logged as its type and the file:line frames of its traceback.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("dutdiem_request_id", default="")

# Extra fields a record may carry into the JSON line; anything else on the record is dropped.
ALLOWED_FIELDS = (
    "method",
    "path",
    "route",
    "status",
    "status_code",
    "duration_ms",
    "user_id",
    "db",
    "command",
    "task",
    "count",
)


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request being served (or "")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


_QUERY = re.compile(r"\?[^\s\"']*")


class QueryStringFilter(logging.Filter):
    """Drops query strings from the lines Django's development server (``django.server``)
    and request logger (``django.request``) write, whatever the formatter: a search for a
    denouncer's name, or a tracking link's PIN, must not land in a log."""

    LOGGERS = ("django.server", "django.request")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name in self.LOGGERS:
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001 - a bad format string must not lose the line
                message = str(record.msg)
            record.msg = _QUERY.sub("", message)
            record.args = ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": _message(record),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        for name in ALLOWED_FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str | int | float | bool):
                entry[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            entry["exc_type"] = f"{exc_type.__module__}.{exc_type.__qualname__}"
            entry["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(tb)
            ][-20:]
        return json.dumps(entry, ensure_ascii=False, default=str)


def _message(record: logging.LogRecord) -> str:
    if record.name.startswith("django.db.backends"):
        # SQL with its parameters: parameters are citizens' data.
        return "sql"
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string must not lose the line
        message = str(record.msg)
    # Django's request logger passes the path only; never let a query string through.
    return message.split("?", 1)[0] if record.name.startswith("django.") else message
