"""Writing to the outbox (inside the change's transaction) and delivering from it (the job
worker).

Delivery is at least once: a worker that dies while sending leaves its claim to expire, and
the message is sent again. Receivers make that harmless with the ``Idempotency-Key`` (the
message's ``key``). Messages of one ``order_key`` go in the order they were written.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.errors import Invalid, NotFound
from outbox.channels import Gateway, NotConfigured, Rejected, Retry, get_channel
from outbox.models import Message

log = logging.getLogger(__name__)
Status = Message.Status


# --- writing ------------------------------------------------------------------------------------


def outbox_put(*, channel: str, key: str, payload: dict[str, Any], order_key: str = "") -> None:
    """Put one message in the outbox, in the caller's transaction: it is delivered only if
    that transaction commits. A message with the same (channel, key) is put once."""
    outbox_put_many(channel=channel, items=[(key, payload, order_key)])


def outbox_put_many(*, channel: str, items: Iterable[tuple[str, dict[str, Any], str]]) -> int:
    """``outbox_put`` for many messages at once: ``items`` are (key, payload, order_key).
    Returns how many were given (those already there are left as they are)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_put must be called inside the transaction of the change")
    get_channel(channel)  # an unknown channel is a programming error, found at once
    now = timezone.now()
    rows = [
        Message(
            channel=channel,
            key=key,
            payload=payload,
            order_key=order_key,
            next_attempt_at=now,
            created_at=now,
        )
        for key, payload, order_key in items
    ]
    for start in range(0, len(rows), 2000):
        Message.objects.bulk_create(rows[start : start + 2000], ignore_conflicts=True)
    if rows and settings.OUTBOX_DELIVER_ON_COMMIT:
        _deliver_after_commit()
    return len(rows)


def _deliver_after_commit() -> None:
    """Ask the worker for a delivery once the transaction commits (once per transaction)."""
    pending = getattr(connection, "run_on_commit", [])
    if any(func is request_delivery for _sids, func, _robust in pending):
        return
    transaction.on_commit(request_delivery, robust=True)


def request_delivery(run_after: datetime | None = None) -> bool:
    """Enqueue the delivery job, unless one that will run by ``run_after`` is already
    waiting. Returns whether a job was enqueued."""
    from outbox.tasks import deliver_outbox

    backend = deliver_outbox.get_backend()
    if run_after is not None and not backend.supports_defer:
        return False
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult, get_date_max

        waiting = DBTaskResult.objects.filter(
            task_path=deliver_outbox.module_path, status="READY"
        ).filter(Q(run_after=get_date_max()) | Q(run_after__lte=run_after or timezone.now()))
        if waiting.exists():
            return False
    task = deliver_outbox.using(run_after=run_after) if run_after else deliver_outbox
    task.enqueue()
    return True


# --- delivering ---------------------------------------------------------------------------------


def backoff_seconds(attempts: int) -> float:
    """How long to wait after the ``attempts``-th failed try: doubling from
    ``OUTBOX_BACKOFF_SECONDS``, at most ``OUTBOX_BACKOFF_MAX_SECONDS``, give or take a fifth
    so that messages that failed together do not all come back together."""
    base = float(settings.OUTBOX_BACKOFF_SECONDS)
    delay = min(base * (2 ** max(attempts - 1, 0)), float(settings.OUTBOX_BACKOFF_MAX_SECONDS))
    return delay * random.uniform(0.8, 1.2)


def _due(now: datetime) -> Any:
    earlier_unsent = (
        Message.objects.filter(
            channel=OuterRef("channel"), order_key=OuterRef("order_key"), id__lt=OuterRef("id")
        )
        .exclude(status__in=[Status.SENT, Status.DISCARDED])
        .values("id")
    )
    return (
        Message.objects.filter(
            Q(status=Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Status.SENDING, lease_until__lt=now)
        )
        .filter(Q(order_key="") | ~Exists(earlier_unsent))
        .order_by("id")
    )


def claim(*, limit: int, now: datetime | None = None) -> tuple[str, list[Message]]:
    """Take up to ``limit`` due messages for this worker: they are ``sending`` until the
    lease ends. Of the messages of one order key only the oldest unsent one can be due.

    On PostgreSQL rows another worker is claiming are skipped (``SKIP LOCKED``); SQLite has
    one writer at a time (the transaction takes the write lock at its start). Returns the
    claim token and the messages, oldest first."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    lease = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            _due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return token, []
        Message.objects.filter(id__in=ids).update(
            status=Status.SENDING, lease_until=lease, claim=token, attempts=F("attempts") + 1
        )
    return token, list(Message.objects.filter(id__in=ids, claim=token).order_by("id"))


@dataclass
class Round:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    dead: int = 0
    held: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, other: Round) -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.retried += other.retried
        self.dead += other.dead
        self.held += other.held
        for key, value in other.errors.items():
            self.errors[key] = self.errors.get(key, 0) + value

    def as_dict(self) -> dict[str, Any]:
        return {
            "claimed": self.claimed,
            "sent": self.sent,
            "retried": self.retried,
            "dead": self.dead,
            "held": self.held,
            "errors": dict(self.errors),
        }


Update = tuple[Message, dict[str, Any]]


def _apply(updates: list[Update], token: str) -> None:
    """Write the results of a batch in one short transaction (no network inside it), each
    only while the claim is still ours: a worker whose lease ran out, and whose message
    another worker took, must not overwrite the other's result."""
    with transaction.atomic():
        for message, fields in updates:
            Message.objects.filter(pk=message.pk, claim=token).update(lease_until=None, **fields)


def _send_one(gateway: Gateway, message: Message) -> str | Exception:
    try:
        return gateway.send(message)
    except Exception as exc:  # judged by the caller, in order
        return exc


def _send_all(
    channel_name: str, messages: list[Message], now: datetime, result: Round
) -> list[Update]:
    """Send a batch and say what becomes of each message. A batch holds at most one message
    per order key, so they may go in parallel: the channel's ``concurrency`` in flight at a
    time. When the other side turns out to be unreachable (refused, or as many time-outs in
    a row as are in flight) or not configured, what has not been sent yet waits, without
    using up a try."""
    channel = get_channel(channel_name)
    updates: list[Update] = []
    try:
        gateway = channel.gateway()
    except NotConfigured as exc:
        return _hold(messages, now, str(exc), result)
    width = max(channel.concurrency, 1)
    pool = ThreadPoolExecutor(max_workers=width) if width > 1 else None
    pending: list[tuple[Message, Any]] = [
        (m, pool.submit(_send_one, gateway, m) if pool is not None else None) for m in messages
    ]
    stop: tuple[str, Any] | None = None
    unsent: list[Message] = []
    timeouts_in_a_row = 0
    try:
        for message, future in pending:
            if stop is not None and (future is None or future.cancel()):
                unsent.append(message)
                continue
            outcome = future.result() if future is not None else _send_one(gateway, message)
            timeouts_in_a_row = timeouts_in_a_row + 1 if getattr(outcome, "timed_out", False) else 0
            if isinstance(outcome, NotConfigured):
                updates += _hold([message], now, str(outcome), result)
                stop = stop or ("hold", str(outcome))
            elif isinstance(outcome, Rejected):
                result.dead += 1
                _count(result, outcome)
                updates.append((message, {"status": Status.DEAD, "last_error": str(outcome)[:500]}))
                log.warning("outbox %s %s rejected: %s", channel_name, message.pk, outcome)
            elif isinstance(outcome, Exception):  # Retry, or anything unexpected
                _count(result, outcome)
                delay, fields = _retry(message, now, outcome, result)
                updates.append((message, fields))
                if getattr(outcome, "down", False) or timeouts_in_a_row >= width:
                    stop = stop or ("down", now + timedelta(seconds=delay))
            else:
                result.sent += 1
                fields = {
                    "status": Status.SENT,
                    "sent_at": timezone.now(),
                    "receipt": outcome[:300],
                    "last_error": "",
                }
                updates.append((message, fields))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        gateway.close()
    if stop is not None and unsent:
        kind, value = stop
        updates += _hold(unsent, now, value, result) if kind == "hold" else _release(unsent, value)
    return updates


def _count(result: Round, exc: Exception) -> None:
    kind = str(exc).split(":")[0] if isinstance(exc, Retry | Rejected) else type(exc).__name__
    result.errors[kind] = result.errors.get(kind, 0) + 1


def _retry(
    message: Message, now: datetime, exc: Exception, result: Round
) -> tuple[float, dict[str, Any]]:
    error = (str(exc) or type(exc).__name__)[:500]
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        result.dead += 1
        log.warning("outbox %s %s given up: %s", message.channel, message.pk, error)
        return float(settings.OUTBOX_BACKOFF_SECONDS), {"status": Status.DEAD, "last_error": error}
    result.retried += 1
    delay = backoff_seconds(message.attempts)
    asked = getattr(exc, "retry_after", None)
    if asked is not None:
        delay = min(max(float(asked), 0.0), float(settings.OUTBOX_BACKOFF_MAX_SECONDS))
    return delay, {
        "status": Status.PENDING,
        "next_attempt_at": now + timedelta(seconds=delay),
        "last_error": error,
    }


def _hold(messages: list[Message], now: datetime, why: str, result: Round) -> list[Update]:
    """The channel cannot send yet: the messages wait, their tries untouched."""
    result.held += len(messages)
    later = now + timedelta(seconds=settings.OUTBOX_BACKOFF_MAX_SECONDS)
    fields = {
        "status": Status.PENDING,
        "attempts": F("attempts") - 1,
        "next_attempt_at": later,
        "last_error": why[:500],
    }
    return [(m, dict(fields)) for m in messages]


def _release(messages: list[Message], when: datetime) -> list[Update]:
    fields = {"status": Status.PENDING, "attempts": F("attempts") - 1, "next_attempt_at": when}
    return [(m, dict(fields)) for m in messages]


def deliver_due(*, limit: int | None = None, now: datetime | None = None) -> Round:
    """One round: claim the due messages and send each through its channel's gateway."""
    now = now or timezone.now()
    token, messages = claim(limit=limit or settings.OUTBOX_BATCH, now=now)
    result = Round(claimed=len(messages))
    by_channel: dict[str, list[Message]] = {}
    for message in messages:
        by_channel.setdefault(message.channel, []).append(message)
    updates: list[Update] = []
    for name, batch in by_channel.items():
        updates += _send_all(name, batch, now, result)
    _apply(updates, token)
    return result


def deliver(*, budget_seconds: float | None = None) -> Round:
    """Rounds until nothing is due or the time budget is spent; then make sure a job will
    come back for what is left (a retry that falls due later, or the rest of a long queue)."""
    budget = settings.OUTBOX_JOB_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    total = Round()
    while True:
        result = deliver_due()
        total.add(result)
        if result.claimed == 0:
            break
        if time.monotonic() - started > budget:
            request_delivery_soon()
            return total
    next_at = next_attempt_at()
    if next_at is not None:
        request_delivery(run_after=max(next_at, timezone.now()))
    return total


def request_delivery_soon() -> None:
    request_delivery(run_after=None)


def _wake_after_commit() -> None:
    if settings.OUTBOX_DELIVER_ON_COMMIT:
        transaction.on_commit(request_delivery_soon, robust=True)


def next_attempt_at() -> datetime | None:
    """When the next waiting message falls due (or a claim runs out), if any."""
    pending = (
        Message.objects.filter(status=Status.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    leased = (
        Message.objects.filter(status=Status.SENDING)
        .order_by("lease_until")
        .values_list("lease_until", flat=True)
        .first()
    )
    found = [t for t in (pending, leased) if t is not None]
    return min(found) if found else None


# --- administrators' actions --------------------------------------------------------------------


def _message(message_id: int) -> Message:
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise NotFound(_("No outgoing message %(id)s.") % {"id": message_id})
    return message


def _not_dead(message: Message) -> str:
    return _("Message %(key)s is %(status)s, not given up.") % {
        "key": message.key,
        "status": Status(message.status).label,
    }


@transaction.atomic
def message_requeue(*, actor: Any, message_id: int) -> Message:
    """Give a dead message a fresh set of tries, due now."""
    message = _message(message_id)
    if message.status != Status.DEAD:
        raise Invalid({"message": _not_dead(message)})
    _requeue([message.pk])
    audit_record(
        actor=actor,
        action="outbox.requeue",
        data={"channel": message.channel, "key": message.key, "message": message.pk},
    )
    _wake_after_commit()
    message.refresh_from_db()
    return message


@transaction.atomic
def channel_requeue_dead(*, actor: Any, channel: str) -> int:
    """Requeue every dead message of ``channel``; returns how many."""
    get_channel(channel)
    ids = list(
        Message.objects.filter(channel=channel, status=Status.DEAD).values_list("id", flat=True)
    )
    if ids:
        _requeue(ids)
        audit_record(
            actor=actor, action="outbox.requeue", data={"channel": channel, "count": len(ids)}
        )
        _wake_after_commit()
    return len(ids)


def _requeue(ids: list[int]) -> None:
    Message.objects.filter(id__in=ids).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_until=None
    )


@transaction.atomic
def message_discard(*, actor: Any, message_id: int, reason: str) -> Message:
    """Give up a dead message for good (the messages of its order key waiting behind it go
    on). The reason is required and audited."""
    message = _message(message_id)
    reason = (reason or "").strip()
    errors = {}
    if message.status != Status.DEAD:
        errors["message"] = _not_dead(message)
    if not reason:
        errors["reason"] = _("required: say why it is given up for good")
    if errors:
        raise Invalid(errors)
    Message.objects.filter(pk=message.pk).update(status=Status.DISCARDED)
    audit_record(
        actor=actor,
        action="outbox.discard",
        data={"channel": message.channel, "key": message.key, "reason": reason[:300]},
    )
    _wake_after_commit()
    message.refresh_from_db()
    return message


def prune_sent(*, days: int | None = None) -> int:
    """Delete messages sent more than ``days`` (OUTBOX_KEEP_DAYS) ago; returns how many."""
    keep = settings.OUTBOX_KEEP_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=keep)
    deleted, _ = Message.objects.filter(status=Status.SENT, sent_at__lt=cutoff).delete()
    return deleted
