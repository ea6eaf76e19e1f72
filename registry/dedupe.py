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
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from registry.register import ascii_fold

VERSION = 2
SHINGLE = 5  # characters per shingle
NUM_PERM = 96
ROWS = 6  # rows per band: 16 bands
MIN_CHARS = 30  # shorter texts are matched only when identical
THRESHOLD = 0.75  # rapidfuzz similarity (0..1) from which two texts are near-identical
MAX_CONFLICTS = 0  # places where two texts say different things (names, numbers)
REPLACED = 4  # edits in one place from which it is a change of words, not a typo
GAP = 3  # edits at most this far apart are one place
MAX_CANDIDATES = 60  # checked with rapidfuzz, those sharing the most bands first
BUCKET_CAP = 200  # petitions read from one band before the one asked about (half as many
# after it): form letters fill some bands with thousands

_rng = np.random.default_rng(20260401)
# Odd 64-bit multipliers and 64-bit offsets of the multiply-shift hash functions.
_A = _rng.integers(0, 2**63, size=256, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, size=256, dtype=np.uint64)
# Byte table keeping 0-9 and a-z and turning every other byte into a space.
_WORD_BYTES = bytes(b if chr(b).isdigit() or "a" <= chr(b) <= "z" else 32 for b in range(256))
_NUMBER = re.compile(r"\d+")
_SALUTATION = re.compile(r"^\s*kinh\s*gui\b[^\n.]*(?:\n|\.|$)")


def normalise(text: str) -> str:
    """Folded, lower-case words separated by single spaces, without the salutation line
    (``Kính gửi: ...``, which changes when the same letter goes to another body):
    ``"Kính gửi: UBND xã.\nĐất  đai!"`` -> ``"dat dai"``."""
    folded = _SALUTATION.sub("", ascii_fold(text or ""), count=1)
    return " ".join(folded.encode("ascii").translate(_WORD_BYTES).decode("ascii").split())


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
    """The MinHash signature of a normalised text (``num_perm`` unsigned ints): for each of
    ``num_perm`` multiply-shift hash functions ``(a x + b) >> 32`` (64-bit, wrapping), the
    least hash over the text's shingles. All in numpy, no modulo."""
    if not norm:
        return np.full(num_perm, np.iinfo(np.uint64).max >> np.uint64(32), dtype=np.uint64)
    codes = _shingle_codes(norm)
    with np.errstate(over="ignore"):
        values = codes[:, None] * _A[None, :num_perm] + _B[None, :num_perm]
    return (values >> np.uint64(32)).min(axis=0)


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


def conflicts(a: str, b: str, stop_after: int = 1 << 30) -> int:
    """How many places two near-identical texts say different things (counting stops past
    ``stop_after``).

    The runs of edits that turn ``a`` into ``b`` are grouped into places (runs at most
    ``GAP`` equal characters apart). A place is a conflict when it replaces text (at least
    ``REPLACED`` characters changed on one side: another name, another word) or puts a digit
    where there was another digit (another plot, amount or date). A typo (one or two
    characters), a letter typed for a digit, and text only added or only dropped (a sentence
    more) are not conflicts: the overall ratio weighs those."""
    count = 0
    place: list[tuple[str, int, int, int, int]] = []
    for block in Levenshtein.opcodes(a, b):
        if block.tag == "equal":
            if place and block.src_end - block.src_start > GAP:
                count += _is_conflict(place, a, b)
                place = []
                if count > stop_after:
                    return count
            continue
        place.append((block.tag, block.src_start, block.src_end, block.dest_start, block.dest_end))
    if place:
        count += _is_conflict(place, a, b)
    return count


def _is_conflict(place: list[tuple[str, int, int, int, int]], a: str, b: str) -> bool:
    tags = {tag for tag, *_ in place}
    if tags in ({"insert"}, {"delete"}):
        return False
    removed = sum(i2 - i1 for _, i1, i2, _, _ in place)
    added = sum(j2 - j1 for _, _, _, j1, j2 in place)
    if max(removed, added) >= REPLACED:
        return True
    return any(
        tag == "replace"
        and any(ch.isdigit() for ch in a[i1:i2])
        and any(ch.isdigit() for ch in b[j1:j2])
        for tag, i1, i2, j1, j2 in place
    )


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
    found = conflicts(a, b, stop_after=max_conflicts)
    return Verdict(score, found, found <= max_conflicts)


def rank(buckets: list[list[int]], near: int | None = None) -> list[int]:
    """The candidates to check: ids found in the most bands first, then those nearest to
    ``near`` (the petition asked about: a copy is filed close in time to its original), or
    the most recent. Each bucket is read up to ``BUCKET_CAP`` ids."""
    counts: Counter[int] = Counter()
    for ids in buckets:
        counts.update(ids[: BUCKET_CAP + BUCKET_CAP // 2])
    if near is None:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], -item[0]))
    else:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], abs(item[0] - near)))
    return [i for i, _ in ordered[:MAX_CANDIDATES]]
