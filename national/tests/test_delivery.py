"""The fault test: records delivered by the job to a real HTTP server on a loopback port
that first refuses connections, then answers 500 or 503 to some requests and too late to
others. In the end every record has arrived exactly once (the receiver dedupes by petition
and version), with no gap, in order for each petition, and nothing was given up."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest
import time_machine

from national.models import Record
from national.testing.receiver import Faults, Receiver, free_port
from outbox.models import Message
from outbox.services import message_requeue
from outbox.tasks import deliver_outbox
from petitions.tests.helpers import NOW, file

pytestmark = pytest.mark.django_db(databases=["default", "vault"])
BASIS = "Điều 26 khoản 2 Luật Tiếp công dân"


def travel() -> Any:
    # The clock runs (back-off waits must pass), from the day the petitions are filed.
    return time_machine.travel(NOW, tick=True)


def run_job(errors: Counter[str]) -> dict[str, Any]:
    result = deliver_outbox.enqueue()  # the job, run at once by the test backend
    data: dict[str, Any] = result.return_value
    errors.update(data["errors"])
    return data


def pending() -> int:
    return Message.objects.filter(channel="national").exclude(status="sent").count()


def test_every_record_arrives_once_in_order_through_refusals_timeouts_and_errors(
    world: Any, settings: Any
) -> None:
    port = free_port()
    settings.NATIONAL_URL = f"http://127.0.0.1:{port}/api/records"
    settings.NATIONAL_TOKEN = "s3cret-token"
    settings.NATIONAL_TIMEOUT = 0.4
    # While nobody listens, a refused round waits 0.3 s: each job run below is about one
    # round, whatever the machine's load.
    settings.OUTBOX_BACKOFF_SECONDS = 0.3
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 0.3
    settings.OUTBOX_MAX_ATTEMPTS = 100
    errors: Counter[str] = Counter()
    a, b = world.api(world.clerk_a), world.api(world.official_b)
    with travel():
        codes = [file(world, summary=f"Đơn số {i}")["code"] for i in range(8)]
        for code in codes:
            a.post(f"petitions/{code}/transfer", {"to": "B", "reason": "B", "legal_basis": BASIS})

        # 1. Nobody listens: connections are refused; nothing is lost, nothing given up.
        for _ in range(3):
            run_job(errors)
            time.sleep(0.4)
        assert Message.objects.filter(status="sent").count() == 0
        refused = sum(n for kind, n in errors.items() if "ConnectError" in kind)
        assert refused >= 3

        # 2. The endpoint comes up, and misbehaves; officials go on working meanwhile.
        settings.OUTBOX_BACKOFF_SECONDS = 0.02
        settings.OUTBOX_BACKOFF_MAX_SECONDS = 0.2
        receiver = Receiver(
            faults=Faults(error_500=0.15, busy_503=0.05, slow=0.10, slow_seconds=0.8),
            token="s3cret-token",
        )
        receiver.start(port)
        try:
            for i, code in enumerate(codes):
                b.post(f"petitions/{code}/accept", {"accepted_on": "2027-03-05"})
                run_job(errors)
                b.post(f"petitions/{code}/suspend", {"on": "2027-03-08", "reason": "Chờ"})
                b.post(f"petitions/{code}/resume", {"on": "2027-03-10"})
                if i % 2:
                    run_job(errors)
                b.post(
                    f"petitions/{code}/resolve",
                    {"resolved_on": "2027-03-14", "outcome": "Xong", "decision_no": f"{i}/QĐ"},
                )
            for _ in range(400):
                if not pending():
                    break
                run_job(errors)
                time.sleep(0.05)
        finally:
            receiver.stop()

    expected = set(Record.objects.values_list("code", "version"))
    assert len(expected) == 8 * 6
    # Exactly once in the end: the receiver holds every record, no more, no gap, in order.
    assert set(receiver.accepted) == expected
    assert receiver.violations == []
    for code in codes:
        assert receiver.order[code] == [1, 2, 3, 4, 5, 6]
        assert receiver.accepted[(code, 6)] == Record.objects.get(code=code, version=6).payload
    assert pending() == 0
    assert not Message.objects.filter(status="dead").exists()
    # The faults really happened, and were survived by retrying.
    timeouts = sum(n for kind, n in errors.items() if kind.startswith("time-out"))
    assert receiver.answers["500"] > 0 and receiver.answers["503"] > 0
    assert receiver.answers["201 too late"] > 0 and timeouts > 0
    assert receiver.duplicates > 0  # answered too late, sent again, stored once
    tries = sum(Message.objects.values_list("attempts", flat=True))
    assert tries > len(expected)
    print(
        f"\nfault test: {len(expected)} records; refused {refused}, time-outs {timeouts}, "
        f"answers {dict(receiver.answers)}, duplicates dropped by the receiver "
        f"{receiver.duplicates}, tries {tries}, requests {receiver.requests}, "
        f"errors seen by the worker {dict(errors)}"
    )


def test_a_refused_record_is_given_up_and_the_petition_waits(world: Any, settings: Any) -> None:
    receiver = Receiver(token="right")
    port = receiver.start()
    settings.NATIONAL_URL = f"http://127.0.0.1:{port}/api/records"
    settings.NATIONAL_TOKEN = "wrong"
    settings.OUTBOX_BACKOFF_SECONDS = 0.01
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 0.01
    settings.OUTBOX_MAX_ATTEMPTS = 3
    errors: Counter[str] = Counter()
    try:
        with travel():
            code = file(world)["code"]
            world.api(world.clerk_a).post(f"petitions/{code}/file_away", {"reason": "Trùng"})
            for _ in range(10):
                run_job(errors)
                time.sleep(0.03)
            # 401 is worth retrying (a token can be fixed), until the tries run out.
            first, second = Message.objects.filter(order_key=code).order_by("id")
            assert (first.status, first.attempts) == ("dead", 3)
            assert "HTTP 401" in first.last_error
            assert (second.status, second.attempts) == ("pending", 0)  # waits behind v1
            assert receiver.accepted == {}
            # Fixed: an administrator sends it again; both go, in order.
            settings.NATIONAL_TOKEN = "right"
            message_requeue(actor=world.admin, message_id=first.pk)
            for _ in range(3):
                run_job(errors)
            assert receiver.order[code] == [1, 2]

    finally:
        receiver.stop()


def test_https_is_required_beyond_this_machine(world: Any, settings: Any) -> None:
    settings.NATIONAL_URL = "http://national.example.gov.vn/api/records"
    with travel():
        code = file(world)["code"]
        data = run_job(Counter())
    message = Message.objects.get(order_key=code)
    assert data["held"] == 1 and message.attempts == 0
    assert "https" in message.last_error
