"""What a tamperer who owns the main database, knows the chain's algorithm but lacks the key
can do: lift the triggers, change rows, recompute every hash after the change, and rewind the
head record to match."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from audit.models import AuditEvent, AuditHead
from audit.services import GENESIS, _canonical, chain_hash

SQLITE_TRIGGERS = (
    "audit_event_no_update",
    "audit_event_no_delete",
    "audit_head_no_delete",
    "audit_head_forward_only",
)


@contextmanager
def triggers_lifted() -> Iterator[None]:
    """Every audit trigger lifted for the block (dropped on SQLite, disabled on PostgreSQL;
    the test's transaction puts them back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("audit_auditevent", "audit_audithead"):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("audit_auditevent", "audit_audithead"):
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def tamper(sql: str, params: Any = ()) -> None:
    """Run ``sql`` with every audit trigger lifted."""
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _entries() -> list[tuple[Any, ...]]:
    return list(
        AuditEvent.objects.order_by("seq").values_list(
            "seq", "at", "actor", "action", "matter", "unit", "data"
        )
    )


def rechain(start: int = 1, keyed_from: int | None = None) -> None:
    """Renumber the entries from ``start`` on in order (closing any gap left by a deletion)
    and recompute their links and hashes with plain SHA-256, all one can do without the key,
    linking the first of them to the entry before ``start`` as it stands; then set the head
    record to the new tip (and ``keyed_from`` when given)."""
    kept = AuditEvent.objects.filter(seq=start - 1).values_list("hash", flat=True).first()
    prev = kept or GENESIS
    entries = [e for e in _entries() if e[0] >= start]
    tamper("DELETE FROM audit_auditevent WHERE seq >= %s", [start])
    rewritten = []
    for seq, (_old, at, actor, action, matter, unit, data) in enumerate(entries, start=start):
        digest = chain_hash(prev, _canonical(seq, at, actor, action, matter, unit, data))
        rewritten.append(
            AuditEvent(
                seq=seq,
                at=at,
                actor=actor,
                action=action,
                matter=matter,
                unit=unit,
                data=data,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    AuditEvent.objects.bulk_create(rewritten)
    sql = "UPDATE audit_audithead SET last_seq = %s, last_hash = %s"
    params: list[Any] = [start - 1 + len(rewritten), prev]
    if keyed_from is not None:
        sql += ", keyed_from = %s"
        params.append(keyed_from)
    tamper(sql, params)


def consistent_without_key() -> bool:
    """Whether the log is as whole as its writer could make it without the key: entries
    numbered 1, 2, 3, ... with no gap, each linked to the one before, each hash either the one
    the system wrote or a plain SHA-256 of its link and content, and the head record naming
    the last one. Such a log passed ``audit verify`` before the chain was keyed and anchored
    (then every hash was plain SHA-256)."""
    prev, count = GENESIS, 0
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq", "at", "actor", "action", "matter", "unit", "data", "prev_hash", "hash"
    )
    for seq, at, actor, action, matter, unit, data, prev_hash, digest in rows:
        count += 1
        if seq != count or prev_hash != prev:
            return False
        plain = chain_hash(prev, _canonical(seq, at, actor, action, matter, unit, data))
        if digest != plain and digest not in ORIGINAL_HASHES:
            return False
        prev = digest
    head = AuditHead.objects.filter(id=1).values_list("last_seq", "last_hash").first()
    return head is None or head == (count, prev) or (count == 0 and head[0] == 0)


# The hashes the system itself wrote, remembered by ``remember()`` before tampering.
ORIGINAL_HASHES: set[str] = set()


def remember() -> None:
    ORIGINAL_HASHES.clear()
    ORIGINAL_HASHES.update(AuditEvent.objects.values_list("hash", flat=True))
