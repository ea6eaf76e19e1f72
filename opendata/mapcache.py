"""The public map's answer for a whole province, kept in the shared cache.

A province's map is the request every visitor of the map page makes, and building a
thousand GeoJSON features is most of its time; the answer is therefore kept per province
and form (the API's rendered JSON per status filter, the page's features) under the province's current *generation* (a random token in the same
cache). Any change to a proposal of the province through the petition services (filing,
status change, transfer, edit) draws a new token once its transaction commits, so the next
request builds the answer again; a stored answer also expires after
``PUBLIC_MAP_CACHE_SECONDS`` (0 turns the cache off; tests run without it unless they ask).

The token is drawn after the commit, so an answer built from the data before the change can
only ever be stored under the old token, which no later request reads.

The cache only ever saves time: when it cannot be read or written (a full disk under the
file cache), the answer is built from the database, and a change that cannot draw a new token
removes the old one, so that no stale answer is served. A failure of the cache never fails
the request nor the official's change that was already committed.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

PREFIX = "public-map"
log = logging.getLogger("dutdiem.opendata")


def _get(key: str) -> Any:
    try:
        return cache.get(key)
    except OSError as exc:
        log.warning("public map cache unreadable (%s): built from the database", exc)
        return None


def _set(key: str, value: Any, seconds: int | None) -> bool:
    try:
        cache.set(key, value, seconds)
    except OSError as exc:
        log.warning("public map cache not written (%s)", exc)
        return False
    return True


def _seconds() -> int:
    return int(getattr(settings, "PUBLIC_MAP_CACHE_SECONDS", 0))


def _generation(province: str) -> str:
    key = f"{PREFIX}:gen:{province}"
    token = _get(key)
    if token is None:
        token = secrets.token_hex(6)
        # Outlives the answers it names: an expired token only means one rebuild.
        _set(key, token, None)
    return str(token)


def province_answer[T](province: str, variant: str, build: Callable[[], T]) -> T:
    """The province's map answer in ``variant`` (the API's JSON for a status filter, the
    page's features) from the cache, else ``build()``, stored."""
    seconds = _seconds()
    if seconds <= 0:
        return build()
    key = f"{PREFIX}:{province}:{_generation(province)}:{variant}"
    answer = _get(key)
    if answer is None:
        answer = build()
        _set(key, answer, seconds)
    return answer


def forget_province(province: str) -> None:
    """Draw a new generation for the province once the current transaction commits (at
    once outside a transaction): its stored answers are no longer read."""
    if not province or _seconds() <= 0:
        return

    def renew() -> None:
        key = f"{PREFIX}:gen:{province}"
        if _set(key, secrets.token_hex(6), None):
            return
        try:  # no new token: at least no old one, so nothing stale is read
            cache.delete(key)
        except OSError as exc:
            log.error("public map cache of province %s may be stale (%s)", province, exc)

    transaction.on_commit(renew, robust=True)


def proposal_changed(petition: Any) -> None:
    """What the petition services call after changing a petition: a proposal's province
    gets a new generation (nothing is read while the cache is off)."""
    if petition.kind == "proposal" and _seconds() > 0:
        forget_province(petition.matter.province)
