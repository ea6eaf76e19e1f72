"""The outbox: written with the change, delivered with retries and back-off, in order per
order key, given up after the last try, requeued or discarded by an administrator."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from outbox import services
from outbox.channels import _CHANNELS, NotConfigured, Rejected, Retry, register
from outbox.gateways import FileGateway
from outbox.models import Message

Status = Message.Status


class ScriptedGateway:
    """A gateway whose answers the test decides, one per send (then "ok" forever)."""

    answers: list[Any] = []
    seen: list[str] = []

    def describe(self) -> str:
        return "scripted"

    def send(self, message: Message) -> str:
        self.seen.append(message.key)
        answer = self.answers.pop(0) if self.answers else "ok"
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self) -> None:
        pass


def _not_configured_yet() -> Any:
    raise NotConfigured("later")


@pytest.fixture(autouse=True)
def test_channels() -> Any:
    """The test channels exist only while a test of this module runs (other tests, such as
    the crawl of the outbox page, must not meet them)."""
    saved = dict(_CHANNELS)
    register("scripted", ScriptedGateway)
    register("unset-later", _not_configured_yet)
    yield
    _CHANNELS.clear()
    _CHANNELS.update(saved)


@pytest.fixture
def scripted(settings: Any) -> type[ScriptedGateway]:
    ScriptedGateway.answers = []
    ScriptedGateway.seen = []
    settings.OUTBOX_BACKOFF_SECONDS = 10
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 100
    settings.OUTBOX_MAX_ATTEMPTS = 3
    return ScriptedGateway


def put(key: str, order_key: str = "", channel: str = "scripted") -> None:
    with transaction.atomic():
        services.outbox_put(channel=channel, key=key, payload={"k": key}, order_key=order_key)


def later(seconds: float) -> Any:
    return timezone.now() + timedelta(seconds=seconds)


def status(key: str) -> str:
    return Message.objects.get(key=key).status


@pytest.mark.django_db(transaction=True)
def test_put_needs_the_change_transaction_and_a_known_channel() -> None:
    with pytest.raises(RuntimeError):
        services.outbox_put(channel="scripted", key="x", payload={})
    with pytest.raises(LookupError), transaction.atomic():
        services.outbox_put(channel="nowhere", key="x", payload={})
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_message_and_a_key_is_put_once(scripted: Any) -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        services.outbox_put(channel="scripted", key="a", payload={})
        1 / 0  # noqa: B018
    assert not Message.objects.exists()
    put("a")
    put("a")
    assert Message.objects.filter(key="a").count() == 1


@pytest.mark.django_db
def test_delivered_once_then_left_alone(scripted: Any) -> None:
    put("a")
    first = services.deliver_due()
    assert (first.claimed, first.sent) == (1, 1)
    message = Message.objects.get(key="a")
    assert message.status == Status.SENT and message.sent_at and message.receipt == "ok"
    assert services.deliver_due(now=later(10**6)).claimed == 0
    assert scripted.seen == ["a"]


@pytest.mark.django_db
def test_retries_back_off_then_give_up(scripted: Any) -> None:
    scripted.answers = [Retry("HTTP 500: boom"), Retry("HTTP 503: busy"), Retry("HTTP 500")]
    put("a")
    start = timezone.now()
    assert services.deliver_due(now=start).retried == 1
    message = Message.objects.get(key="a")
    assert message.status == Status.PENDING and message.attempts == 1
    # The first wait is OUTBOX_BACKOFF_SECONDS, give or take a fifth; not due before it.
    assert 8 <= (message.next_attempt_at - start).total_seconds() <= 12
    assert services.deliver_due(now=start + timedelta(seconds=5)).claimed == 0
    assert services.deliver_due(now=start + timedelta(seconds=13)).retried == 1
    message.refresh_from_db()
    assert 16 <= (message.next_attempt_at - start - timedelta(seconds=13)).total_seconds() <= 24
    # The third failure is the last try (OUTBOX_MAX_ATTEMPTS = 3).
    result = services.deliver_due(now=start + timedelta(seconds=100))
    assert result.dead == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.DEAD, 3, "HTTP 500")
    assert services.deliver_due(now=later(10**6)).claimed == 0


@pytest.mark.django_db
def test_retry_after_from_the_other_side_is_honoured(scripted: Any) -> None:
    scripted.answers = [Retry("HTTP 429", retry_after=70)]
    put("a")
    start = timezone.now()
    services.deliver_due(now=start)
    wait = (Message.objects.get(key="a").next_attempt_at - start).total_seconds()
    assert wait == pytest.approx(70)


@pytest.mark.django_db
def test_a_rejected_message_is_given_up_at_once(scripted: Any) -> None:
    scripted.answers = [Rejected("HTTP 422: bad record")]
    put("a")
    assert services.deliver_due().dead == 1
    assert status("a") == Status.DEAD


@pytest.mark.django_db
def test_order_key_a_later_message_waits_for_the_earlier(scripted: Any) -> None:
    put("p1-v1", "p1")
    put("p1-v2", "p1")
    put("p2-v1", "p2")
    scripted.answers = [Retry("HTTP 500")]  # p1-v1 fails once
    result = services.deliver_due()
    # One message per order key per round: p1-v2 was not even tried.
    assert scripted.seen == ["p1-v1", "p2-v1"]
    assert (result.sent, result.retried) == (1, 1)
    assert services.deliver_due().claimed == 0  # p1-v1 not due yet, p1-v2 behind it
    services.deliver_due(now=later(60))
    services.deliver_due(now=later(60))
    assert scripted.seen == ["p1-v1", "p2-v1", "p1-v1", "p1-v2"]
    assert {m.status for m in Message.objects.all()} == {Status.SENT}


@pytest.mark.django_db
def test_a_dead_letter_holds_its_order_key_until_requeued_or_discarded(
    scripted: Any, world: Any, client: Any
) -> None:
    put("p1-v1", "p1")
    put("p1-v2", "p1")
    put("p1-v3", "p1")
    scripted.answers = [Rejected("HTTP 422")]
    services.deliver_due()
    assert status("p1-v1") == Status.DEAD
    assert services.deliver_due(now=later(10**6)).claimed == 0  # v2 waits behind the dead v1
    dead = Message.objects.get(key="p1-v1")

    # Requeue through the page (audited); then v1, v2 go in order.
    client.force_login(world.admin)
    response = client.post(f"/outbox/{dead.pk}/requeue/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="outbox.requeue").count() == 1
    scripted.answers = ["ok", Rejected("HTTP 422")]
    services.deliver_due()
    services.deliver_due()
    assert [status(k) for k in ("p1-v1", "p1-v2", "p1-v3")] == [
        Status.SENT,
        Status.DEAD,
        Status.PENDING,
    ]
    # Discarding needs a reason; with one, v3 goes on.
    v2 = Message.objects.get(key="p1-v2")
    client.post(f"/outbox/{v2.pk}/discard/", {"reason": ""})
    assert status("p1-v2") == Status.DEAD
    client.post(f"/outbox/{v2.pk}/discard/", {"reason": "refused by the receiver, sent by hand"})
    assert status("p1-v2") == Status.DISCARDED
    assert AuditEvent.objects.filter(action="outbox.discard").count() == 1
    services.deliver_due()
    assert status("p1-v3") == Status.SENT
    assert scripted.seen == ["p1-v1", "p1-v1", "p1-v2", "p1-v3"]


@pytest.mark.django_db
def test_a_channel_not_configured_holds_messages_without_using_tries(scripted: Any) -> None:
    calls = []

    def broken() -> Any:
        calls.append(1)
        raise NotConfigured("no endpoint")

    register("unset", broken)
    put("a", channel="unset")
    result = services.deliver_due()
    message = Message.objects.get(key="a")
    assert (result.held, message.status, message.attempts) == (1, Status.PENDING, 0)
    assert message.last_error == "no endpoint"
    assert message.next_attempt_at > later(90)


@pytest.mark.django_db
def test_a_down_gateway_costs_one_try_not_one_per_message(scripted: Any) -> None:
    for i in range(5):
        put(f"m{i}")
    scripted.answers = [Retry("ConnectError: refused", down=True)]
    result = services.deliver_due()
    assert (result.claimed, result.retried) == (5, 1)
    assert scripted.seen == ["m0"]
    tries = dict(Message.objects.values_list("key", "attempts"))
    assert tries == {"m0": 1, "m1": 0, "m2": 0, "m3": 0, "m4": 0}
    assert Message.objects.filter(status=Status.PENDING, next_attempt_at__gt=later(5)).count() == 5


@pytest.mark.django_db
def test_a_claimed_message_is_not_claimed_again_until_its_lease_ends(scripted: Any) -> None:
    put("a")
    token, claimed = services.claim(limit=10)
    assert [m.key for m in claimed] == ["a"]
    assert services.claim(limit=10)[1] == []
    # The worker died: after the lease another one takes it; the first one's late result
    # is not written over the second's.
    token2, again = services.claim(limit=10, now=later(10**4))
    assert [m.attempts for m in again] == [2]
    services._apply([(claimed[0], {"status": Status.DEAD})], token)
    assert status("a") == Status.SENDING
    services._apply([(again[0], {"status": Status.SENT})], token2)
    assert status("a") == Status.SENT


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_claim_the_same_message(scripted: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; SKIP LOCKED is PostgreSQL's")
    import threading

    from django.db import connections

    for i in range(300):
        put(f"m{i}")
    claimed: list[list[int]] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        mine = []
        try:
            while True:
                _token, batch = services.claim(limit=7)
                if not batch:
                    break
                mine += [m.pk for m in batch]
        finally:
            connections.close_all()
        claimed.append(mine)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [pk for mine in claimed for pk in mine]
    assert len(everything) == len(set(everything)) == 300
    assert sum(1 for mine in claimed if mine) >= 2


@pytest.mark.django_db
def test_file_gateway_writes_one_whole_file_per_message(tmp_path: Path) -> None:
    register(
        "files",
        lambda: FileGateway(tmp_path, name=lambda m: f"{m.key}.json"),
    )
    put("a", channel="files")
    services.deliver_due()
    written = tmp_path / "a.json"
    assert written.read_text(encoding="utf-8").strip().startswith("{")
    assert Message.objects.get(key="a").receipt == "a.json"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


@pytest.mark.django_db
def test_pages_are_for_administrators(world: Any, client: Any, scripted: Any) -> None:
    put("p1-v1", "p1")
    scripted.answers = [Rejected("HTTP 422: refused")]
    services.deliver_due()
    put("p2-v1", "p2")
    services.deliver_due()
    dead = Message.objects.get(key="p1-v1")
    for user in (world.head_a, world.leader_p, world.auditor_p):
        client.force_login(user)
        assert client.get("/outbox/").status_code == 403
        assert client.get("/outbox/sent/").status_code == 403
        assert client.post(f"/outbox/{dead.pk}/requeue/").status_code == 403
        assert client.post("/outbox/channel/scripted/requeue/").status_code == 403
    assert status("p1-v1") == Status.DEAD
    client.force_login(world.admin)
    page = client.get("/outbox/").content.decode()
    assert "p1-v1" in page and "HTTP 422: refused" in page
    assert "p2-v1" in client.get("/outbox/sent/").content.decode()
    assert client.post("/outbox/channel/scripted/requeue/").status_code == 302
    assert status("p1-v1") == Status.PENDING
    assert client.post("/outbox/999999/requeue/").status_code == 404


@pytest.mark.django_db
def test_prune_forgets_only_messages_sent_long_ago(scripted: Any) -> None:
    put("old")
    put("new")
    put("waiting", channel="unset-later")
    services.deliver_due()
    Message.objects.filter(key="old").update(sent_at=timezone.now() - timedelta(days=200))
    assert services.prune_sent(days=90) == 1
    assert set(Message.objects.values_list("key", flat=True)) == {"new", "waiting"}


@pytest.mark.django_db
def test_one_waiting_delivery_job_at_a_time_with_the_database_queue(monkeypatch: Any) -> None:
    from django.tasks.base import Task
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = DatabaseBackend("default", {"BACKEND": "django_tasks_db.DatabaseBackend"})
    monkeypatch.setattr(Task, "get_backend", lambda self: backend)
    jobs = DBTaskResult.objects.filter(task_path="outbox.tasks.deliver_outbox")
    assert services.request_delivery() is True
    assert services.request_delivery() is False  # one is waiting to run now
    assert services.request_delivery(run_after=later(3600)) is False
    jobs.update(status="SUCCESSFUL")
    assert services.request_delivery(run_after=later(3600)) is True  # the next retry
    assert services.request_delivery(run_after=later(7200)) is False  # an earlier one waits
    assert services.request_delivery() is True  # a new message: now, not in an hour
    assert jobs.filter(status="READY").count() == 2
