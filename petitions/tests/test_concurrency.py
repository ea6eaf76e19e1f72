"""Parallel retries of one intake, codes under concurrency, two officials acting at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from matters.models import Matter
from petitions.models import IdempotencyRecord
from petitions.tests.helpers import body, travel

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "vault"])]


@pytest.fixture(autouse=True)
def _real_database():
    # Shared-cache in-memory SQLite (the test default) reports "table is locked" at once
    # instead of waiting for the writer; these run on PostgreSQL and on a SQLite file.
    if connections["default"].vendor == "sqlite" and connections["default"].is_in_memory_db():
        pytest.skip("concurrency needs a database file or PostgreSQL (in-memory SQLite test db)")


THREADS = 8


def _parallel(n: int, work: Callable[[int], Any]) -> list[Any]:
    results: list[Any] = [None] * n
    start = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_parallel_retries_create_one_petition_with_one_answer(world):
    payload = body(world)
    with travel():
        # Tokens are created up front so that the threads only read.
        clients = [world.api(world.clerk_a) for _ in range(THREADS)]
        responses = _parallel(
            THREADS,
            lambda i: clients[i].post("petitions", payload, headers={"Idempotency-Key": "retry-1"}),
        )
    assert [r.status_code for r in responses] == [201] * THREADS
    answers = [r.json() for r in responses]
    assert all(a == answers[0] for a in answers)
    assert Matter.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_parallel_intakes_get_gapless_distinct_codes(world):
    payload = body(world)
    with travel():
        clients = [world.api(world.clerk_a) for _ in range(THREADS)]
        responses = _parallel(THREADS, lambda i: clients[i].post("petitions", payload))
    assert [r.status_code for r in responses] == [201] * THREADS, responses[0].content
    numbers = sorted(int(r.json()["code"].rsplit("-", 1)[1]) for r in responses)
    assert numbers == list(range(1, THREADS + 1))


def test_two_officials_acting_at_once_one_wins_the_other_409(world):
    with travel():
        data = world.api(world.clerk_a).post("petitions", body(world)).json()
        code, version = data["code"], data["version"]
        clients = [world.api(world.clerk_a), world.api(world.handler_a)]
        payloads = [
            {"accepted_on": "2027-03-05", "version": version},
            {"reason": "Đơn trùng", "version": version},
        ]
        actions = ["accept", "file_away"]
        responses = _parallel(
            2, lambda i: clients[i].post(f"petitions/{code}/{actions[i]}", payloads[i])
        )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409]
    matter = Matter.objects.get(code=code)
    winner = actions[[r.status_code for r in responses].index(200)]
    assert matter.status == {"accept": "accepted", "file_away": "filed"}[winner]
    assert matter.version == version + 1
