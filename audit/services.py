"""Writing to and verifying the audit chain.

Each entry's ``hash`` covers the previous entry's hash and the entry's canonical JSON. From
entry ``keyed_from`` on it is an HMAC-SHA256 under the audit key (``audit.keys``), so that
no one without the key can rewrite the log and recompute its hashes; entries before it (an
installation's log from before the key existed) keep plain SHA-256 and are verified as
before. The first keyed entry links to the last unkeyed one, so the older part cannot be
rewritten either without breaking that link.

After every commit that appended entries, the chain's tip is anchored outside the main
database (``audit.anchors``): in the vault database and in a file in the data directory.
``audit_verify`` compares the chain with those anchors, so a log whose tail was cut, or
which was emptied, with its head record rewound to match, no longer verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit import anchors
from audit.keys import AuditKey, load_key
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
    """The unkeyed link (entries before ``keyed_from``)."""
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


_keyed: dict[bytes, hmac.HMAC] = {}


def keyed_hash(secret: bytes, prev_hash: str, canonical: str) -> str:
    """The keyed link (entries from ``keyed_from`` on): HMAC-SHA256 under ``secret``."""
    base = _keyed.get(secret)
    if base is None:  # the key's padded inner and outer states, computed once
        base = _keyed[secret] = hmac.new(secret, digestmod=hashlib.sha256)
    mac = base.copy()
    mac.update((prev_hash + canonical).encode("utf-8"))
    return mac.hexdigest()


@dataclass(frozen=True)
class Entry:
    action: str
    matter: str = ""
    unit: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def _actor_name(actor: Any) -> str:
    return getattr(actor, "username", None) or (actor if isinstance(actor, str) else "")


def audit_append(
    *,
    actor: Any,
    entries: Sequence[Entry],
    insert: Callable[[type[AuditEvent], list[dict[str, Any]]], object] | None = None,
) -> list[dict[str, Any]]:
    """Append ``entries`` to the chain in order, all by ``actor``, inside the caller's
    transaction; returns the rows written (dicts by field name). ``insert`` writes many rows
    at once (bulk imports); without it each row is created on its own."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside transaction.atomic()")
    key = load_key()
    actor_name = _actor_name(actor)
    head, _created = AuditHead.objects.select_for_update().get_or_create(id=1)
    prev, seq = head.last_hash, head.last_seq
    rows: list[dict[str, Any]] = []
    for entry in entries:
        seq += 1
        at = timezone.now()
        payload = json.loads(json.dumps(entry.data or {}, default=str))
        canonical = _canonical(seq, at, actor_name, entry.action, entry.matter, entry.unit, payload)
        digest = (
            keyed_hash(key.secret, prev, canonical)
            if seq >= head.keyed_from
            else chain_hash(prev, canonical)
        )
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": actor_name,
                "action": entry.action,
                "matter": entry.matter,
                "unit": entry.unit,
                "data": payload,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    if not rows:
        return rows
    if insert is not None:
        insert(AuditEvent, rows)
    else:
        for row in rows:
            AuditEvent.objects.create(**row)
    head.last_seq, head.last_hash = seq, prev
    update = ["last_seq", "last_hash"]
    if head.key_id != key.key_id:
        head.key_id = key.key_id
        update.append("key_id")
    head.save(update_fields=update)
    anchors.anchor_on_commit()
    return rows


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
    (row,) = audit_append(
        actor=actor, entries=[Entry(action=action, matter=matter, unit=unit, data=data or {})]
    )
    return AuditEvent(**row)


# --- Verifying ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnchorCheck:
    """What one anchor said: ``status`` is ok (it matches the chain), ahead (it holds entries
    the chain has lost), differs (the chain holds another entry at its position), forged (its
    MAC is wrong), invalid (unreadable), missing (none written yet) or unreachable."""

    source: str
    status: str
    seq: int | None = None


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    first_bad: int | None
    # Why it failed: edited (a hash or link is wrong), gap (an entry is missing, or out of
    # order), tail-missing (the chain ends before its head record or an anchor), beyond-head
    # (entries past the head record), boundary-moved (the keyed part's start differs from the
    # anchored one), anchor-differs, anchor-forged. Empty when ok.
    reason: str = ""
    keyed_from: int | None = None
    anchors: tuple[AnchorCheck, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "first_bad": self.first_bad,
            "reason": self.reason,
            "keyed_from": self.keyed_from,
            "anchors": [
                {"source": a.source, "status": a.status, "seq": a.seq} for a in self.anchors
            ],
        }


def audit_verify(
    batch_size: int = 5000, *, against: Iterable[anchors.Reading] | None = None
) -> VerifyResult:
    """Walk the chain in order and compare it with its anchors.

    ``first_bad`` is the seq of the first entry whose hash, link or position is wrong (a
    deleted entry shows as a gap at the next one; a cut tail or an emptied log as the first
    entry that is missing), else None. ``against`` replaces the configured anchors (a backup
    is checked against the tip recorded when it was taken)."""
    key = load_key()
    # Anchors first: one is written only after its entries committed, so every entry it
    # covers is already there when the chain is read below.
    readings = list(against) if against is not None else anchors.read_all(key)
    trusted = [r for r in readings if r.status == "ok" and r.anchor is not None]
    head_row = AuditHead.objects.filter(id=1).values_list("last_seq", "last_hash", "keyed_from")
    head = head_row.first()
    head_seq, head_hash, head_keyed_from = head if head else (0, GENESIS, 1)
    bounds = sorted({r.anchor.keyed_from for r in trusted if r.anchor is not None})
    keyed_from = bounds[0] if bounds else head_keyed_from
    checks = {
        id(r): AnchorCheck(r.source, r.status, r.anchor.seq if r.anchor else None) for r in readings
    }

    def done(ok: bool, events: int, first_bad: int | None, reason: str = "") -> VerifyResult:
        return VerifyResult(
            ok, events, first_bad, reason, keyed_from, tuple(checks[id(r)] for r in readings)
        )

    if len(bounds) > 1 or (bounds and head_keyed_from != keyed_from):
        return done(False, 0, min([head_keyed_from, *bounds]), "boundary-moved")

    wanted = {r.anchor.seq: r for r in trusted if r.anchor is not None}
    prev = GENESIS
    expected_seq = 1
    count = 0
    rows = (
        AuditEvent.objects.filter(seq__lte=head_seq)
        .order_by("seq")
        .values_list("seq", "at", "actor", "action", "matter", "unit", "data", "prev_hash", "hash")
    )
    for seq, at, actor, action, matter, unit, data, prev_hash, digest in rows.iterator(
        chunk_size=batch_size
    ):
        count += 1
        canonical = _canonical(seq, at, actor, action, matter, unit, data)
        if seq != expected_seq:
            return done(False, count, seq, "gap")
        computed = (
            keyed_hash(key.secret, prev, canonical)
            if seq >= keyed_from
            else chain_hash(prev, canonical)
        )
        if prev_hash != prev or not hmac.compare_digest(computed, digest):
            return done(False, count, seq, "edited")
        reading = wanted.get(seq)
        if reading is not None and reading.anchor is not None and reading.anchor.hash != digest:
            checks[id(reading)] = AnchorCheck(reading.source, "differs", seq)
            return done(False, count, seq, "anchor-differs")
        prev = digest
        expected_seq = seq + 1
    if count != head_seq or prev != head_hash:
        # The head record says the chain goes further than the entries that are left.
        return done(False, count, count + 1, "tail-missing")
    stray = AuditEvent.objects.filter(seq__gt=head_seq).aggregate(last=Max("seq"))["last"]
    if stray is not None:
        now = AuditHead.objects.filter(id=1).values_list("last_seq", flat=True).first() or 0
        if now < stray:  # not a commit that landed while we read: rows past the head
            return done(False, count, head_seq + 1, "beyond-head")
    for reading in trusted:
        assert reading.anchor is not None
        if reading.anchor.seq > count:
            checks[id(reading)] = AnchorCheck(reading.source, "ahead", reading.anchor.seq)
    if any(c.status == "ahead" for c in checks.values()):
        return done(False, count, count + 1, "tail-missing")
    if any(r.status == "forged" for r in readings):
        return done(False, count, None, "anchor-forged")
    return done(True, count, None)


def audit_anchor(*, witness: bool = True) -> anchors.Anchor:
    """Anchor the chain's committed tip now (the vault, the file and, when configured and
    ``witness``, the witness endpoint). The periodic job and ``dutdiem audit anchor`` call
    this to catch up after a store was unreachable."""
    key = load_key()
    anchor = anchors.current_tip(key)
    anchors.write_all(anchor, witness=witness)
    return anchor


def audit_reanchor(key: AuditKey | None = None) -> anchors.Anchor:
    """Overwrite every anchor with the chain's tip, even one further on: only after the
    database was restored from a backup whose chain verified."""
    anchor = anchors.current_tip(key or load_key())
    anchors.write_all(anchor, force=True, witness=True)
    return anchor
