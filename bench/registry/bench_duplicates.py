"""How fast the duplicate finder answers among a million petitions.

Run: .venv/bin/python bench/registry/bench_duplicates.py [--petitions 1000000] [--queries 200]
     [--keep DIR]   (DATABASE_URL=postgres://... for PostgreSQL; default SQLite in DIR)

Fills a fresh database with ``--petitions`` petitions written from the templates of
``dataset.py`` (so that the corpus is full of form letters: the worst case for LSH, whose
buckets fill with look-alikes), each with a petitioner ID (keyed hash) and, for one in ten,
a sealed denouncer ID in the vault's blind index; the content index is built as intake
builds it. One petition in a thousand is then filed again as a near-identical copy (no
diacritics, typos, another addressee). ``--keep`` reuses a filled database.

Times ``registry.services.duplicates.find_duplicates(petition, user=admin)`` (what every
intake and detail response calls): half the queries are the copies (their original must be found), half are
random petitions. Prints p50, p95, p99 and max in milliseconds, and the recall on copies.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

CHUNK = 5000


def fill(n: int, seed: int = 11) -> list[tuple[int, int]]:
    """Insert ``n`` petitions; return (copy matter id, original matter id) pairs."""
    from dataset import positive, random_facts, render
    from django.db import transaction
    from django.utils import timezone

    from matters.models import Category, Matter
    from petitions.duplicates import content_key, id_key
    from petitions.models import Petition, PetitionerKey
    from registry.register import fold_exact
    from registry.services.duplicates import index_many
    from units.models import Unit
    from vault.bulk import insert_rows
    from vault.services import identity_seal_many

    rng = random.Random(seed)
    now = timezone.now()
    unit = Unit.objects.get(code="BENCH")
    category = Category.objects.get(code="land")
    pairs: list[tuple[int, int]] = []
    started = time.perf_counter()
    made = 0
    while made < n:
        size = min(CHUNK, n - made)
        facts = [random_facts(rng) for _ in range(size)]
        texts = [render(f) for f in facts]
        copies_here: list[int] = []
        for i in range(size):
            if rng.random() < 0.001 and i + 1 < size:
                copies_here.append(i)
        for i in copies_here:
            texts[i + 1], _kind = positive(facts[i], rng)
        rows = []
        for i in range(size):
            number = made + i
            year = 2020 + number // 200_000
            day = date(year, 1, 1) + timedelta(days=rng.randrange(360))
            title = texts[i].split("\n")[-1][:120]
            rows.append(
                {
                    "code": f"D{year}-33-{number % 200_000 + 1:06d}",
                    "kind": Matter.Kind.PETITION,
                    "title": title,
                    "search_text": fold_exact(title)[:300],
                    "area_id": "33",
                    "province": "33",
                    "category_id": category.code,
                    "owner_id": unit.pk,
                    "status": "received",
                    "opened_on": day,
                    "due_on": day,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        with transaction.atomic():
            insert_rows(Matter, rows)
            ids = dict(
                Matter.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", "id")
            )
            sealed = [i for i in range(size) if i % 10 == 0]
            refs = identity_seal_many(
                [
                    (
                        rows[i]["code"],
                        [
                            {
                                "full_name": f"Người {made + i}",
                                "id_number": f"0{rng.randrange(10**10, 10**11)}",
                            }
                        ],
                    )
                    for i in sealed
                ]
            )
            insert_rows(
                Petition,
                [
                    {
                        "matter_id": ids[r["code"]],
                        "kind": "denunciation" if i % 10 == 0 else "complaint",
                        "channel": "post",
                        "received_on": r["opened_on"],
                        "summary": r["title"],
                        "content": texts[i],
                        "content_key": content_key(texts[i]),
                        "sealed": i % 10 == 0,
                        "vault_ref": refs.get(r["code"], ""),
                    }
                    for i, r in enumerate(rows)
                ],
            )
            insert_rows(
                PetitionerKey,
                [
                    {
                        "petition_id": ids[r["code"]],
                        "key": id_key(f"0{rng.randrange(10**10, 10**11)}"),
                    }
                    for i, r in enumerate(rows)
                    if i % 10
                ],
            )
            index_many([(ids[r["code"]], texts[i]) for i, r in enumerate(rows)])
        matters = [ids[r["code"]] for r in rows]
        pairs.extend((matters[i + 1], matters[i]) for i in copies_here)
        made += size
        if made % 50_000 < CHUNK:
            rate = made / (time.perf_counter() - started)
            print(f"  {made:>9} petitions ({rate:.0f}/s)", flush=True)
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", default="")
    args = parser.parse_args()
    from setup_db import bench_office, start_django

    data_dir = start_django(args.keep, "dutdiem-bench-dupes-", "ERROR")
    from matters.models import Matter
    from petitions.models import Petition
    from registry.services.duplicates import find_duplicates

    pairs_file = data_dir / "copies.txt"
    admin, _unit = bench_office()
    have = Matter.objects.count()
    if have < args.petitions:
        started = time.perf_counter()
        pairs = fill(args.petitions - have)
        print(f"filled {args.petitions - have} petitions in {time.perf_counter() - started:.0f} s")
        with pairs_file.open("a") as handle:
            handle.writelines(f"{a} {b}\n" for a, b in pairs)
    pairs = [
        tuple(int(x) for x in line.split()) for line in pairs_file.read_text().split("\n") if line
    ]
    rng = random.Random(5)
    copies = rng.sample(pairs, min(len(pairs), args.queries // 2))
    top = Matter.objects.order_by("-id").values_list("id", flat=True).first() or 1
    others = [rng.randrange(1, top + 1) for _ in range(args.queries - len(copies))]
    queries = [(c, o) for c, o in copies] + [(m, None) for m in others]
    rng.shuffle(queries)
    codes = dict(
        Matter.objects.filter(
            id__in=[q for q, _ in queries] + [o for _, o in queries if o]
        ).values_list("id", "code")
    )
    for warm, _original in queries[:10]:
        petition = Petition.objects.filter(matter_id=warm).select_related("matter").first()
        if petition:
            find_duplicates(petition, user=admin)
    times = []
    found = 0
    for matter_id, original in queries:
        petition = Petition.objects.filter(matter_id=matter_id).first()
        if petition is None:
            continue
        started = time.perf_counter()
        result = find_duplicates(petition, user=admin)
        times.append((time.perf_counter() - started) * 1000)
        if original is not None and codes.get(original) in result:
            found += 1
    times.sort()
    q = statistics.quantiles(times, n=100)
    print(f"petitions: {Matter.objects.count()}; queries: {len(times)} ({len(copies)} copies)")
    print(
        f"find_duplicates ms: p50 {q[49]:.1f}  p95 {q[94]:.1f}  p99 {q[98]:.1f}  max {times[-1]:.1f}"
    )
    print(f"originals found for copies: {found}/{len(copies)}")
    from bench_import import calibration

    print(f"load average: {os.getloadavg()}; calibration: {calibration():.0f} ms")


if __name__ == "__main__":
    main()
