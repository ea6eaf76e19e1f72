"""Outbox throughput: records per second delivered by the job worker (``dutdiem db_worker``,
a separate process, as deployed) to a national-database receiver on a loopback port.

    .venv/bin/python bench/outbox/bench_outbox.py --petitions 2000 --versions 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_outbox .venv/bin/python bench/outbox/bench_outbox.py ...

``--faults`` makes the receiver answer 500/503 or too late to a share of the requests (the
fault test's mix) to see what retries cost. The records are real ones (the payload of a
petition filed through the service, copied with other codes and versions), put in the
outbox in one transaction before the worker starts; the clock runs from the worker's start
to the last record marked sent. Prints the load average and a calibration (ms for SHA-256 of
200,000 short strings) so that runs can be compared.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "registry"))


def calibration() -> float:
    start = time.perf_counter()
    for i in range(200_000):
        hashlib.sha256(str(i).encode()).digest()
    return (time.perf_counter() - start) * 1000


def sample_payload() -> dict:
    """One real record: a complaint filed through the service, recorded as version 1."""
    from datetime import date

    from django.db import transaction
    from setup_db import bench_office

    from areas.models import Area
    from national.models import Record
    from petitions.services import petition_receive

    admin, unit = bench_office()
    commune = Area.objects.filter(parent_id="33").order_by("code").first()
    with transaction.atomic():
        petition = petition_receive(
            actor=admin,
            kind="complaint",
            channel="post",
            received_on=date.today(),
            area=commune.code,
            category="land",
            summary="Khiếu nại quyết định thu hồi đất của UBND xã",
            content="Gia đình tôi không đồng ý với quyết định thu hồi đất số 12/QĐ-UBND "
            "ngày 02/03/2026 vì mức bồi thường thấp hơn giá thị trường. " * 3,
            petitioners=[
                {"full_name": "Nguyễn Văn An", "id_number": "034080001234", "address": "Thôn Đông"}
            ],
            owner=unit.code,
        )
    return Record.objects.get(matter=petition.matter, version=1).payload


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--petitions", type=int, default=2000)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--keep", default="", help="data directory to use (default: a new one)")
    args = parser.parse_args()

    os.environ["DUTDIEM_OUTBOX_BATCH"] = str(args.batch)
    from setup_db import start_django

    data_dir = start_django(args.keep, "dutdiem-bench-outbox-", "WARNING")
    from django.db import transaction

    from national.gateway import CHANNEL
    from national.testing.receiver import free_port
    from outbox.models import Message
    from outbox.services import outbox_put_many

    # The receiver runs in a process of its own, like the worker: neither slows the other
    # down through the GIL.
    port = free_port()
    receiver = subprocess.Popen(
        [sys.executable, "-m", "national.testing.receiver", "--port", str(port)]
        + ["--token", "bench-token"]
        + (["--faults"] if args.faults else []),
        cwd=ROOT,
    )

    Message.objects.filter(channel=CHANNEL).delete()
    base = sample_payload()
    Message.objects.filter(channel=CHANNEL).delete()
    items = []
    for p in range(args.petitions):
        code = f"D2099-33-{p:06d}"
        for v in range(1, args.versions + 1):
            payload = copy.deepcopy(base)
            payload.update(petition=code, version=v, record_id=f"{code}:{v}")
            items.append((payload["record_id"], payload, code))
    total = len(items)
    size = len(str(base).encode())
    env = dict(
        os.environ,
        DUTDIEM_DATA_DIR=str(data_dir),
        DUTDIEM_NATIONAL_URL=f"http://127.0.0.1:{port}/api/records",
        DUTDIEM_NATIONAL_TOKEN="bench-token",
        DUTDIEM_NATIONAL_TIMEOUT="2",
        DUTDIEM_OUTBOX_BACKOFF_SECONDS="0.2",
        DUTDIEM_OUTBOX_BACKOFF_MAX_SECONDS="1",
        DUTDIEM_LOG_LEVEL="WARNING",
    )
    # Put with the on-commit wake-up off: the worker is not running yet; the job is
    # enqueued below, once, as the first commit would have done.
    from django.conf import settings

    settings.OUTBOX_DELIVER_ON_COMMIT = False
    with transaction.atomic():
        outbox_put_many(channel=CHANNEL, items=items)
    from outbox.services import request_delivery

    request_delivery()
    print(
        f"load average {os.getloadavg()[0]:.2f}; calibration {calibration():.0f} ms; "
        f"{total} records ({args.petitions} petitions x {args.versions} versions, "
        f"~{size} bytes each), batch {args.batch}, faults {'on' if args.faults else 'off'}"
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "config.cli", "db_worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
    )
    started = time.perf_counter()
    first_sent = None
    try:
        while True:
            sent = Message.objects.filter(channel=CHANNEL, status="sent").count()
            if sent and first_sent is None:
                first_sent = time.perf_counter()
            if sent >= total:
                break
            if time.perf_counter() - started > 1800:
                raise SystemExit(f"gave up after 30 minutes: {sent}/{total} sent")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        stats = httpx.get(f"http://127.0.0.1:{port}/stats").json()
        receiver.terminate()
        receiver.wait(timeout=10)
    assert stats["accepted"] == total and stats["petitions"] == args.petitions, stats
    assert not stats["violations"], stats["violations"]
    tries = sum(Message.objects.filter(channel=CHANNEL).values_list("attempts", flat=True))
    print(
        f"delivered {total} records in {elapsed:.1f} s from the worker's start: "
        f"{total / elapsed:.0f} records/s"
        + (
            f" ({total / (elapsed - (first_sent - started)):.0f}/s after the first)"
            if first_sent
            else ""
        )
    )
    print(
        f"receiver: {stats['requests']} requests, answers {stats['answers']}, "
        f"duplicates {stats['duplicates']}, order violations {len(stats['violations'])}; "
        f"tries {tries}"
    )


if __name__ == "__main__":
    main()
