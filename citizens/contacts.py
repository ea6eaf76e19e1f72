"""Contacts of citizens: cleaning an e-mail address or a phone number, the 6-digit codes that
prove a citizen holds it, and sealing the contact of a denouncer (kept encrypted under the
vault's key, opened only by the gateway that sends the message)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

SEALED_PREFIX = "sealed:"
PHONE = re.compile(r"^\+?\d{9,15}$")


def clean_email(value: str) -> str | None:
    value = (value or "").strip().lower()
    if not value or len(value) > 254:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value


def clean_phone(value: str) -> str | None:
    """A Vietnamese mobile number in the form the SMS gateway takes: 0xxxxxxxxx (10 digits)
    or +84xxxxxxxxx; other international numbers as given."""
    value = re.sub(r"[\s.\-()]", "", value or "")
    if not PHONE.match(value):
        return None
    if value.startswith("+84"):
        value = "0" + value[3:]
    if value.startswith("0") and len(value) != 10:
        return None
    return value


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def code_hash(kind: str, address: str, code: str) -> str:
    secret = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(secret, f"contact:{kind}:{address}:{code}".encode(), hashlib.sha256).hexdigest()


def _aad(petition_code: str) -> bytes:
    return f"citizens.contact:{petition_code}".encode()


def seal_contact(petition_code: str, address: str) -> str:
    from vault import keys

    keyring = keys.load_keyring()
    sealed = keys.seal(keyring, address.encode("utf-8"), _aad(petition_code))
    parts = [
        sealed.key_id.encode(),
        sealed.wrapped_key,
        sealed.nonce,
        sealed.ciphertext,
    ]
    return SEALED_PREFIX + ".".join(base64.urlsafe_b64encode(p).decode() for p in parts)


def open_contact(petition_code: str, stored: str) -> str:
    """The contact in clear (a sealed one is opened with the vault's key)."""
    if not stored.startswith(SEALED_PREFIX):
        return stored
    from vault import keys

    key_id, wrapped, nonce, ciphertext = (
        base64.urlsafe_b64decode(p) for p in stored.removeprefix(SEALED_PREFIX).split(".")
    )
    sealed = keys.Sealed(key_id.decode(), wrapped, nonce, ciphertext)
    return keys.open_sealed(keys.load_keyring(), sealed, _aad(petition_code)).decode("utf-8")
