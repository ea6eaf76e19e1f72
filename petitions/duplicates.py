"""The keys by which petitions that look the same as another are found (API.md: same
petitioner ID, or near-identical content, in any unit). The finding itself is
``registry.services.duplicates.find_duplicates``, which uses these keys (so this module
imports nothing from it).

- ``id_key(number)``: the keyed hash (HMAC under the vault's index key, "open" domain) kept
  in ``PetitionerKey`` for complainants' and proposers' ID numbers. Denouncers' numbers go
  to the vault's blind index instead, in another domain.
- ``content_key(text)``: sha256 of the folded content, for identical petitions.
"""

from __future__ import annotations

import hashlib
import re

from registry.register import fold_fast

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def id_key(id_number: str) -> str:
    """A keyed hash of an ID number: equal numbers give equal keys; the number cannot be read
    back, or guessed by trying numbers, without the vault's index key (never in the database)."""
    from vault.keys import blind_digest, load_keyring

    return blind_digest(load_keyring(), id_number, domain="open")


def content_key(text: str) -> str:
    """A fingerprint of the content that ignores case, accents, punctuation and spacing;
    empty for an empty text."""
    folded = _NOT_WORD.sub("", fold_fast(text or ""))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest() if folded else ""
