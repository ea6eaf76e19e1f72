"""The audit chain's key: 32 random bytes that make every entry's hash an HMAC, so that no one
who can write to the database but does not hold the key can rewrite the log and recompute
its hashes.

Read, like the vault's key, from ``DUTDIEM_AUDIT_KEY`` (or ``DUTDIEM_AUDIT_KEY_FILE``: base64
or 64 hex digits) or from the key file at ``settings.AUDIT_KEY_PATH``; never from the database
or the repository. Outside production the key file is created (mode 0600) on first use; in
production a missing key stops the process (``audit.apps.AuditConfig.ready``).

The key is kept apart from the vault's: the vault may sit on an isolated host, while every
process that writes an audit event needs this key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.keyfile import key_from_text

KEY_BYTES = 32


@dataclass(frozen=True)
class AuditKey:
    secret: bytes = b""
    # Where the key came from: a file path, or "" when given inline by the environment.
    path: str = ""

    @property
    def key_id(self) -> str:
        """A public fingerprint of the key (it tells which key signed, never the key)."""
        return "a" + hashlib.sha256(b"dutdiem/audit/key-id|" + self.secret).hexdigest()[:12]

    def mac(self, message: bytes) -> str:
        return hmac.digest(self.secret, message, "sha256").hex()

    def __repr__(self) -> str:  # never print the secret
        return f"AuditKey({self.key_id}, path={self.path!r})"


def decode_key(text: str, what: str = "DUTDIEM_AUDIT_KEY") -> bytes:
    raw = key_from_text(text, KEY_BYTES)
    if raw is None:
        raise ImproperlyConfigured(f"{what} must be {KEY_BYTES} bytes in base64 or 64 hex digits")
    return raw


def write_key(path: Path) -> None:
    """Create a new key file at ``path`` (mode 0600); refuses to overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii") + "\n")


def key_configured() -> bool:
    return bool(settings.AUDIT_KEY) or Path(settings.AUDIT_KEY_PATH).exists()


_lock = threading.Lock()
_cache: dict[tuple[str, str], AuditKey] = {}


def load_key() -> AuditKey:
    """The key in force. Creates the key file on first use outside production."""
    cache_key = (settings.AUDIT_KEY, str(settings.AUDIT_KEY_PATH))
    cached = _cache.get(cache_key)
    if cached is not None:
        return cached
    with _lock:
        if settings.AUDIT_KEY:
            key = AuditKey(decode_key(settings.AUDIT_KEY), "")
        else:
            path = Path(settings.AUDIT_KEY_PATH)
            production = getattr(settings, "PRODUCTION", False)
            if not path.exists():
                if production:
                    raise ImproperlyConfigured(
                        "No audit key: set DUTDIEM_AUDIT_KEY(_FILE) or create the key file "
                        f"{path} (dutdiem audit init-key) before starting in production"
                    )
                try:
                    write_key(path)
                except FileExistsError:
                    pass  # another process created it first; read theirs
            if production and path.stat().st_mode & 0o077:
                raise ImproperlyConfigured(
                    f"the audit key file {path} is readable by others: chmod 600 it"
                )
            key = AuditKey(decode_key(path.read_text(encoding="ascii"), str(path)), str(path))
        _cache[cache_key] = key
        return key


def key_reset() -> None:
    """Forget the cached key (when tests change the settings)."""
    with _lock:
        _cache.clear()
