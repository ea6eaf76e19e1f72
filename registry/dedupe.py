"""Near-identical petition texts, found at scale.

Text is normalised (NFC, diacritics folded by ``common.text.fold``, punctuation dropped),
cut into overlapping character shingles, and summarised by a MinHash signature. The
signature is split into LSH bands; two texts that share a band are candidates, and the
candidates that share the most bands are checked with rapidfuzz. Only the bands are stored
(one indexed row each), so a lookup among a million petitions reads a few index pages.

The parameters were tuned on the labelled set of ``bench/registry/dataset.py`` (texts with
and without diacritics, typos, other addressees; hard negatives that differ only in names,
plot or decision numbers); see ``docs/benchmarks-registry.md``. Changing any of them
changes the bands: bump ``VERSION`` and run ``dutdiem registry reindex``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from common.text import fold

VERSION = 1
SHINGLE = 5  # characters per shingle
NUM_PERM = 96
ROWS = 6  # rows per band: 16 bands
MIN_CHARS = 30  # shorter texts are matched only when identical
THRESHOLD = 0.80  # rapidfuzz similarity (0..1) from which two texts are near-identical
MAX_CONFLICTS = 0  # places where two texts say different things (names, numbers)
REPLACED = 4  # edits in one place from which it is a change of words, not a typo
GAP = 3  # edits at most this far apart are one place
MAX_CANDIDATES = 60  # checked with rapidfuzz, those sharing the most bands first
BUCKET_CAP = 200  # the most recent petitions read from one band (form letters fill some)

_PRIME = (1 << 31) - 1
_rng = np.random.default_rng(20260401)
_A = _rng.integers(1, _PRIME, size=256, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=256, dtype=np.uint64)
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_NUMBER = re.compile(r"\d+")
_SALUTATION = re.compile(r"^\s*kinh\s*gui\b[^\n.]*(?:\n|\.|$)")


def _fold_table() -> dict[int, str]:
    """``common.text.fold`` as a translation table (C speed): each accented Latin letter to
    its base letter, đ to d, combining marks to nothing."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x2000):
        ch = chr(code)
        if unicodedata.category(ch) == "Mn":
            table[code] = ""
            continue
        folded = fold(ch)
        if folded != ch.lower() and folded.isascii():
            table[code] = folded
    return table


_FOLD = _fold_table()


def normalise(text: str) -> str:
    """Folded, lower-case words separated by single spaces, without the salutation line
    (``Kính gửi: ...``, which changes when the same letter goes to another body):
    ``"Kính gửi: UBND xã.\nĐất  đai!"`` -> ``"dat dai"``."""
    folded = (text or "").lower().translate(_FOLD)
    folded = _SALUTATION.sub("", folded, count=1)
    return _NOT_WORD.sub(" ", folded).strip()


def shingles(norm: str, size: int = SHINGLE) -> set[str]:
    if len(norm) <= size:
        return {norm} if norm else set()
    return {norm[i : i + size] for i in range(len(norm) - size + 1)}


def _shingle_codes(norm: str, size: int = SHINGLE) -> np.ndarray:
    """Every distinct ``size``-character shingle of an ASCII text as one integer (its bytes
    read as a number: no hashing needed, no collisions)."""
    raw = np.frombuffer(norm.encode("ascii", "ignore"), dtype=np.uint8).astype(np.uint64)
    if raw.size < size:
        raw = np.pad(raw, (0, size - raw.size))
    codes = np.zeros(raw.size - size + 1, dtype=np.uint64)
    for k in range(size):
        codes = (codes << np.uint64(8)) | raw[k : raw.size - size + 1 + k]
    return np.unique(codes)


def signature(norm: str, num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash signature of a normalised text (``num_perm`` unsigned ints), computed
    with universal hashing ``(a x + b) mod p`` over the shingles, all in numpy."""
    if not norm:
        return np.full(num_perm, _PRIME, dtype=np.uint64)
    codes = _shingle_codes(norm) % np.uint64(_PRIME)
    values = (codes[:, None] * _A[None, :num_perm] + _B[None, :num_perm]) % np.uint64(_PRIME)
    return values.min(axis=0)


def band_keys(sig: np.ndarray, rows: int = ROWS) -> list[int]:
    """One signed 64-bit key per band (the band's number is part of the key)."""
    keys = []
    for band in range(len(sig) // rows):
        chunk = sig[band * rows : (band + 1) * rows].astype("<u8").tobytes()
        digest = hashlib.blake2b(bytes([VERSION, band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def bands_of(text: str) -> list[int]:
    """The band keys of a raw text, or [] when it is too short to compare fuzzily."""
    norm = normalise(text)
    if len(norm) < MIN_CHARS:
        return []
    return band_keys(signature(norm))


def conflicts(a: str, b: str) -> int:
    """How many places two near-identical texts say different things.

    The character edits that turn ``a`` into ``b`` are grouped into places (edits at most
    ``GAP`` characters apart). A place is a conflict when it replaces a run of text
    (``REPLACED`` edits or more: another name, another word) or replaces a digit by another
    digit (another plot, amount or date). A typo (one or two edits), a letter for a digit,
    and text only added or only dropped (a sentence more) are not conflicts: the overall
    ratio weighs those."""
    count = 0
    place: list[tuple[str, int, int]] = []
    for edit in Levenshtein.editops(a, b):
        op = (edit.tag, edit.src_pos, edit.dest_pos)
        if place and op[1] - place[-1][1] > GAP and op[2] - place[-1][2] > GAP:
            count += _is_conflict(place, a, b)
            place = []
        place.append(op)
    if place:
        count += _is_conflict(place, a, b)
    return count


def _is_conflict(place: list[tuple[str, int, int]], a: str, b: str) -> bool:
    tags = {tag for tag, _, _ in place}
    if tags in ({"insert"}, {"delete"}):
        return False
    if len(place) >= REPLACED:
        return True
    return any(tag == "replace" and a[i].isdigit() and b[j].isdigit() for tag, i, j in place)


@dataclass(frozen=True)
class Verdict:
    score: float
    conflicts: int
    duplicate: bool


def compare(
    a: str, b: str, threshold: float = THRESHOLD, max_conflicts: int = MAX_CONFLICTS
) -> Verdict:
    """Whether two normalised texts are near-identical: similar enough character by character
    (rapidfuzz ratio, at least ``threshold``) and saying different things in at most
    ``max_conflicts`` places (two households' copies of one form letter differ exactly
    there: names, plots, areas, amounts)."""
    if not a or not b:
        return Verdict(0.0, 0, False)
    if a == b:
        return Verdict(1.0, 0, True)
    score = fuzz.ratio(a, b) / 100
    if score < threshold:
        return Verdict(score, 0, False)
    found = conflicts(a, b)
    return Verdict(score, found, found <= max_conflicts)


def rank(buckets: list[list[int]]) -> list[int]:
    """The candidates to check: ids found in the most bands first, then the most recent.
    Each bucket lists ids newest first and is read up to ``BUCKET_CAP``."""
    counts: Counter[int] = Counter()
    for ids in buckets:
        counts.update(ids[:BUCKET_CAP])
    ordered = sorted(counts.items(), key=lambda item: (-item[1], -item[0]))
    return [i for i, _ in ordered[:MAX_CANDIDATES]]
