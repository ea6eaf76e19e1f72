"""Intake and list latency of the petitions API with 100,000 petitions.

Run on a fresh data directory (SQLite) or an empty PostgreSQL database:

    DUTDIEM_DATA_DIR=$(mktemp -d) .venv/bin/python bench/petitions/bench_petitions.py
    createdb -h 127.0.0.1 -U postgres petitions_bench
    createdb -h 127.0.0.1 -U postgres petitions_bench_vault
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/petitions_bench \\
        .venv/bin/python bench/petitions/bench_petitions.py

It migrates, loads ``--n`` petitions in bulk (spread over 120 communes and 10 departments of
one province, 40 % closed, one in five with a second petition by the same person), then
times, through the whole HTTP stack (middleware, bearer token, JSON):

- ``POST /api/v1/petitions`` (the intake with its duplicate search, which finds the earlier
  petitions of the same ID number), ``--requests`` times;
- ``GET /api/v1/petitions`` with filters, for a commune clerk and for the provincial leader
  who sees every unit, ``--requests`` times each;
- 20 parallel retries of one intake with one Idempotency-Key (must create one petition).

Prints p50 / p95 / p99 / max in milliseconds.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DUTDIEM_AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import ApiToken, User, hash_token  # noqa: E402
from areas.models import Area  # noqa: E402
from matters.models import Matter, Sequence  # noqa: E402
from matters.rules import rule_in_force  # noqa: E402
from petitions.duplicates import content_key, id_key  # noqa: E402
from petitions.models import Petition, Petitioner, PetitionerKey  # noqa: E402
from units.models import Unit  # noqa: E402
from units.services import unit_create  # noqa: E402

TODAY = date.today()
CATEGORIES = ["land", "compensation", "housing", "policy", "environment", "labour", "other"]
KINDS = ["complaint"] * 6 + ["proposal"] * 3 + ["denunciation"]


def ms(samples: list[tuple[float, float]]) -> str:
    """Percentiles of wall time and of this process's CPU time (which, for SQLite, includes
    the database work and leaves out the waits for a CPU on a busy machine)."""
    wall = sorted(w * 1000 for w, _ in samples)
    cpu = sorted(c * 1000 for _, c in samples)
    q, c = statistics.quantiles(wall, n=100), statistics.quantiles(cpu, n=100)
    return (
        f"wall p50 {q[49]:6.1f}  p95 {q[94]:6.1f}  p99 {q[98]:6.1f}  max {wall[-1]:6.1f} | "
        f"cpu p50 {c[49]:6.1f}  p95 {c[94]:6.1f}  (ms, n={len(wall)})"
    )


class Timer:
    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sample = (time.perf_counter() - self.wall, time.process_time() - self.cpu)


def token(user: User) -> str:
    raw = f"bench-{user.username}"
    ApiToken.objects.get_or_create(user=user, key_hash=hash_token(raw))
    return raw


def build_units() -> tuple[list[Unit], User, dict[int, User]]:
    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = User.objects.create_superuser("bench-admin", "", "bench-password-1")
    province = Unit.objects.filter(code="B-UBND").first()
    if province is None:
        with transaction.atomic():
            unit_create(
                actor=admin, code="B-UBND", name="UBND tỉnh", kind="peoples_committee", area="33"
            )
            for area in Area.objects.filter(parent_id="33").order_by("code")[:120]:
                unit_create(
                    actor=admin,
                    code=f"B-{area.code}",
                    name=f"UBND {area.name}",
                    kind="peoples_committee",
                    parent="B-UBND",
                    area=area.code,
                )
            for i in range(10):
                unit_create(
                    actor=admin,
                    code=f"B-SO{i}",
                    name=f"Sở {i}",
                    kind="department",
                    parent="B-UBND",
                    area="33",
                )
    units = list(Unit.objects.filter(code__startswith="B-").exclude(code="B-UBND").order_by("code"))
    leader = User.objects.filter(username="bench-leader").first() or User.objects.create_user(
        "bench-leader",
        password="bench-password-1",
        unit=Unit.objects.get(code="B-UBND"),
        roles=["leader"],
    )
    clerks = {}
    for unit in units:
        clerk = User.objects.filter(username=f"bench-{unit.code}").first()
        if clerk is None:
            clerk = User.objects.create_user(
                f"bench-{unit.code}",
                password="bench-password-1",
                unit=unit,
                roles=["clerk", "handler"],
            )
        clerks[unit.id] = clerk
    return units, leader, clerks


def load(n: int, units: list[Unit], clerks: dict[int, User]) -> None:
    """Insert ``n`` petitions in bulk (codes continue the gapless sequence afterwards)."""
    if Petition.objects.count() >= n:
        return
    rng = random.Random(7)
    rule = rule_in_force("petitions.K2", TODAY)
    areas = {u.id: u.area_id for u in units}
    year = TODAY.year
    batch = 5000
    start = time.perf_counter()
    for first in range(0, n, batch):
        matters, extra = [], []
        for i in range(first, min(first + batch, n)):
            unit = units[rng.randrange(len(units))]
            received = TODAY - timedelta(days=rng.randrange(0, 700))
            due = received + timedelta(days=10)
            closed = rng.random() < 0.4
            kind = KINDS[rng.randrange(len(KINDS))]
            matters.append(
                Matter(
                    code=f"D{year}-33-{i + 1:06d}",
                    kind="petition",
                    title=f"Đơn số {i}",
                    search_text=f"don so {i}",
                    area_id=areas[unit.id],
                    province="33",
                    category_id=CATEGORIES[i % len(CATEGORIES)],
                    owner=unit,
                    handler=clerks[unit.id],
                    status="resolved" if closed else "received",
                    is_open=not closed,
                    opened_on=received,
                    rule=rule,
                    clock_start=received,
                    due_on=due,
                    closed_on=received + timedelta(days=rng.randrange(3, 20)) if closed else None,
                )
            )
            person = f"0340{(i // 5 if i % 5 == 0 else i):08d}"
            extra.append((kind, received, person, i))
        Matter.objects.bulk_create(matters, batch_size=1000)
        saved = dict(
            Matter.objects.filter(code__in=[m.code for m in matters]).values_list("code", "id")
        )
        petitions, people, keys = [], [], []
        for matter, (kind, received, person, i) in zip(matters, extra, strict=True):
            mid = saved[matter.code]
            text = f"Nội dung đơn số {i % (n // 2)}"
            petitions.append(
                Petition(
                    matter_id=mid,
                    kind=kind,
                    channel="post",
                    received_on=received,
                    summary=matter.title,
                    content=text,
                    content_key=content_key(text),
                    signers=1,
                    processing_rule=rule,
                    processing_due_on=matter.due_on,
                    sealed=kind == "denunciation",
                    receipt_pin_hash=hashlib.sha256(str(i).encode()).hexdigest(),
                )
            )
            if kind != "denunciation":
                people.append(
                    Petitioner(petition_id=mid, full_name=f"Người gửi {i}", id_number=person)
                )
                keys.append(PetitionerKey(petition_id=mid, key=id_key(person)))
        Petition.objects.bulk_create(petitions, batch_size=1000)
        Petitioner.objects.bulk_create(people, batch_size=1000)
        PetitionerKey.objects.bulk_create(keys, batch_size=1000, ignore_conflicts=True)
        print(
            f"  loaded {min(first + batch, n):>7} petitions ({time.perf_counter() - start:5.1f} s)",
            flush=True,
        )
    Sequence.objects.update_or_create(scope="matter:petition:33", year=year, defaults={"last": n})


def intake_body(unit: Unit, i: int, person: str) -> dict:
    return {
        "kind": "complaint",
        "channel": "in_person",
        "received_on": TODAY.isoformat(),
        "area": unit.area_id,
        "category": "land",
        "summary": f"Bench intake {i}",
        "content": f"Nội dung đơn số {i}",
        "petitioners": [{"full_name": "Người gửi", "id_number": person, "address": "Thôn Đông"}],
        "signers": 1,
    }


def bench_intake(
    units: list[Unit], clerks: dict[int, User], requests: int
) -> list[tuple[float, float]]:
    rng = random.Random(11)
    samples = []
    for i in range(requests):
        unit = units[rng.randrange(len(units) - 10)]
        client = Client(headers={"Authorization": f"Bearer {token(clerks[unit.id])}"})
        # An ID number that earlier petitions used: the duplicate search has work to do.
        person = f"0340{rng.randrange(0, 20000) * 5:08d}"
        body = intake_body(unit, i, person)
        with Timer() as timer:
            response = client.post("/api/v1/petitions", body, content_type="application/json")
        samples.append(timer.sample)
        assert response.status_code == 201, response.content
        if i == 0:
            print(f"  first intake found {len(response.json()['duplicates'])} duplicates")
    return samples


def bench_list(user: User, params: list[dict], requests: int) -> list[tuple[float, float]]:
    """All the samples; also prints the wall p95 of each filter, to see which one is slow."""
    client = Client(headers={"Authorization": f"Bearer {token(user)}"})
    samples = []
    by_query: dict[int, list[float]] = {}
    for i in range(requests):
        query = params[i % len(params)]
        with Timer() as timer:
            response = client.get("/api/v1/petitions", query)
        samples.append(timer.sample)
        by_query.setdefault(i % len(params), []).append(timer.sample[0] * 1000)
        assert response.status_code == 200, response.content
    for k, walls in sorted(by_query.items()):
        walls.sort()
        p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
        print(f"    {params[k]}: p50 {walls[len(walls) // 2]:.1f}  p95 {p95:.1f} ms")
    return samples


def bench_idempotent_retries(unit: Unit, clerk: User, threads: int = 20) -> tuple[int, int]:
    raw = token(clerk)
    body = intake_body(unit, 999_999, "034099999999")
    codes: list[str] = []
    barrier = threading.Barrier(threads)

    def run() -> None:
        client = Client(
            headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "bench-retry"}
        )
        barrier.wait()
        response = client.post("/api/v1/petitions", body, content_type="application/json")
        codes.append(response.json().get("code", f"HTTP {response.status_code}"))
        connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return len(codes), len(set(codes))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    call_command("migrate", verbosity=0)
    call_command("migrate", database="vault", verbosity=0)
    units, leader, clerks = build_units()
    load(args.n, units, clerks)
    # Planner statistics, as a database in use has them (PostgreSQL's autovacuum; SQLite's
    # ANALYZE / PRAGMA optimize): without them SQLite scans by kind instead of by owner.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"petitions in the database: {Petition.objects.count():,}")
    commune = units[0]
    # The first request of a process builds the working-day calendar (2000-2060) once.
    cold = bench_intake(units[-1:] + units, {**clerks}, 1)
    print(f"first request of the process (builds the calendar): {cold[0][0] * 1000:.0f} ms")
    print("intake (POST /api/v1/petitions, duplicate search):")
    print("  " + ms(bench_intake(units, clerks, args.requests)))
    clerk = clerks[commune.id]
    print(
        f"list as a commune clerk ({Matter.objects.filter(owner=commune).count()} petitions in scope):"
    )
    print(
        "  "
        + ms(
            bench_list(
                clerk,
                [
                    {"state": "overdue"},
                    {"kind": "complaint", "state": "done_on_time"},
                    {"category": "land"},
                    {"page": 2, "page_size": 20},
                ],
                args.requests,
            )
        )
    )
    print(f"list as the provincial leader (all {Matter.objects.count():,} in scope):")
    print(
        "  "
        + ms(
            bench_list(
                leader,
                [
                    {"state": "overdue", "kind": "complaint"},
                    {"owner": units[5].code, "state": "overdue"},
                    {"area": units[7].area_id, "page": 3},
                    {"state": "in_time", "page_size": 100},
                ],
                args.requests,
            )
        )
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    made, distinct = bench_idempotent_retries(commune, clerk)
    print(
        f"20 parallel retries with one Idempotency-Key: {made} answers, {distinct} distinct code(s)"
    )


if __name__ == "__main__":
    main()
