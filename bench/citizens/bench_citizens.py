"""Citizens' front door: public filing latency through the API, and status messages queued
(in the officials' transactions) and delivered by the outbox job (SMS written as files, the
gateway used outside production).

    .venv/bin/python bench/citizens/bench_citizens.py --filings 200 --messages 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_citizens .venv/bin/python ...

It runs as well on a database already filled by ``bench/load/generate.py`` (e.g. 1,000,000
matters: ``DATABASE_URL=.../bench_1m``), and again on the same database: each run files
from its own client addresses and phone numbers and counts only its own messages.

Each filing is a real ``POST /api/v1/public/petitions`` (Django's test client in this
process: routing, the desk's intake service, the vault for nothing here, the receipt SMS
queued), each from its own client address, each with a contact code made beforehand. The
messages are ``citizens.services.status_message`` calls spread over the filed petitions,
100 per transaction; then ``outbox.services.deliver`` runs (the body of the worker's job)
until all are sent. One filing before the timed ones loads the URL configuration and is not
counted. Prints the load average (before and after) and a calibration (ms for SHA-256 of
200,000 short strings) so that runs can be compared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "registry"))


WORDS = (
    "rác sinh hoạt đổ bừa cạnh kênh tưới bốc mùi đèn đường hỏng ngõ xóm ổ gà mặt đường "
    "cống tắc nước ngập khói bụi xưởng tiếng ồn đêm cây đổ vỉa hè lấn chiếm chợ tạm trường "
    "học cầu yếu lan can gãy bờ kè sạt lở giếng nước đục điện chập chờn"
).split()


def calibration() -> float:
    start = time.perf_counter()
    for i in range(200_000):
        hashlib.sha256(str(i).encode()).digest()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=200)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--keep", default="")
    args = parser.parse_args()
    os.environ["DUTDIEM_OUTBOX_DELIVER_ON_COMMIT"] = "0"
    from setup_db import bench_office, start_django

    start_django(args.keep, "dutdiem-bench-citizens-", "WARNING")
    from datetime import timedelta

    from django.conf import settings
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from areas.models import Area
    from citizens import contacts
    from citizens.models import ContactCode
    from citizens.services import status_message
    from outbox.models import Message
    from outbox.services import deliver
    from petitions.models import Petition

    settings.OUTBOX_DIR = Path(tempfile.mkdtemp(prefix="dutdiem-bench-sms-"))
    settings.ALLOWED_HOSTS = ["*"]
    bench_office()
    commune = Area.objects.filter(parent_id="33", latitude__isnull=False).order_by("code").first()
    assert commune is not None
    print(
        f"load average {os.getloadavg()[0]:.2f}; calibration {calibration():.0f} ms; "
        f"{args.filings} filings, {args.messages} messages"
    )
    from matters.models import Matter

    print(f"{Matter.objects.count():,} matters in the database")
    now = timezone.now()
    run = random.randrange(1, 250)  # this run's addresses and phones: re-runs do not collide
    phones = [f"09{run:03d}{n:05d}" for n in range(args.filings + 1)]
    ContactCode.objects.bulk_create(
        [
            ContactCode(
                kind="phone",
                address=p,
                code_hash=contacts.code_hash("phone", p, "123456"),
                created_at=now,
                expires_at=now + timedelta(hours=2),
            )
            for p in phones
        ]
    )
    times = []
    codes = []
    first_message = (Message.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    words = random.Random(run)
    # One client for all (a new one loads the middleware again, WhiteNoise's scan of the
    # static files included: not what a server process does per request); each request
    # from its own address.
    client = Client()
    for n, phone in enumerate(phones):
        body = {
            "kind": "proposal",
            "area": commune.code,
            "category": "environment",
            "summary": f"Rác thải ùn ứ cạnh kênh số {n}",
            # Each text its own: the same text 200 times would make every filing a
            # duplicate of all the earlier ones, which the desk's intake then compares.
            "content": " ".join(words.choice(WORDS) for _ in range(40)),
            "contact": {"phone": phone, "code": "123456"},
            "location": {"lat": commune.latitude + n * 1e-5, "lon": commune.longitude},
            "public": True,
        }
        started = time.perf_counter()
        response = client.post(
            "/api/v1/public/petitions",
            json.dumps(body),
            content_type="application/json",
            REMOTE_ADDR=f"10.{run}.{n // 256 % 256}.{n % 256}",
        )
        assert response.status_code == 201, response.content
        if n == 0:
            continue  # the warm-up: imports and the URL configuration
        times.append((time.perf_counter() - started) * 1000)
        codes.append(response.json()["code"])
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"filing: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
        f"max {times[-1]:.0f} ms over {len(times)} requests"
    )
    petitions = list(Petition.objects.filter(matter__code__in=codes).select_related("matter"))
    ours = Message.objects.filter(id__gte=first_message)
    ours.update(status="sent", sent_at=now)  # the receipts: not counted
    first_message = (Message.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    started = time.perf_counter()
    for start in range(0, args.messages, 100):
        with transaction.atomic():
            for i in range(start, min(start + 100, args.messages)):
                status_message(petitions[i % len(petitions)], "accept")
    queued = time.perf_counter() - started
    started = time.perf_counter()
    total = deliver(budget_seconds=3600)
    delivered = time.perf_counter() - started
    sent = Message.objects.filter(id__gte=first_message, channel="sms", status="sent").count()
    files = sum(1 for _ in settings.OUTBOX_DIR.glob("*.txt"))
    assert sent == args.messages, (sent, total.as_dict())
    print(
        f"messages: queued {args.messages} in {queued:.1f} s ({args.messages / queued:.0f}/s); "
        f"delivered in {delivered:.1f} s ({args.messages / delivered:.0f}/s); "
        f"{files} files written; rounds' counts {total.as_dict()}"
    )
    print(f"load average at the end {os.getloadavg()[0]:.2f}; calibration {calibration():.0f} ms")


if __name__ == "__main__":
    main()
