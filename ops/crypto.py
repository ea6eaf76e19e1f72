"""Encryption of backup files: AES-256-GCM over the whole file, streamed.

The backup key is 32 bytes, given as base64 or 64 hex digits in ``DUTDIEM_BACKUP_KEY`` (or
``DUTDIEM_BACKUP_KEY_FILE``), or kept in the file at ``settings.BACKUP_KEY_PATH``. Outside
production that file is created on first use (mode 0600); in production a missing key is an
error. Keep the key apart from the backups: a backup without its key cannot be read by anyone.

Each file gets a fresh random nonce; the associated data binds the ciphertext to its backup
and member name, so a member moved into another backup, or swapped with its sibling, fails to
decrypt. Decryption writes the plaintext to a file that the caller may use only once
``decrypt_file`` has returned (the tag is checked at the very end).
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import zlib
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

from common.keyfile import key_from_text

CHUNK = 1024 * 1024
KEY_BYTES = 32
NONCE_BYTES = 12


class BackupKeyError(Exception):
    pass


class BackupCorrupt(Exception):
    pass


def _decode(text: str) -> bytes:
    raw = key_from_text(text, KEY_BYTES)
    if raw is None:
        raise BackupKeyError(
            "the backup key must be 32 bytes, written in base64 or as 64 hex digits"
        )
    return raw


def backup_key() -> bytes:
    """The key to encrypt and decrypt backups (see the module doc for where it comes from)."""
    inline = getattr(settings, "BACKUP_KEY", "")
    if inline:
        return _decode(inline)
    path = Path(settings.BACKUP_KEY_PATH)
    if path.exists():
        return _decode(path.read_text(encoding="ascii"))
    if getattr(settings, "PRODUCTION", False):
        raise BackupKeyError(
            "no backup key: set DUTDIEM_BACKUP_KEY or DUTDIEM_BACKUP_KEY_FILE "
            f"(32 bytes, base64 or hex), or put one in {path}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii") + "\n")
    return _decode(path.read_text(encoding="ascii"))


def key_id(key: bytes) -> str:
    """A short fingerprint naming the key in the manifest (not enough to guess it)."""
    return hashlib.sha256(b"dutdiem-backup-key-id:" + key).hexdigest()[:16]


def _aad(backup_id: str, member: str) -> bytes:
    return f"dutdiem-backup:{backup_id}:{member}".encode()


def encrypt_file(
    src: Path, dst: IO[bytes], key: bytes, *, backup_id: str, member: str, compress: bool
) -> dict[str, object]:
    """Write ``src`` encrypted (and zlib-compressed if asked) to ``dst``; return what the
    manifest needs to decrypt and check it."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_aad(backup_id, member))
    packer = zlib.compressobj(6) if compress else None
    digest = hashlib.sha256()
    size = 0
    with src.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            data = packer.compress(chunk) if packer else chunk
            out = encryptor.update(data)
            digest.update(out)
            dst.write(out)
            size += len(out)
    tail = encryptor.update(packer.flush()) if packer else b""
    tail += encryptor.finalize()
    digest.update(tail)
    dst.write(tail)
    size += len(tail)
    return {
        "nonce": nonce.hex(),
        "tag": encryptor.tag.hex(),
        "compressed": compress,
        "size": size,
        "sha256": digest.hexdigest(),
    }


def decrypt_file(
    src: IO[bytes], dst: Path, key: bytes, *, backup_id: str, member: str, info: dict[str, object]
) -> None:
    """Decrypt a member into ``dst``. Raises BackupCorrupt (and removes ``dst``) when the key
    is wrong or a single bit of the member was changed."""
    try:
        decryptor = Cipher(
            algorithms.AES(key),
            modes.GCM(bytes.fromhex(str(info["nonce"])), bytes.fromhex(str(info["tag"]))),
        ).decryptor()
        decryptor.authenticate_additional_data(_aad(backup_id, member))
        unpacker = zlib.decompressobj() if info.get("compressed") else None
        with dst.open("wb") as out:
            while chunk := src.read(CHUNK):
                plain = decryptor.update(chunk)
                out.write(unpacker.decompress(plain) if unpacker else plain)
            plain = decryptor.finalize()
            if unpacker:
                out.write(unpacker.decompress(plain) + unpacker.flush())
            else:
                out.write(plain)
    except (InvalidTag, zlib.error, ValueError, KeyError) as exc:
        dst.unlink(missing_ok=True)
        raise BackupCorrupt(
            f"{member}: cannot decrypt (wrong backup key, or the file was changed or cut short)"
        ) from exc
