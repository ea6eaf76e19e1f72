"""How fast the public map answers for a province, and Open311 lists its requests.

Run: .venv/bin/python bench/opendata/bench_map.py [--per-province 3000] [--queries 100]
     [--keep DIR]   (DATABASE_URL=postgres://... for PostgreSQL; default SQLite in DIR)

Fills a fresh database with ``--per-province`` proposals in each of the 34 provinces, each
near one of its communes (the share that the citizen made public: 70 %), plus as many
complaints (never public) to make the matter table realistic. Then times, through the whole
HTTP stack (Django's test client): ``GET /api/v1/public/map?province=<code>`` (first once
per province with the map cache emptied: the answer is built; then at random: served from the
cache, ``opendata.mapcache``), the same for a box of about 20 x 20 km around a commune (``bbox=``), ``GET /open311/v2/requests.json``
(the default 90 days, up to 1,000) and ``GET /api/v1/public/stats?province=<code>``. Prints
p50, p95 and max in milliseconds and the number of features returned, and the load average
before and after.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "registry"))

CHUNK = 5000


def fill(per_province: int, seed: int = 7) -> None:
    from django.db import transaction
    from django.utils import timezone

    from areas.models import Area
    from citizens.models import PublicFiling
    from matters.models import Matter
    from petitions.models import Petition
    from units.models import Unit

    if Matter.objects.filter(code__startswith="K2026-").exists():
        print("reusing the filled database")
        return
    rng = random.Random(seed)
    unit = Unit.objects.get(code="BENCH")
    now = timezone.now()
    today = now.date()
    communes: dict[str, list[tuple[str, float, float]]] = {}
    for code, parent, lat, lon in Area.objects.filter(
        kind="commune", latitude__isnull=False
    ).values_list("code", "parent_id", "latitude", "longitude"):
        communes.setdefault(parent, []).append((code, lat, lon))
    started = time.perf_counter()
    number = 0
    for province, places in sorted(communes.items()):
        rows = []
        for i in range(per_province * 2):
            area, lat, lon = rng.choice(places)
            proposal = i % 2 == 0
            number += 1
            rows.append(
                (
                    Matter(
                        code=f"{'K' if proposal else 'D'}2026-{province}-{number:07d}",
                        kind="petition",
                        title="Đèn đường hỏng" if proposal else "Khiếu nại",
                        area_id=area,
                        province=province,
                        category_id=rng.choice(["environment", "land", "public_order", "other"]),
                        owner=unit,
                        status=rng.choice(["received", "accepted", "resolved"]),
                        opened_on=today,
                        due_on=today,
                        created_at=now,
                        updated_at=now,
                    ),
                    proposal,
                    lat + rng.uniform(-0.02, 0.02),
                    lon + rng.uniform(-0.02, 0.02),
                )
            )
        with transaction.atomic():
            for start in range(0, len(rows), CHUNK):
                part = rows[start : start + CHUNK]
                matters = Matter.objects.bulk_create([r[0] for r in part])
                petitions = Petition.objects.bulk_create(
                    [
                        Petition(
                            matter=m,
                            kind="proposal" if r[1] else "complaint",
                            channel="online",
                            received_on=today,
                            summary=m.title,
                        )
                        for m, r in zip(matters, part, strict=True)
                    ]
                )
                PublicFiling.objects.bulk_create(
                    [
                        PublicFiling(
                            petition=p,
                            contact_kind="email",
                            contact="bench@example.org",
                            public=r[1] and rng.random() < 0.7,
                            lat=r[2],
                            lon=r[3],
                            public_lat=round(r[2], 3),
                            public_lon=round(r[3], 3),
                        )
                        for p, r in zip(petitions, part, strict=True)
                    ]
                )
    Matter.objects.filter(status="resolved").update(is_open=False, closed_on=today)
    print(f"filled {number} petitions in {time.perf_counter() - started:.0f} s")


def timed(client, urls: list[str]) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        sizes.append(len(body["features"]) if isinstance(body, dict) else len(body))
    return times, sizes


def report(name: str, times: list[float], sizes: list[int]) -> None:
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"{name}: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms"
        f" ({statistics.mean(sizes):.0f} rows on average)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-province", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--keep", default="")
    args = parser.parse_args()
    from setup_db import bench_office, start_django

    start_django(args.keep, "dutdiem-bench-opendata-", "WARNING")
    bench_office()
    fill(args.per_province)
    from django.test import Client

    from areas.models import Area

    rng = random.Random(3)
    provinces = list(Area.objects.filter(kind="province").values_list("code", flat=True))
    points = list(
        Area.objects.filter(kind="commune", latitude__isnull=False).values_list(
            "latitude", "longitude"
        )
    )
    from django.conf import settings
    from django.core.cache import cache

    print(f"load average {os.getloadavg()[0]:.2f}; map cache {settings.PUBLIC_MAP_CACHE_SECONDS} s")
    client = Client()
    client.get("/api/v1/public/map?bbox=105.9,20.5,106.2,20.8")  # warm up (imports, labels)
    cache.clear()
    n = args.queries
    report(
        "map, whole province, first request (built)",
        *timed(
            client,
            [f"/api/v1/public/map?province={p}" for p in rng.sample(provinces, len(provinces))],
        ),
    )
    report(
        "map, whole province, again (cached)",
        *timed(client, [f"/api/v1/public/map?province={rng.choice(provinces)}" for _ in range(n)]),
    )
    boxes = []
    for _ in range(n):
        lat, lon = rng.choice(points)
        boxes.append(f"/api/v1/public/map?bbox={lon - 0.1},{lat - 0.1},{lon + 0.1},{lat + 0.1}")
    report("map, 20 km box", *timed(client, boxes))
    report("open311 requests.json", *timed(client, ["/open311/v2/requests.json"] * (n // 5)))
    report(
        "stats, province",
        *timed(
            client,
            [f"/api/v1/public/stats?province={rng.choice(provinces)}" for _ in range(n // 5)],
        ),
    )
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
