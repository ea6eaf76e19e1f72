"""Reading a 32-byte secret written as base64 or as hexadecimal digits.

The audit key, the vault's keys and the backup key are all given this way (in an environment
variable or a key file); each caller turns an unreadable key into its own error.
"""

from __future__ import annotations

import base64
import binascii


def key_from_text(text: str, size: int = 32) -> bytes | None:
    """The ``size`` bytes that ``text`` writes in hex (``2 * size`` digits) or base64, or
    None when it is neither or has another length."""
    text = text.strip()
    if len(text) == 2 * size:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == size else None
