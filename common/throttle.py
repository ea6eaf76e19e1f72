"""Counting requests per key (a client address, an official, a petition) in fixed time windows,
and refusing the ones over a limit with 429 and the seconds to wait.

The counts live in the database (the model named by ``settings.THROTTLE_MODEL``,
``registry.PublicThrottle``, the table the public tracking page started with) so that every
web process and every server shares them.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.http import HttpRequest

from common.errors import DomainError


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` hits per key in each window of ``seconds``; ``scope`` (up to 20
    characters) keeps the counts of different limits apart."""

    scope: str
    limit: int
    seconds: int


class TooMany(DomainError):
    """Over a limit (429); ``retry_after`` is the number of seconds until the window ends."""

    status = 429

    def __init__(self, retry_after: int, what: str = "requests") -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(
            f"too many {what}; try again in {minutes} minute{'s' if minutes != 1 else ''}"
        )
        self.retry_after = retry_after
        self.minutes = minutes


def client_address(request: HttpRequest) -> str:
    """The caller's address: behind the production reverse proxy, the one the proxy saw
    (the last entry it appended to X-Forwarded-For); otherwise the socket's."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1][:100]
    return str(request.META.get("REMOTE_ADDR", "unknown"))[:100]


def _counts() -> Any:
    """The model of the counts (common sits below every app, so it is looked up by name)."""
    return apps.get_model(settings.THROTTLE_MODEL)


def _window(seconds: int) -> tuple[int, int]:
    now = int(time.time())
    start = now - now % seconds
    return start, start + seconds - now


def hits(limit: Limit, key: str) -> tuple[int, int]:
    """How many hits ``key`` has in the current window, and the seconds left in it."""
    PublicThrottle = _counts()
    start, left = _window(limit.seconds)
    row = (
        PublicThrottle.objects.filter(scope=limit.scope, key=key[:100], window=start)
        .values_list("hits", flat=True)
        .first()
    )
    return row or 0, left


def add(limit: Limit, key: str, by: int = 1) -> int:
    """Count ``by`` more hits for ``key`` in the current window; returns the new total."""
    PublicThrottle = _counts()
    key = key[:100]
    start, _left = _window(limit.seconds)
    rows = PublicThrottle.objects.filter(scope=limit.scope, key=key, window=start)
    with transaction.atomic():
        if not rows.update(hits=F("hits") + by):
            try:
                with transaction.atomic():
                    PublicThrottle.objects.create(scope=limit.scope, key=key, window=start, hits=by)
            except IntegrityError:
                rows.update(hits=F("hits") + by)
    # Forget windows older than two days, now and then.
    if secrets.randbelow(200) == 0:
        PublicThrottle.objects.filter(window__lt=int(time.time()) - 2 * 86400).delete()
    return rows.values_list("hits", flat=True).first() or by


def take(limit: Limit, key: str, by: int = 1, what: str = "requests") -> int:
    """``refuse_if_over`` then ``add`` in one statement: counts ``by`` more hits for ``key``
    unless that would take it over ``limit`` (TooMany then, and nothing counted); returns
    the new total. The insert-or-add and its check are one row-locked statement, so two
    requests at once cannot both pass the last place."""
    PublicThrottle = _counts()
    start, left = _window(limit.seconds)
    if by > limit.limit:
        raise TooMany(left, what)
    connection = connections[router.db_for_write(PublicThrottle)]
    quote = connection.ops.quote_name
    table = quote(PublicThrottle._meta.db_table)
    scope, key_, window, hits_ = (quote(n) for n in ("scope", "key", "window", "hits"))
    # Names quoted from the model, values as parameters.
    sql = (
        f"INSERT INTO {table} ({scope}, {key_}, {window}, {hits_}) VALUES (%s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({scope}, {key_}, {window}) DO UPDATE SET {hits_} = {table}.{hits_} + %s "
        f"WHERE {table}.{hits_} + %s <= %s RETURNING {hits_}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit.scope, key[:100], start, by, by, by, limit.limit])
        row = cursor.fetchone()
    if row is None:
        raise TooMany(left, what)
    if secrets.randbelow(200) == 0:
        PublicThrottle.objects.filter(window__lt=int(time.time()) - 2 * 86400).delete()
    return int(row[0])


def refuse_if_over(limit: Limit, key: str, by: int = 1, what: str = "requests") -> None:
    """TooMany (saying "too many ``what``") if ``by`` more hits would take ``key`` over
    ``limit`` in this window."""
    count, left = hits(limit, key)
    if count + by > limit.limit:
        raise TooMany(left, what)
