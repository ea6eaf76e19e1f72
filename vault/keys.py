"""The vault's keys: a keyring of AES-256 key-encryption keys and one HMAC key for the blind
index, read from ``DUTDIEM_VAULT_KEY`` (or ``DUTDIEM_VAULT_KEY_FILE``) or from the key file
at ``settings.VAULT_KEY_PATH``; never from the database or the repository.

The keyring is JSON::

    {"current": "k20260101-ab12", "keys": {"k20260101-ab12": "<base64 32 bytes>"},
     "index_key": "<base64 32 bytes>"}

``DUTDIEM_VAULT_KEY`` may also be a bare 32-byte key (base64 or 64 hex digits); the blind
index key is then derived from it with HKDF, so it stays the same after a rotation that
writes the derived keyring to a file.

In development the key file is created (mode 0600) on first use; in production a missing
key stops the process (``vault.apps.VaultConfig.ready``).

Records are sealed by envelope encryption: a fresh data key per record encrypts the payload
with AES-256-GCM; the current key-encryption key wraps the data key. Both use the record's
associated data, so a ciphertext or a wrapped key moved to another record fails to open.
Rotation re-wraps the data keys only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.keyfile import key_from_text

NONCE_BYTES = 12
KEY_BYTES = 32


class SealBroken(Exception):
    """A record cannot be opened: its key is not in the keyring, or the ciphertext, the
    wrapped key or the associated data do not match (tampered or moved)."""


@dataclass(frozen=True)
class Keyring:
    current: str
    keys: dict[str, bytes]
    index_key: bytes
    # Where the keyring came from: a file path, or "" when given inline by the environment.
    path: str = ""
    derived_index: bool = field(default=False, compare=False)

    def kek(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise SealBroken(f"vault key {key_id} is not in the keyring") from None

    def to_json(self) -> str:
        body = {
            "current": self.current,
            "keys": {kid: _b64(key) for kid, key in sorted(self.keys.items())},
            "index_key": _b64(self.index_key),
        }
        return json.dumps(body, indent=2, sort_keys=True) + "\n"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _decode_key(text: str, what: str) -> bytes:
    raw = key_from_text(text, KEY_BYTES)
    if raw is None:
        raise ImproperlyConfigured(f"{what} must be {KEY_BYTES} bytes in base64 or hex")
    return raw


def new_key_id() -> str:
    return f"k{date.today():%Y%m%d}-{secrets.token_hex(3)}"


def derive_index_key(master: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"dutdiem vault blind index v1"
    ).derive(master)


def parse_keyring(text: str, path: str = "") -> Keyring:
    text = text.strip()
    if not text:
        raise ImproperlyConfigured("the vault key is empty")
    if not text.startswith("{"):
        master = _decode_key(text, "DUTDIEM_VAULT_KEY")
        kid = "k" + hashlib.sha256(master).hexdigest()[:10]
        return Keyring(kid, {kid: master}, derive_index_key(master), path, derived_index=True)
    try:
        body = json.loads(text)
        keys = {
            str(kid): _decode_key(str(v), f"vault key {kid}") for kid, v in body["keys"].items()
        }
        current = str(body["current"])
        index_key = _decode_key(str(body["index_key"]), "vault index_key")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ImproperlyConfigured(f"the vault keyring is not valid: {exc}") from None
    if current not in keys:
        raise ImproperlyConfigured(f"the vault keyring's current key {current} is missing")
    return Keyring(current, keys, index_key, path)


def generate_keyring(path: str = "") -> Keyring:
    kid = new_key_id()
    return Keyring(kid, {kid: AESGCM.generate_key(bit_length=256)}, secrets.token_bytes(32), path)


def write_keyring(keyring: Keyring, path: Path, *, exclusive: bool = False) -> None:
    """Write ``keyring`` to ``path`` readable by its owner only (0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = keyring.to_json().encode("utf-8")
    if exclusive:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


_lock = threading.Lock()
_cache: dict[tuple[str, str], Keyring] = {}


def keyring_configured() -> bool:
    """Whether a key is given (environment) or present (key file)."""
    return bool(settings.VAULT_KEY) or Path(settings.VAULT_KEY_PATH).exists()


def load_keyring() -> Keyring:
    """The keyring in force. Creates the key file on first use outside production."""
    cache_key = (settings.VAULT_KEY, str(settings.VAULT_KEY_PATH))
    cached = _cache.get(cache_key)
    if cached is not None:
        return cached
    with _lock:
        if settings.VAULT_KEY:
            keyring = parse_keyring(
                settings.VAULT_KEY, os.environ.get("DUTDIEM_VAULT_KEY_FILE", "")
            )
        else:
            path = Path(settings.VAULT_KEY_PATH)
            if not path.exists():
                if getattr(settings, "PRODUCTION", False):
                    raise ImproperlyConfigured(
                        "No vault key: set DUTDIEM_VAULT_KEY(_FILE) or create the key file "
                        f"{path} (dutdiem vault init-key) before starting in production"
                    )
                try:
                    write_keyring(generate_keyring(str(path)), path, exclusive=True)
                except FileExistsError:
                    pass  # another process created it first; read theirs
            if getattr(settings, "PRODUCTION", False) and path.stat().st_mode & 0o077:
                raise ImproperlyConfigured(
                    f"the vault key file {path} is readable by others: chmod 600 it"
                )
            keyring = parse_keyring(path.read_text(encoding="utf-8"), str(path))
        _cache[cache_key] = keyring
        return keyring


def keyring_reset() -> None:
    """Forget the cached keyring (after a rotation, or when tests change the settings)."""
    with _lock:
        _cache.clear()


@dataclass(frozen=True)
class Sealed:
    key_id: str
    wrapped_key: bytes
    nonce: bytes
    ciphertext: bytes


def seal(keyring: Keyring, plaintext: bytes, aad: bytes) -> Sealed:
    dek = AESGCM.generate_key(bit_length=256)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(dek).encrypt(nonce, plaintext, aad)
    return Sealed(keyring.current, wrap(keyring, keyring.current, dek, aad), nonce, ciphertext)


def wrap(keyring: Keyring, key_id: str, dek: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(keyring.kek(key_id)).encrypt(nonce, dek, aad + b"|dek")


def unwrap(keyring: Keyring, key_id: str, wrapped: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(keyring.kek(key_id)).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad + b"|dek"
        )
    except InvalidTag:
        raise SealBroken("the record's data key does not open: wrong key or moved record") from None


def open_sealed(keyring: Keyring, sealed: Sealed, aad: bytes) -> bytes:
    dek = unwrap(keyring, sealed.key_id, sealed.wrapped_key, aad)
    try:
        return AESGCM(dek).decrypt(sealed.nonce, sealed.ciphertext, aad)
    except InvalidTag:
        raise SealBroken("the record does not open: tampered or moved ciphertext") from None


def blind_digest(keyring: Keyring, id_number: str, domain: str = "sealed") -> str:
    """HMAC-SHA256 of a normalised ID number under the index key (hex). Equal IDs in the
    same ``domain`` give equal digests; without the key nothing can be learnt from them.

    Sealed (denouncers') and open (complainants') IDs are hashed in separate domains, so
    that even someone holding both databases cannot link a denunciation to its author's
    complaints."""
    digits = "".join(ch for ch in id_number if ch.isdigit())
    message = f"{domain}:id:{digits}".encode("ascii")
    return hmac.new(keyring.index_key, message, hashlib.sha256).hexdigest()
