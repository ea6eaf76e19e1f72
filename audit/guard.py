"""The database's own refusal to change the audit log.

SQLite: triggers refuse UPDATE and DELETE of entries, DELETE of the head record and any
update that moves the head backwards. PostgreSQL: the same as row triggers, and statement
triggers refuse TRUNCATE of both tables.

Only the test runner may empty the log (its flush between tests deletes or truncates every
table): when ``settings.AUDIT_ERASE_ALLOWED`` is true (tests only; refused in production) each
new connection is marked so, and the triggers let an erase through on that connection. On
SQLite the mark is a function the triggers call, ``dutdiem_audit_erase_allowed()``, that
this module defines on every connection Django opens; a connection that lacks it (the
``sqlite3`` shell) fails the trigger and so deletes nothing. On PostgreSQL it is the session
setting ``dutdiem.audit_erase``.

Triggers do not stop the database's owner, who can drop them: what stops a tamperer who can
is the key and the anchors (``audit.services``, ``audit.anchors``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

SQLITE_FUNCTION = "dutdiem_audit_erase_allowed"
PG_SETTING = "dutdiem.audit_erase"
ATTRIBUTE = "dutdiem_audit_erase_allowed"


def _apply(connection: Any, allowed: bool) -> None:
    setattr(connection, ATTRIBUTE, allowed)
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(%s, %s, false)", [PG_SETTING, "on" if allowed else "off"]
            )


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    allowed = bool(getattr(settings, "AUDIT_ERASE_ALLOWED", False)) and not getattr(
        settings, "PRODUCTION", False
    )
    if connection.vendor == "sqlite":

        def erase_allowed() -> int:
            return 1 if getattr(connection, ATTRIBUTE, False) else 0

        connection.connection.create_function(SQLITE_FUNCTION, 0, erase_allowed)
    _apply(connection, allowed)


@contextmanager
def erase_refused(connection: Any) -> Iterator[None]:
    """Tests: the database refuses erasing the log on ``connection`` for the block."""
    connection.ensure_connection()
    before = bool(getattr(connection, ATTRIBUTE, False))
    _apply(connection, False)
    try:
        yield
    finally:
        _apply(connection, before)
