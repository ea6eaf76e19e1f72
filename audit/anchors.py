"""Anchors: copies of the audit chain's tip kept outside the main database, so that a log
whose last entries were deleted (or which was emptied), with its head record rewound to
match, no longer verifies.

An anchor holds the tip's sequence number and hash, the first keyed entry (``keyed_from``)
and the key's fingerprint, and a MAC over them under the audit key: a copy that was edited,
or made up by someone without the key, is seen as forged. Anchors are kept in:

- the vault database (``vault.models.AuditAnchor``, its own alias and possibly host);
- a file in the data directory (``settings.AUDIT_ANCHOR_PATH``);
- optionally a witness: the tip is POSTed as JSON to ``settings.AUDIT_WITNESS_URL``, a
  service run by someone else (another agency's log server, a notary) that keeps what it
  receives. The witness is written to, never read: its record is the evidence of last
  resort, compared by hand.

The vault and the file are written after every commit that appended entries; the witness
(and a catch-up of the other two) by the periodic job ``audit.tasks.anchor_chain`` and by
``dutdiem audit anchor``. An anchor only moves forward; a store that cannot be written is
logged and skipped (the vault being down must not stop the rest of the system), so an
anchor may lag behind the tip, never run ahead of it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.keys import AuditKey, load_key

log = logging.getLogger(__name__)

GENESIS = "0" * 64
VAULT_DB = "vault"
FILE_BYTES = 512


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    keyed_from: int
    key_id: str
    at: str
    mac: str = ""

    def message(self) -> bytes:
        return f"dutdiem/audit/anchor/v1|{self.seq}|{self.hash}|{self.keyed_from}|{self.key_id}".encode()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, body: dict[str, Any]) -> Anchor:
        return cls(
            seq=int(body["seq"]),
            hash=str(body["hash"]),
            keyed_from=int(body["keyed_from"]),
            key_id=str(body["key_id"]),
            at=str(body.get("at", "")),
            mac=str(body["mac"]),
        )


def make_anchor(key: AuditKey, seq: int, digest: str, keyed_from: int) -> Anchor:
    unsigned = Anchor(seq, digest, keyed_from, key.key_id, timezone.now().isoformat())
    return Anchor(**{**unsigned.as_dict(), "mac": key.mac(unsigned.message())})


def is_genuine(key: AuditKey, anchor: Anchor) -> bool:
    import hmac

    return hmac.compare_digest(key.mac(anchor.message()), anchor.mac)


@dataclass(frozen=True)
class Reading:
    """One anchor as read: ``status`` ok, missing, unreachable, invalid or forged."""

    source: str
    status: str
    anchor: Anchor | None = None


def _judge(key: AuditKey, source: str, anchor: Anchor) -> Reading:
    return Reading(source, "ok" if is_genuine(key, anchor) else "forged", anchor)


def current_tip(key: AuditKey) -> Anchor:
    """An anchor of the committed tip of the chain (seq 0 for an empty one)."""
    from audit.models import AuditHead

    head = AuditHead.objects.filter(id=1).values_list("last_seq", "last_hash", "keyed_from").first()
    seq, digest, keyed_from = head if head else (0, GENESIS, 1)
    return make_anchor(key, seq, digest, keyed_from)


# --- The vault database ------------------------------------------------------------------------


def read_vault(key: AuditKey) -> Reading:
    from vault.models import AuditAnchor

    try:
        row = AuditAnchor.objects.using(VAULT_DB).filter(id=1).first()
    except Exception as exc:  # the vault is down: say so, do not fail the check
        log.warning("audit anchor: the vault does not answer (%s)", exc.__class__.__name__)
        return Reading("vault", "unreachable")
    if row is None:
        return Reading("vault", "missing")
    anchor = Anchor(row.seq, row.hash, row.keyed_from, row.key_id, row.at.isoformat(), row.mac)
    return _judge(key, "vault", anchor)


def write_vault(anchor: Anchor, *, force: bool = False) -> bool:
    """Store ``anchor`` in the vault unless the one there is further on (or ``force``)."""
    from vault.models import AuditAnchor

    fields = {
        "seq": anchor.seq,
        "hash": anchor.hash,
        "keyed_from": anchor.keyed_from,
        "key_id": anchor.key_id,
        "mac": anchor.mac,
        "at": timezone.now(),
    }
    query = AuditAnchor.objects.using(VAULT_DB).filter(id=1)
    # One conditional statement: concurrent writers cannot move the anchor backwards.
    if query.filter(**({} if force else {"seq__lt": anchor.seq})).update(**fields):
        return True
    if query.exists():
        return False
    try:
        with transaction.atomic(using=VAULT_DB):
            AuditAnchor.objects.using(VAULT_DB).create(id=1, **fields)
    except IntegrityError:  # another process wrote the first anchor meanwhile
        return write_vault(anchor, force=force)
    return True


# --- The file in the data directory ------------------------------------------------------------


def _file_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_PATH)


def read_file(key: AuditKey) -> Reading:
    path = _file_path()
    try:
        with path.open("r", encoding="utf-8") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
            text = handle.read()
    except FileNotFoundError:
        return Reading("file", "missing")
    except OSError as exc:
        log.warning("audit anchor: cannot read %s (%s)", path, exc.strerror or exc)
        return Reading("file", "unreachable")
    try:
        anchor = Anchor.from_dict(json.loads(text))
    except (ValueError, KeyError, TypeError):
        return Reading("file", "invalid")
    return _judge(key, "file", anchor)


def write_file(anchor: Anchor, *, force: bool = False) -> bool:
    """Store ``anchor`` in the file unless the one there is further on (or ``force``). The
    file's lock orders the processes that write it and keeps readers from a half-written one."""
    path = _file_path()
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+", encoding="utf-8") as handle:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if not force:
            try:
                if int(json.loads(handle.read())["seq"]) >= anchor.seq:
                    return False
            except (ValueError, KeyError, TypeError):
                pass  # empty (new) or unreadable: write it
        # Overwritten in place at a fixed length: truncating or renaming over the file makes
        # some filesystems (ext4's auto_da_alloc) flush it to disk, 10-20 ms a commit.
        handle.seek(0)
        handle.write(json.dumps(anchor.as_dict()).ljust(FILE_BYTES - 1) + "\n")
        handle.flush()
    return True


# --- The witness -------------------------------------------------------------------------------


def post_witness(anchor: Anchor) -> bool:
    """POST the anchor to the configured witness; False (logged) when it did not take it."""
    url = getattr(settings, "AUDIT_WITNESS_URL", "")
    if not url:
        return False
    body = json.dumps({"system": "dutdiem", **anchor.as_dict()}).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    token = getattr(settings, "AUDIT_WITNESS_TOKEN", "")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310 - the URL is the operator's setting
            request, timeout=settings.AUDIT_WITNESS_TIMEOUT
        ) as response:
            accepted = 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.warning("audit anchor: the witness did not take the tip (%s)", exc)
        return False
    if not accepted:
        log.warning("audit anchor: the witness answered %s", response.status)
    return accepted


# --- All of them -------------------------------------------------------------------------------


def read_all(key: AuditKey) -> list[Reading]:
    return [read_vault(key), read_file(key)]


# After the vault failed to take an anchor, commits skip it for this long (per process), so
# that a vault host that is down (each try waiting for the connection timeout) does not slow
# every write; the periodic job always tries, and catches the vault up.
VAULT_RETRY_SECONDS = 60.0
_vault_down_until = 0.0


def write_all(
    anchor: Anchor, *, force: bool = False, witness: bool = False, after_commit: bool = False
) -> dict[str, bool]:
    """Write ``anchor`` to every store; returns which took it. Never raises for a store that
    is down (logged instead)."""
    global _vault_down_until
    written = {"vault": False, "file": False, "witness": False}
    if not (after_commit and time.monotonic() < _vault_down_until):
        try:
            written["vault"] = write_vault(anchor, force=force)
        except Exception as exc:
            _vault_down_until = time.monotonic() + VAULT_RETRY_SECONDS
            log.warning("audit anchor: cannot write to the vault (%s)", exc.__class__.__name__)
    try:
        written["file"] = write_file(anchor, force=force)
    except OSError as exc:
        log.warning("audit anchor: cannot write the file (%s)", exc.strerror or exc)
    if witness:
        written["witness"] = post_witness(anchor)
    return written


def anchor_now() -> None:
    """Anchor the committed tip (vault and file). Runs after a commit that appended entries."""
    try:
        key = load_key()
        write_all(current_tip(key), after_commit=True)
    except Exception:  # anchoring must never break the request that committed
        log.exception("audit anchor: anchoring after commit failed")


def anchor_on_commit() -> None:
    """Have the tip anchored once the current transaction commits (once per transaction,
    however many entries it appends)."""
    connection = transaction.get_connection()
    active = set(connection.savepoint_ids)
    # One registered in a savepoint that is still open commits or rolls back with this entry;
    # one from a savepoint since released or rolled back may not, so register again then
    # (a second anchoring of the same tip finds nothing to do).
    for sids, func, _robust in connection.run_on_commit:
        if func is anchor_now and sids <= active:
            return
    transaction.on_commit(anchor_now, robust=True)
