"""Fill a PostgreSQL database with a national-scale unit tree and N matters, fast (COPY).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_10m \
        .venv/bin/python bench/load/generate.py --matters 10000000

The database must be migrated (``dutdiem migrate``). What it makes:
- for each of the 34 provinces: a people's committee, six departments under it, and one
  people's committee per commune of the province (3,321 in all): about 3,560 units;
- N matters on the spine: owners 60 % communes, 30 % departments, 10 % provinces; kinds and
  categories in the proportions of a province's registers; opened over the last three years;
  recent ones mostly open, older ones mostly closed; codes in the real format, numbered per
  (kind, province, year), and the code sequences moved past them so that intake goes on;
- a leader for every province committee and a head for every commune unit (password
  ``bench-password-2026``), for the measurements and the load test.

The secondary indexes are dropped before the COPY and built again after it (much faster than
keeping them up to date row by row), then the table is analysed. No audit events: these rows
exist only to be counted and listed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from areas.models import Area  # noqa: E402
from matters.services import CODE_PREFIX  # noqa: E402
from units.models import Unit  # noqa: E402

PASSWORD = "bench-password-2026"
KINDS = ["petition", "task", "case", "review", "consultation", "statement"]
KIND_P = [0.70, 0.18, 0.08, 0.02, 0.01, 0.01]
CATEGORIES = [
    "land",
    "compensation",
    "housing",
    "policy",
    "justice",
    "corruption",
    "environment",
    "labour",
    "bot_toll",
    "crime",
    "public_order",
    "other",
]
CATEGORY_P = np.array([32, 14, 6, 9, 5, 4, 8, 5, 1, 4, 5, 7], dtype=float)
CATEGORY_P /= CATEGORY_P.sum()
DEPARTMENTS = ["TC", "TNMT", "XD", "NV", "TTR", "CA"]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def make_units() -> list[tuple[int, str, str, int]]:
    """(unit id, area code, province code, weight class 0 commune / 1 department / 2 province)."""
    if Unit.objects.filter(code__startswith="BN-").exists():
        log("units already there")
    else:
        log("making units")
        provinces = list(Area.objects.filter(kind=Area.Kind.PROVINCE).order_by("code"))
        with transaction.atomic():
            tops = Unit.objects.bulk_create(
                Unit(
                    code=f"BN-{p.code}",
                    name=f"UBND {p.name}",
                    kind="peoples_committee",
                    area=p,
                    depth=0,
                )
                for p in provinces
            )
            for unit in tops:
                unit.path = f"/{unit.id}/"
            Unit.objects.bulk_update(tops, ["path"])
            children = []
            for top, province in zip(tops, provinces, strict=True):
                children += [
                    Unit(
                        code=f"BN-{province.code}-{d}",
                        name=f"Sở {d} {province.name}",
                        kind="department",
                        parent=top,
                        area=province,
                        depth=1,
                    )
                    for d in DEPARTMENTS
                ]
                children += [
                    Unit(
                        code=f"BN-{c.code}",
                        name=f"UBND {c.name}",
                        kind="peoples_committee",
                        parent=top,
                        area=c,
                        depth=1,
                    )
                    for c in Area.objects.filter(parent_id=province.code)
                ]
            children = Unit.objects.bulk_create(children, batch_size=2000)
            by_id = {t.id: t for t in tops}
            for unit in children:
                unit.path = f"{by_id[unit.parent_id].path}{unit.id}/"
            Unit.objects.bulk_update(children, ["path"], batch_size=2000)
        make_officials()
    rows = []
    for unit_id, area_id, kind, depth, area_kind, area_parent in Unit.objects.filter(
        code__startswith="BN-"
    ).values_list("id", "area_id", "kind", "depth", "area__kind", "area__parent_id"):
        # The unit's province (its area's, as matters.models.unit_provinces says): the
        # matters' ``province`` and ``owner_province`` both.
        province = area_id if area_kind == Area.Kind.PROVINCE else area_parent
        weight = 2 if depth == 0 else (1 if kind == "department" else 0)
        rows.append((unit_id, area_id, province, weight))
    return rows


def make_officials() -> None:
    log("making officials")
    hashed = make_password(PASSWORD)
    users = []
    for unit in Unit.objects.filter(code__startswith="BN-").exclude(kind="department"):
        role = "leader" if unit.depth == 0 else "head"
        users.append(
            User(
                username=f"{unit.code.lower()}.{role}",
                password=hashed,
                full_name=f"{role} {unit.code}",
                unit=unit,
                roles=[role],
            )
        )
    User.objects.bulk_create(users, batch_size=2000)
    for user in User.objects.filter(username__startswith="bn-", roles__contains=["head"]):
        Unit.objects.filter(pk=user.unit_id).update(head=user)


def secondary_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.tablename = 'matters_matter' AND i.indexname NOT IN (
                 SELECT conname FROM pg_constraint WHERE conrelid = 'matters_matter'::regclass)"""
        )
        return list(cursor.fetchall())


def copy_matters(total: int, units: list[tuple[int, str, str, int]], seed: int) -> None:
    rng = np.random.default_rng(seed)
    ids = np.array([u[0] for u in units])
    areas = [u[1] for u in units]
    provinces = [u[2] for u in units]
    weights = np.array([{0: 60, 1: 30, 2: 10}[u[3]] for u in units], dtype=float)
    for cls, share in ((0, 60), (1, 30), (2, 10)):
        mask = np.array([u[3] == cls for u in units])
        weights[mask] = share / mask.sum()
    weights /= weights.sum()
    today = date.today()
    first = today - timedelta(days=3 * 365)
    counters: dict[tuple[str, str, int], int] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM matters_matter")
        next_id = int(cursor.fetchone()[0]) + 1
    columns = (
        "id, code, kind, title, search_text, province, status, is_open, opened_on, clock_start, "
        "extensions, extension_days, suspended_days, due_on, closed_on, outcome, bounces, version, "
        "created_at, updated_at, area_id, category_id, owner_id, owner_province"
    )
    batch = 250_000
    done = 0
    raw = connection.connection
    while done < total:
        n = min(batch, total - done)
        owner_idx = rng.choice(len(ids), size=n, p=weights)
        kinds = rng.choice(len(KINDS), size=n, p=KIND_P)
        cats = rng.choice(len(CATEGORIES), size=n, p=CATEGORY_P)
        age = rng.integers(0, 3 * 365, size=n)
        length = rng.integers(10, 91, size=n)
        recent = age < 90
        open_ = np.where(recent, rng.random(n) < 0.7, rng.random(n) < 0.08)
        took = rng.integers(5, 121, size=n)
        bounces = rng.poisson(0.15, size=n)
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY matters_matter ({columns}) FROM STDIN") as copy,
        ):
            for i in range(n):
                kind = KINDS[kinds[i]]
                unit = owner_idx[i]
                province = provinces[unit]
                opened = first + timedelta(days=int(age[i]))
                key = (kind, province, opened.year)
                counters[key] = counters.get(key, 0) + 1
                code = f"{CODE_PREFIX[kind]}{opened.year}-{province}-{counters[key]:06d}"
                title = f"Bench {kind} {code}"
                closed = None if open_[i] else opened + timedelta(days=int(took[i]))
                if closed is not None and closed > today:
                    closed = today
                stamp = datetime(opened.year, opened.month, opened.day, 8, tzinfo=UTC)
                copy.write_row(
                    (
                        next_id,
                        code,
                        kind,
                        title,
                        title.lower(),
                        province,
                        "open" if open_[i] else "closed",
                        bool(open_[i]),
                        opened,
                        opened,
                        0,
                        0,
                        0,
                        opened + timedelta(days=int(length[i])),
                        closed,
                        "",
                        int(bounces[i]),
                        1,
                        stamp,
                        stamp,
                        areas[unit],
                        CATEGORIES[cats[i]],
                        int(ids[unit]),
                        province,
                    )
                )
                next_id += 1
        raw.commit()
        done += n
        log(f"{done:,} matters")
    with connection.cursor() as cursor:
        for (kind, province, year), last in counters.items():
            cursor.execute(
                """INSERT INTO matters_sequence (scope, year, last) VALUES (%s, %s, %s)
                   ON CONFLICT (scope, year) DO UPDATE SET last = GREATEST(matters_sequence.last, EXCLUDED.last)""",
                [f"matter:{kind}:{province}", year, last],
            )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('matters_matter', 'id'), %s)", [next_id]
        )


PETITION_DETAILS = """
INSERT INTO petitions_petition (matter_id, kind, channel, received_on, summary, content, content_key,
    signers, representative, instance, disciplinary, complexity, remote, processing_due_on,
    intake_decision, intake_grounds, refusal_ground, guided_to, decision_no, sealed, vault_ref,
    receipt_pin_hash)
SELECT m.id, (ARRAY['complaint','proposal','proposal','proposal'])[1 + m.id % 4],
    (ARRAY['in_person','post','online','forwarded'])[1 + m.id % 4], m.opened_on, m.title, '', '',
    1, '', 1, false, 'normal', false, m.due_on, '', '', '', '', '', false, '', ''
FROM matters_matter m
WHERE m.kind = 'petition' AND m.title LIKE 'Bench %'
  AND NOT EXISTS (SELECT 1 FROM petitions_petition p WHERE p.matter_id = m.id)
"""


def petition_details() -> None:
    """The one-to-one petition row beside every generated petition matter (the petition
    pages and lists read it); no petitioners, nothing sealed."""
    with connection.cursor() as cursor:
        cursor.execute(PETITION_DETAILS)
        log(f"{cursor.rowcount:,} petition rows")
        cursor.execute("VACUUM ANALYZE petitions_petition")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--matters", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("the generator writes with COPY: set DATABASE_URL=postgres://...")
    units = make_units()
    log(f"{len(units)} units")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM matters_matter")
        existing = int(cursor.fetchone()[0])
    if existing >= args.matters:
        log(f"{existing:,} matters already there")
        petition_details()
        return
    indexes = secondary_indexes()
    started = time.monotonic()
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    copy_matters(args.matters - existing, units, args.seed + existing)
    log(f"copied in {time.monotonic() - started:.0f} s; building {len(indexes)} indexes")
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        # As autovacuum leaves a table in service: statistics, and the visibility map that
        # lets counts and id pages be answered from an index alone.
        cursor.execute("VACUUM ANALYZE matters_matter")
        cursor.execute("ANALYZE units_unit")
    petition_details()
    log(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
