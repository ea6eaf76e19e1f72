"""Sealing, revealing and re-keying denouncers' identities and sealed attachments.

The seam with the petitions app:

- ``identity_seal(petition_code, petitioners)`` at intake of a denunciation: encrypts the
  petitioners into the vault and returns the pseudonymous reference the petition keeps.
- ``identity_reveal(actor=, petition_code=, reason=)`` for the handler and the owner unit's
  head: one audited ``identity.reveal`` event, then the petitioners.
- ``identity_status(petition_code)`` for pages: sealed, unavailable (vault down) or none.

Any failure to reach the vault becomes ``VaultUnavailable`` (503 with words): the rest of
the application goes on without it.
"""

from __future__ import annotations

import json
import logging
import secrets
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.errors import DomainError, Invalid, NotFound
from common.text import nfc
from vault import keys
from vault.bulk import insert_rows
from vault.models import BlindIndex, SealedRecord
from vault.selectors import get_petition_for_reveal
from vault.sources import identity_holder

log = logging.getLogger(__name__)

VAULT_DB = "vault"
PETITIONER_FIELDS = ("full_name", "id_number", "address", "phone")


class VaultUnavailable(DomainError):
    """The vault database or its key cannot be reached: identity is unavailable for now."""

    status = 503

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "identity is unavailable: the vault does not answer; try again later"
        )


def _guard[T](fn: Callable[[], T]) -> T:
    """Run a vault operation; a database or key failure becomes VaultUnavailable (logged
    by class name only, never with values)."""
    try:
        return fn()
    except (DatabaseError, ImproperlyConfigured, OSError) as exc:
        log.warning("vault unavailable: %s", exc.__class__.__name__)
        raise VaultUnavailable() from None


def vault_available() -> bool:
    """Whether the vault answers (database and keyring)."""
    try:
        _guard(_ping)
    except VaultUnavailable:
        return False
    return True


def _ping() -> None:
    keys.load_keyring()
    with connections[VAULT_DB].cursor() as cursor:
        cursor.execute("SELECT 1")


def _new_ref(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(10)}"


def _clean_petitioner(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: nfc(v) if isinstance(v, str) else v for k, v in raw.items() if v not in (None, "")}


def _seal_record(
    keyring: keys.Keyring, *, ref: str, petition_code: str, kind: str, payload: bytes
) -> SealedRecord:
    record = SealedRecord(ref=ref, petition_code=petition_code, kind=kind)
    sealed = keys.seal(keyring, payload, record.aad)
    record.key_id = sealed.key_id
    record.wrapped_key = sealed.wrapped_key
    record.nonce = sealed.nonce
    record.ciphertext = sealed.ciphertext
    record.save(using=VAULT_DB)
    return record


def _open_record(keyring: keys.Keyring, record: SealedRecord) -> bytes:
    sealed = keys.Sealed(
        record.key_id, bytes(record.wrapped_key), bytes(record.nonce), bytes(record.ciphertext)
    )
    return keys.open_sealed(keyring, sealed, record.aad)


# --- identity ---------------------------------------------------------------------------------


def identity_seal(petition_code: str, petitioners: list[dict[str, Any]]) -> str:
    """Seal ``petitioners`` (dicts with ``full_name``, ``id_number``, ``address``, ``phone``
    and anything else identifying) for ``petition_code``; return the pseudonymous reference
    to keep on the petition. Their ID numbers enter the blind index (sealed class).

    Replaces whatever was sealed earlier for the same code: a code is reused only after the
    intake that first took it rolled back, so an earlier record there is an orphan.
    Raises VaultUnavailable when the vault cannot be reached (the caller should refuse the
    intake rather than keep the identity anywhere else).
    """
    cleaned = [_clean_petitioner(p) for p in petitioners]
    payload = json.dumps({"petitioners": cleaned}, ensure_ascii=False).encode("utf-8")
    ids = [str(p["id_number"]) for p in cleaned if p.get("id_number")]

    def run() -> str:
        keyring = keys.load_keyring()
        ref = _new_ref("S")
        with transaction.atomic(using=VAULT_DB):
            SealedRecord.objects.using(VAULT_DB).filter(
                petition_code=petition_code, kind=SealedRecord.Kind.IDENTITY
            ).delete()
            _seal_record(
                keyring,
                ref=ref,
                petition_code=petition_code,
                kind=SealedRecord.Kind.IDENTITY,
                payload=payload,
            )
            _index_put(keyring, petition_code, ids, sealed=True)
        return ref

    return _guard(run)


def identity_seal_many(items: list[tuple[str, list[dict[str, Any]]]]) -> dict[str, str]:
    """``identity_seal`` for many petitions at once (an import): one vault transaction.
    Returns the reference of each petition code."""
    if not items:
        return {}

    def run() -> dict[str, str]:
        keyring = keys.load_keyring()
        refs: dict[str, str] = {}
        records: list[SealedRecord] = []
        index: list[BlindIndex] = []
        for code, petitioners in items:
            cleaned = [_clean_petitioner(p) for p in petitioners]
            payload = json.dumps({"petitioners": cleaned}, ensure_ascii=False).encode("utf-8")
            record = SealedRecord(
                ref=_new_ref("S"), petition_code=code, kind=SealedRecord.Kind.IDENTITY
            )
            sealed = keys.seal(keyring, payload, record.aad)
            record.key_id, record.wrapped_key = sealed.key_id, sealed.wrapped_key
            record.nonce, record.ciphertext = sealed.nonce, sealed.ciphertext
            records.append(record)
            refs[code] = record.ref
            digests = {
                keys.blind_digest(keyring, str(p["id_number"]), "sealed")
                for p in cleaned
                if p.get("id_number")
            }
            index.extend(BlindIndex(digest=d, petition_code=code, sealed=True) for d in digests)
        codes = [code for code, _ in items]
        with transaction.atomic(using=VAULT_DB):
            for start in range(0, len(codes), 500):
                chunk = codes[start : start + 500]
                SealedRecord.objects.using(VAULT_DB).filter(
                    petition_code__in=chunk, kind=SealedRecord.Kind.IDENTITY
                ).delete()
                BlindIndex.objects.using(VAULT_DB).filter(
                    petition_code__in=chunk, sealed=True
                ).delete()
            # Plain multi-row INSERTs: an import seals tens of thousands at once.
            now = timezone.now()
            insert_rows(
                SealedRecord,
                (
                    {
                        "ref": r.ref,
                        "petition_code": r.petition_code,
                        "kind": r.kind,
                        "key_id": r.key_id,
                        "wrapped_key": r.wrapped_key,
                        "nonce": r.nonce,
                        "ciphertext": r.ciphertext,
                        "created_at": now,
                    }
                    for r in records
                ),
                using=VAULT_DB,
            )
            BlindIndex.objects.using(VAULT_DB).bulk_create(
                index, batch_size=1000, ignore_conflicts=True
            )
        return refs

    return _guard(run)


def _identity_record(petition_code: str, ref: str | None) -> SealedRecord | None:
    qs = SealedRecord.objects.using(VAULT_DB).filter(
        petition_code=petition_code, kind=SealedRecord.Kind.IDENTITY
    )
    if ref:
        qs = qs.filter(ref=ref)
    return qs.order_by("-id").first()


def identity_open(petition_code: str, ref: str | None = None) -> list[dict[str, Any]] | None:
    """The sealed petitioners of ``petition_code`` (None if nothing is sealed for it).
    Not audited: only ``identity_reveal`` and the key rotation may call this."""

    def run() -> list[dict[str, Any]] | None:
        keyring = keys.load_keyring()
        record = _identity_record(petition_code, ref)
        if record is None:
            return None
        try:
            body = json.loads(_open_record(keyring, record))
        except keys.SealBroken as exc:
            raise VaultUnavailable(
                _("identity is unavailable: %(error)s") % {"error": exc}
            ) from None
        return list(body["petitioners"])

    return _guard(run)


def identity_status(petition_code: str, ref: str | None = None) -> str:
    """``"sealed"`` (the vault holds an identity), ``"none"`` or ``"unavailable"``."""
    try:
        found = _guard(lambda: _identity_record(petition_code, ref) is not None)
    except VaultUnavailable:
        return "unavailable"
    return "sealed" if found else "none"


def _open_petitioners(matter: Any) -> list[dict[str, Any]]:
    """A sealed petition's petitioners from the vault (by the reference the petition keeps);
    an unsealed petition's from the app keeping it (``vault.sources``)."""
    holder = identity_holder(matter)
    if holder is None:
        return []
    if holder.sealed:
        sealed = identity_open(matter.code, holder.vault_ref or None) if holder.vault_ref else None
        if sealed is None:
            raise VaultUnavailable(
                _("identity is unavailable: the vault holds no identity for this petition")
            )
        return sealed
    return holder.petitioners()


def identity_reveal(*, actor: Any, petition_code: str, reason: str) -> list[dict[str, Any]]:
    """The petitioners of ``petition_code`` for its handler or its owner unit's head, with
    one ``identity.reveal`` audit event naming the reason. Out of scope: NotFound; visible
    but not allowed: Forbidden; empty reason: Invalid; vault down: VaultUnavailable (and no
    event, since nothing was revealed)."""
    matter = get_petition_for_reveal(actor, petition_code)
    reason = nfc(reason or "")
    if not reason:
        raise Invalid({"reason": _("say why you need to see who sent this petition")})
    if len(reason) > 500:
        raise Invalid({"reason": _("at most %(n)s characters") % {"n": 500}})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="identity.reveal",
            matter=matter.code,
            unit=matter.owner.code,
            data={"reason": reason, "what": "petitioners"},
        )
        return _open_petitioners(matter)


# --- sealed attachments -----------------------------------------------------------------------

# Allowed types, recognised by their first bytes (never by the name the browser sends).
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def sniff_type(data: bytes) -> str | None:
    for magic, content_type in MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def _attachment_payload(name: str, content_type: str, data: bytes) -> bytes:
    header = json.dumps({"name": name, "content_type": content_type}, ensure_ascii=False).encode()
    return struct.pack(">I", len(header)) + header + data


def _attachment_parse(payload: bytes) -> tuple[str, str, bytes]:
    (size,) = struct.unpack(">I", payload[:4])
    header = json.loads(payload[4 : 4 + size])
    return header["name"], header["content_type"], payload[4 + size :]


def attachment_seal(petition_code: str, *, name: str, data: bytes, max_bytes: int) -> str:
    """Seal a file the denouncer wrote or signed (a scan of the đơn, a typed letter) for
    ``petition_code``; its name and type are sealed with it. Returns its handle. Only PDF,
    JPEG, PNG and TIFF, by content, up to ``max_bytes``."""
    content_type = sniff_type(data)
    if content_type is None:
        raise Invalid({"file": _("only PDF, JPEG, PNG or TIFF scans can be sealed")})
    if len(data) > max_bytes:
        raise Invalid({"file": _("larger than %(n)s MB") % {"n": max_bytes // (1024 * 1024)}})
    payload = _attachment_payload(nfc(Path(name).name)[:200], content_type, data)

    def run() -> str:
        keyring = keys.load_keyring()
        ref = _new_ref("A")
        with transaction.atomic(using=VAULT_DB):
            _seal_record(
                keyring,
                ref=ref,
                petition_code=petition_code,
                kind=SealedRecord.Kind.ATTACHMENT,
                payload=payload,
            )
        return ref

    return _guard(run)


def attachment_refs(petition_code: str) -> list[str] | None:
    """Handles of the sealed attachments of a petition (None when the vault is down)."""
    try:
        return _guard(
            lambda: list(
                SealedRecord.objects.using(VAULT_DB)
                .filter(petition_code=petition_code, kind=SealedRecord.Kind.ATTACHMENT)
                .order_by("id")
                .values_list("ref", flat=True)
            )
        )
    except VaultUnavailable:
        return None


def attachment_reveal(
    *, actor: Any, petition_code: str, ref: str, reason: str
) -> tuple[str, str, bytes]:
    """``(name, content_type, data)`` of a sealed attachment, under the same rule and audit
    as ``identity_reveal``."""
    matter = get_petition_for_reveal(actor, petition_code)
    reason = nfc(reason or "")
    if not reason:
        raise Invalid({"reason": _("say why you need to open this sealed file")})

    def load() -> SealedRecord | None:
        return (
            SealedRecord.objects.using(VAULT_DB)
            .filter(petition_code=matter.code, kind=SealedRecord.Kind.ATTACHMENT, ref=ref)
            .first()
        )

    record = _guard(load)
    if record is None:
        raise NotFound(_("No sealed file %(ref)s on %(code)s") % {"ref": ref, "code": matter.code})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="identity.reveal",
            matter=matter.code,
            unit=matter.owner.code,
            data={"reason": reason, "what": "attachment", "ref": ref},
        )
        try:
            payload = _guard(lambda: _open_record(keys.load_keyring(), record))
        except keys.SealBroken as exc:
            raise VaultUnavailable(
                _("the sealed file is unavailable: %(error)s") % {"error": exc}
            ) from None
        return _attachment_parse(payload)


# --- blind index -------------------------------------------------------------------------------


def _index_put(
    keyring: keys.Keyring, petition_code: str, ids: Iterable[str], *, sealed: bool
) -> None:
    BlindIndex.objects.using(VAULT_DB).filter(petition_code=petition_code, sealed=sealed).delete()
    domain = "sealed" if sealed else "open"
    digests = {keys.blind_digest(keyring, i, domain) for i in ids if any(ch.isdigit() for ch in i)}
    BlindIndex.objects.using(VAULT_DB).bulk_create(
        [BlindIndex(digest=d, petition_code=petition_code, sealed=sealed) for d in sorted(digests)],
        ignore_conflicts=True,
    )


def blind_index_put(petition_code: str, id_numbers: Iterable[str], *, sealed: bool = False) -> None:
    """Record (replacing earlier entries of the same class) the ID numbers of a petition."""
    ids = list(id_numbers)

    def run() -> None:
        keyring = keys.load_keyring()
        with transaction.atomic(using=VAULT_DB):
            _index_put(keyring, petition_code, ids, sealed=sealed)

    _guard(run)


def blind_index_find(
    id_numbers: Iterable[str], *, sealed: bool = False, exclude: str = ""
) -> list[str]:
    """Codes of petitions with any of ``id_numbers`` in the same class, ``exclude`` left out.
    Raises VaultUnavailable when the vault is down."""
    ids = [i for i in id_numbers if i and any(ch.isdigit() for ch in i)]
    if not ids:
        return []

    def run() -> list[str]:
        keyring = keys.load_keyring()
        digests = {keys.blind_digest(keyring, i, "sealed" if sealed else "open") for i in ids}
        return sorted(
            set(
                BlindIndex.objects.using(VAULT_DB)
                .filter(digest__in=digests, sealed=sealed)
                .exclude(petition_code=exclude)
                .values_list("petition_code", flat=True)
            )
        )

    return _guard(run)


# --- key rotation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RotateResult:
    key_id: str
    rewrapped: int
    retired: list[str]
    path: str


def vault_rotate_key(
    *,
    keyring_out: str = "",
    retire: bool = False,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> RotateResult:
    """Add a new key-encryption key, make it current, and re-wrap every record's data key
    under it. The new keyring is written (0600) before any record changes, so an interrupted
    rotation loses nothing and a rerun finishes it. With ``retire``, keys no record uses any
    more are dropped from the keyring at the end.

    A keyring given inline by the environment cannot be rewritten: pass ``keyring_out`` and
    point ``DUTDIEM_VAULT_KEY_FILE`` at it afterwards."""
    old = keys.load_keyring()
    target = Path(keyring_out or old.path)
    if not keyring_out and not old.path:
        raise Invalid(
            {"keyring": "the vault key comes from DUTDIEM_VAULT_KEY: give --keyring-out FILE"}
        )
    kid = keys.new_key_id()
    while kid in old.keys:
        kid = keys.new_key_id()
    fresh = keys.Keyring(
        kid, {**old.keys, kid: keys.AESGCM.generate_key(bit_length=256)}, old.index_key, str(target)
    )
    keys.write_keyring(fresh, target)
    rewrapped = 0
    qs = SealedRecord.objects.using(VAULT_DB).exclude(key_id=kid).order_by("id")
    while True:
        chunk = list(qs[:batch_size])
        if not chunk:
            break
        with transaction.atomic(using=VAULT_DB):
            now = timezone.now()
            for record in chunk:
                dek = keys.unwrap(fresh, record.key_id, bytes(record.wrapped_key), record.aad)
                record.wrapped_key = keys.wrap(fresh, kid, dek, record.aad)
                record.key_id = kid
                record.rewrapped_at = now
            SealedRecord.objects.using(VAULT_DB).bulk_update(
                chunk, ["wrapped_key", "key_id", "rewrapped_at"]
            )
        rewrapped += len(chunk)
        if progress:
            progress(rewrapped)
    retired: list[str] = []
    if retire:
        in_use = set(SealedRecord.objects.using(VAULT_DB).values_list("key_id", flat=True))
        kept = {k: v for k, v in fresh.keys.items() if k == kid or k in in_use}
        retired = sorted(set(fresh.keys) - set(kept))
        fresh = keys.Keyring(kid, kept, fresh.index_key, str(target))
        keys.write_keyring(fresh, target)
    keys.keyring_reset()
    with transaction.atomic():
        audit_record(
            actor="system",
            action="vault.rotate_key",
            data={"key_id": kid, "records": rewrapped, "retired": retired},
        )
    return RotateResult(kid, rewrapped, retired, str(target))


def blind_index_same_person(petition_code: str, *, sealed: bool = True) -> list[str]:
    """Codes of other petitions whose (sealed) petitioners share an ID number with those of
    ``petition_code``, matched by digest only. Raises VaultUnavailable when the vault is down."""

    def run() -> list[str]:
        index = BlindIndex.objects.using(VAULT_DB)
        own = list(
            index.filter(petition_code=petition_code, sealed=sealed).values_list(
                "digest", flat=True
            )
        )
        if not own:
            return []
        return sorted(
            set(
                index.filter(digest__in=own, sealed=sealed)
                .exclude(petition_code=petition_code)
                .values_list("petition_code", flat=True)
            )
        )

    return _guard(run)
