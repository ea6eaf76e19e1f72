"""How long `audit verify` takes on a large log, keyed (HMAC-SHA256) against unkeyed (plain
SHA-256, an installation's entries from before the key), and what anchoring costs a commit.

    .venv/bin/python bench/audit/bench_verify.py --events 1000000 --commits 2000

Each run uses a new temporary data directory (SQLite) unless DATABASE_URL names PostgreSQL
(then give a database of your own: it is migrated and the audit tables must be empty).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def setup(label: str) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix=f"dutdiem-bench-audit-{label}-"))
    os.environ["DUTDIEM_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DUTDIEM_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    print(f"database: {settings.DATABASES['default']['ENGINE']} in {data_dir}")
    call_command("migrate", verbosity=0)
    call_command("migrate", database="vault", verbosity=0)


def fill(events: int, keyed: bool) -> float:
    """Append ``events`` entries in transactions of 1,000; returns entries per second."""
    from django.db import transaction

    from audit.models import AuditHead
    from audit.services import Entry, audit_append
    from vault.bulk import insert_rows

    if not keyed:  # an installation whose whole log predates the key
        AuditHead.objects.create(id=1, keyed_from=10**15)
    started = time.perf_counter()
    done = 0
    while done < events:
        n = min(1000, events - done)
        with transaction.atomic():
            audit_append(
                actor="bench",
                entries=[
                    Entry(
                        action="petition.receive",
                        matter=f"KN2026-33-{done + i:06d}",
                        unit="BENCH",
                        data={"kind": "complaint", "category": "land", "row": done + i},
                    )
                    for i in range(n)
                ],
                insert=insert_rows,
            )
        done += n
    return events / (time.perf_counter() - started)


def verify(repeat: int) -> list[float]:
    from audit.services import audit_verify

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = audit_verify()
        times.append(time.perf_counter() - started)
        assert result.ok, result
    return times


def hash_cost(repeat: int) -> tuple[float, float]:
    """Best seconds to hash every entry's canonical form with plain SHA-256 and with the
    HMAC: the only part of verify that keying changed."""
    from audit.keys import load_key
    from audit.models import AuditEvent
    from audit.services import _canonical, chain_hash, keyed_hash

    canonicals = [
        _canonical(*row)
        for row in AuditEvent.objects.order_by("seq").values_list(
            "seq", "at", "actor", "action", "matter", "unit", "data"
        )
    ]
    secret = load_key().secret
    prev = "0" * 64
    plain, keyed = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        for canonical in canonicals:
            chain_hash(prev, canonical)
        plain.append(time.perf_counter() - started)
        started = time.perf_counter()
        for canonical in canonicals:
            keyed_hash(secret, prev, canonical)
        keyed.append(time.perf_counter() - started)
    return min(plain), min(keyed)


def commits(n: int) -> tuple[float, float]:
    """Medians, in milliseconds, of a transaction that records one event and commits
    (anchoring included) and of the anchoring alone (the tip read, the vault and the file
    written after the commit)."""
    from django.db import transaction

    from audit import anchors
    from audit.services import audit_record

    real = anchors.anchor_now
    anchoring: list[float] = []

    def timed() -> None:
        started = time.perf_counter()
        real()
        anchoring.append(time.perf_counter() - started)

    anchors.anchor_now = timed  # type: ignore[assignment]
    total = []
    try:
        for i in range(n):
            started = time.perf_counter()
            with transaction.atomic():
                audit_record(actor="bench", action="bench.commit", data={"i": i})
            total.append(time.perf_counter() - started)
    finally:
        anchors.anchor_now = real  # type: ignore[assignment]
    return statistics.median(total) * 1000, statistics.median(anchoring) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--unkeyed", action="store_true", help="a log written before the key")
    args = parser.parse_args()
    setup("unkeyed" if args.unkeyed else "keyed")
    rate = fill(args.events, keyed=not args.unkeyed)
    print(f"{'unkeyed' if args.unkeyed else 'keyed'}: appended {args.events:,} at {rate:,.0f}/s")
    times = verify(args.repeat)
    print(
        f"verify {args.events:,}: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
        f"({args.events / min(times):,.0f} entries/s)"
    )
    plain, keyed = hash_cost(args.repeat)
    print(f"hashing {args.events:,} entries: SHA-256 {plain:.2f} s, HMAC-SHA256 {keyed:.2f} s")
    if args.commits:
        total, anchoring = commits(args.commits)
        print(
            f"one event per transaction, median of {args.commits}: {total:.2f} ms in all, "
            f"of which anchoring after the commit {anchoring:.2f} ms"
        )


if __name__ == "__main__":
    main()
