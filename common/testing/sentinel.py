"""The sentinel denouncer: identifying data planted at intake and searched for everywhere it
must never appear (SECURITY.md, "Sealed identity").

``needles()`` is every form in which the data could leak: as typed, with the ID number
spaced, dotted or without its leading zero (a spreadsheet number), the name without
diacritics, escaped for JSON, HTML or a URL, in base64 or hex, and plain (unkeyed, so
reversible by trying every ID number) hashes of the ID. The vault's HMAC blind index of the
ID is not a leak: without the key nothing can be learnt from it.

``texts(blob)`` turns what a reader could get (a response, a file's bytes) into the texts
to search: zip containers (.xlsx, .docx) are opened member by member, since their XML is
compressed and a search of the raw bytes would find nothing.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

from common.text import fold

NAME = "Quách Thị Sentinel Mật"
ID_NUMBER = "079188004321"
ADDRESS = "Số 9 ngõ Sentinel, phường Hiến Nam"
PHONE = "0966123789"


def _forms(value: str) -> set[str]:
    forms = {
        value,
        fold(value),
        json.dumps(value)[1:-1],
        html.escape(value),
        quote(value),
        quote_plus(value),
        base64.b64encode(value.encode()).decode(),
        value.encode().hex(),
    }
    return {f for f in forms if f}


def needles() -> dict[str, str]:
    """Every leaking form → what it is."""
    found: dict[str, str] = {}
    for what, value in (("name", NAME), ("address", ADDRESS), ("phone", PHONE)):
        for form in _forms(value):
            found[form] = what
    found["Sentinel"] = "name or address (its marker word)"
    digits = ID_NUMBER
    id_forms = {
        digits,
        f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}",
        f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}.{digits[9:]}",
        digits.lstrip("0"),  # stored or exported as a number
        digits[::-1],
        hashlib.sha256(digits.encode()).hexdigest(),
        hashlib.sha1(digits.encode()).hexdigest(),  # noqa: S324 - looked for, not used
        hashlib.md5(digits.encode()).hexdigest(),  # noqa: S324
    }
    for form in id_forms:
        for variant in _forms(form):
            found[variant] = "ID number"
    found["+84" + PHONE[1:]] = "phone"
    found["84" + PHONE[1:]] = "phone"
    found[f"{PHONE[:4]} {PHONE[4:7]} {PHONE[7:]}"] = "phone"
    return found


def texts(blob: bytes | str) -> list[str]:
    """The searchable texts of ``blob``: itself, and each member of a zip container."""
    if isinstance(blob, str):
        return [blob]
    out = [blob.decode("utf-8", "replace")]
    if blob[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            for member in archive.namelist():
                out.extend(texts(archive.read(member)))
    return out


class Seen:
    """Everything a scenario produced that someone other than a revealer could see."""

    def __init__(self) -> None:
        self.items: list[tuple[str, list[str]]] = []
        self._needles = needles()

    def add(self, what: str, blob: Any) -> Any:
        """Record a response (body and headers), bytes or text under ``what``; returns it."""
        if hasattr(blob, "content") or hasattr(blob, "streaming_content"):
            streaming = getattr(blob, "streaming", False)
            body = b"".join(blob.streaming_content) if streaming else blob.content
            headers = " ".join(f"{k}: {v}" for k, v in blob.items())
            self.items.append((what, [*texts(body), headers]))
        elif isinstance(blob, bytes | str):
            self.items.append((what, texts(blob)))
        else:
            self.items.append((what, [str(blob)]))
        return blob

    def add_all(self, what: str, blobs: Iterable[Any]) -> None:
        for blob in blobs:
            self.add(what, blob)

    def leaks(self) -> list[str]:
        """``what (which form)`` for every item in which a needle was found."""
        return sorted(
            {
                f"{what} ({kind}: {needle!r})"
                for what, chunks in self.items
                for chunk in chunks
                for needle, kind in self._needles.items()
                if needle in chunk
            }
        )
