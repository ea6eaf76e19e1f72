"""Which database a read goes to: the primary, or a streaming replica for read-heavy work.

Nothing goes to the replica by default. Code that may read slightly old data (dashboards,
reports, early-warning counts, exports) says so explicitly::

    from ops.routing import read_from_replica

    with read_from_replica():
        rows = scorecards(user, unit, day)

    @read_from_replica()
    def dashboard(request): ...

Inside such a block the router sends reads to the ``replica`` alias only when all of these
hold, and to the primary otherwise:

- ``DATABASE_REPLICA_URL`` is set (there is a ``replica`` alias);
- the model is not one that must always be current (sessions, officials, jobs, ...);
- no transaction is open on the primary (a transaction reads its own writes);
- the current request has not written anything, and the client's last write (the LSN the
  primary had reached after it, kept in a cookie for ``REPLICA_PIN_SECONDS``) has already
  been replayed on the replica: a page that follows a write is never stale, however far the
  replica lags;
- the replica answers and lags less than ``REPLICA_MAX_LAG_SECONDS`` (checked at most every
  ``REPLICA_HEALTH_SECONDS`` per process).

``using_database(alias)`` forces every non-vault query to one alias; ``restore --verify``
uses it to run the audit chain check against a scratch database.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections

DEFAULT = "default"
REPLICA = "replica"
VAULT = "vault"

# Apps whose rows are read right after they are written by the same request or the next one
# (logging in, session activity, tokens, the job queue): never read from a replica.
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions",
        "auth",
        "accounts",
        "axes",
        "otp_totp",
        "otp_static",
        "django_otp",
        "django_tasks_db",
        "contenttypes",
        "admin",
    }
)
LSN_COOKIE = "dutdiem_lsn"
_LSN_RE = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")


@dataclass
class RequestRouting:
    """Routing state of one request (set by ``ops.middleware.ReplicaMiddleware``)."""

    pin_lsn: str | None = None
    wrote: bool = False
    decision: bool | None = None


_request: ContextVar[RequestRouting | None] = ContextVar("dutdiem_request_routing", default=None)
_replica_wanted: ContextVar[bool] = ContextVar("dutdiem_replica_wanted", default=False)
_forced: ContextVar[str | None] = ContextVar("dutdiem_forced_alias", default=None)


@contextmanager
def read_from_replica() -> Iterator[None]:
    """Let the reads in this block go to the replica when that is safe (see module doc).
    Usable as a context manager and as a decorator."""
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


@contextmanager
def using_database(alias: str) -> Iterator[None]:
    """Send every non-vault read and write in this block to ``alias``."""
    token = _forced.set(alias)
    try:
        yield
    finally:
        _forced.reset(token)


@contextmanager
def request_routing(pin_lsn: str | None, wrote: bool) -> Iterator[RequestRouting]:
    state = RequestRouting(
        pin_lsn=pin_lsn if pin_lsn and _LSN_RE.match(pin_lsn) else None, wrote=wrote
    )
    token = _request.set(state)
    try:
        yield state
    finally:
        _request.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def alias_for_read(model: Any, hints: dict[str, Any]) -> str:
    forced = _forced.get()
    if forced:
        return forced
    instance = hints.get("instance")
    if instance is not None and instance._state.db in (DEFAULT, REPLICA):
        # Related objects come from where their instance came from, as Django does by default.
        return str(instance._state.db)
    if (
        _replica_wanted.get()
        and model._meta.app_label not in PRIMARY_ONLY_APPS
        and replica_usable()
    ):
        return REPLICA
    return DEFAULT


def alias_for_write(model: Any) -> str:
    forced = _forced.get()
    if forced:
        return forced
    state = _request.get()
    if state is not None and model._meta.app_label not in ("sessions", "axes"):
        # Session bookkeeping does not count: it is never shown back to the official.
        state.wrote = True
        state.decision = False
    return DEFAULT


def replica_usable() -> bool:
    """True when a read may go to the replica now (see the module doc for the conditions)."""
    if not replica_configured():
        return False
    if connections[DEFAULT].in_atomic_block:
        return False
    state = _request.get()
    if state is None:
        return _health().usable
    if state.wrote:
        return False
    if state.decision is None:
        state.decision = _health().usable and (state.pin_lsn is None or _replayed(state.pin_lsn))
    return state.decision


def primary_lsn() -> str | None:
    """The primary's current WAL position (PostgreSQL), to pin a client that just wrote."""
    connection = connections[DEFAULT]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        row = cursor.fetchone()
    return str(row[0]) if row else None


def _replayed(lsn: str) -> bool:
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)", [lsn])
            row = cursor.fetchone()
        return bool(row and row[0])
    except Exception:  # noqa: BLE001 - an unreachable replica means: read the primary
        _mark_down()
        return False


@dataclass(frozen=True)
class ReplicaHealth:
    usable: bool
    reachable: bool
    lag_seconds: float | None
    checked_at: float


_health_lock = threading.Lock()
_health_cache: ReplicaHealth | None = None


def _mark_down() -> None:
    global _health_cache
    connections[REPLICA].close()
    with _health_lock:
        _health_cache = ReplicaHealth(False, False, None, time.monotonic())


def replica_lag_seconds() -> float | None:
    """Seconds the replica is behind (0 when it has replayed all it received), or None."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
            " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
            " END"
        )
        row = cursor.fetchone()
    return float(row[0]) if row and row[0] is not None else None


def _health() -> ReplicaHealth:
    """The replica's state, measured at most every REPLICA_HEALTH_SECONDS per process; a
    replica that failed is left alone for that long before it is tried again."""
    global _health_cache
    now = time.monotonic()
    ttl = float(getattr(settings, "REPLICA_HEALTH_SECONDS", 2))
    cached = _health_cache
    if cached is not None and now - cached.checked_at < ttl:
        return cached
    try:
        lag = replica_lag_seconds()
    except Exception:  # noqa: BLE001 - any failure: the replica is not usable for now
        _mark_down()
        return _health_cache or ReplicaHealth(False, False, None, now)
    max_lag = float(getattr(settings, "REPLICA_MAX_LAG_SECONDS", 30))
    fresh = ReplicaHealth(lag is not None and lag <= max_lag, True, lag, now)
    with _health_lock:
        _health_cache = fresh
    return fresh


def reset_health() -> None:
    """Forget the measured replica state (tests, and after a configuration change)."""
    global _health_cache
    with _health_lock:
        _health_cache = None
