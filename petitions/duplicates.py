"""Finding petitions that look the same as another (API.md: same petitioner ID, or
near-identical content, in any unit).

A simple first version: the same ID number (compared as keyed hashes) or the same content
once folded (case, diacritics, punctuation and spacing ignored). Both are single indexed
lookups. The sealed-identity work (issue 4) replaces this with a vault blind index and fuzzy
matching; callers only rely on ``find_duplicates(petition) -> list[str]``.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

from common.text import fold
from petitions.models import Petition, PetitionerKey

MAX_RESULTS = 50
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def id_key(id_number: str) -> str:
    """A keyed hash of an ID number: equal numbers give equal keys; the number cannot be read
    back without the server's secret."""
    secret = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(secret, f"petitioner-id:{id_number}".encode(), hashlib.sha256).hexdigest()


def content_key(text: str) -> str:
    """A fingerprint of the content that ignores case, accents, punctuation and spacing;
    empty for an empty text."""
    folded = _NOT_WORD.sub("", fold(text or ""))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest() if folded else ""


def find_duplicates(petition: Petition) -> list[str]:
    """Codes of other petitions, in any unit, with the same petitioner ID or the same content,
    ordered by code (at most ``MAX_RESULTS``)."""
    own = PetitionerKey.objects.filter(petition=petition).values("key")
    ids = set(
        PetitionerKey.objects.filter(key__in=own)
        .exclude(petition=petition)
        .values_list("petition_id", flat=True)
    )
    if petition.content_key:
        ids |= set(
            Petition.objects.filter(content_key=petition.content_key)
            .exclude(pk=petition.pk)
            .values_list("pk", flat=True)[:MAX_RESULTS]
        )
    if not ids:
        return []
    return list(
        Petition.objects.filter(pk__in=ids)
        .order_by("matter__code")
        .values_list("matter__code", flat=True)[:MAX_RESULTS]
    )
