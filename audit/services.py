"""Writing to and verifying the audit chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(
    seq: int, at: datetime, actor: str, action: str, matter: str, unit: str, data: dict[str, Any]
) -> str:
    body = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "matter": matter,
        "unit": unit,
        "data": data,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def chain_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def audit_record(
    *,
    actor: Any,
    action: str,
    matter: str = "",
    unit: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the change it records, so the
    event and the change commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic()")
    actor_name = getattr(actor, "username", None) or (actor if isinstance(actor, str) else "")
    payload = json.loads(json.dumps(data or {}, default=str))
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    seq = head.last_seq + 1
    at = timezone.now()
    digest = chain_hash(
        head.last_hash, _canonical(seq, at, actor_name, action, matter, unit, payload)
    )
    event = AuditEvent.objects.create(
        seq=seq,
        at=at,
        actor=actor_name,
        action=action,
        matter=matter,
        unit=unit,
        data=payload,
        prev_hash=head.last_hash,
        hash=digest,
    )
    head.last_seq = seq
    head.last_hash = digest
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    first_bad: int | None


def audit_verify(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain in order. ``first_bad`` is the seq of the first entry whose hash, link
    or position is wrong (a deleted entry shows as a gap at the next one), else None."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq", "at", "actor", "action", "matter", "unit", "data", "prev_hash", "hash"
    )
    for seq, at, actor, action, matter, unit, data, prev_hash, digest in rows.iterator(
        chunk_size=batch_size
    ):
        count += 1
        canonical = _canonical(seq, at, actor, action, matter, unit, data)
        if seq != expected_seq or prev_hash != prev or chain_hash(prev, canonical) != digest:
            return VerifyResult(ok=False, events=count, first_bad=seq)
        prev = digest
        expected_seq = seq + 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and head.last_seq != count:
        # Entries were removed from the end: the tip no longer matches.
        return VerifyResult(ok=False, events=count, first_bad=count + 1)
    return VerifyResult(ok=True, events=count, first_bad=None)
