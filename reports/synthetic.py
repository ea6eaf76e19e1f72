"""Synthetic matters in bulk, for the dashboard's benchmark, its browser test at realistic
volume and the demo's history: realistic mixes of kinds, categories, owners, areas, open
and closed, on time and late, spread over the weeks before ``until``.

They are written with ``bulk_create`` straight into the matter table (codes ``SYN…``), not
through the services: they have no audit trail and are not for anything but counts."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from django.db import transaction

from areas.models import Area
from matters.models import Category, Matter
from units.models import Unit

KIND_WEIGHTS = [
    ("petition", 70),
    ("task", 18),
    ("case", 8),
    ("review", 2),
    ("consultation", 1),
    ("statement", 1),
]
CATEGORY_WEIGHTS = {
    "land": 32,
    "compensation": 14,
    "housing": 6,
    "policy": 9,
    "justice": 5,
    "corruption": 4,
    "environment": 8,
    "labour": 5,
    "bot_toll": 1,
    "crime": 4,
    "public_order": 5,
    "other": 7,
}
CLOCK_DAYS = {
    "petition": 30,
    "task": 60,
    "case": 90,
    "review": 20,
    "consultation": 15,
    "statement": 2,
}


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def synthetic_matters(
    *,
    count: int,
    owners: Sequence[Unit],
    until: date,
    days: int = 3 * 365,
    seed: int = 7,
    batch_size: int = 5000,
    prefix: str = "SYN",
) -> int:
    """Create ``count`` matters owned by ``owners`` (a commune's people's committee files in
    its own commune; any other unit across the communes of its province), opened over the
    ``days`` before ``until``. Returns how many were created."""
    rng = random.Random(seed)
    categories = [c for c in Category.objects.values_list("code", flat=True)]
    cat_pairs = [(c, CATEGORY_WEIGHTS.get(c, 3)) for c in categories]
    owner_info = _owner_areas(owners)
    # Communes file most of the petitions; a few departments carry heavy loads.
    weights = [3 if len(areas) == 1 else 8 for _, areas, _ in owner_info]
    made = 0
    batch: list[Matter] = []
    start_number = Matter.objects.filter(code__startswith=prefix).count()
    for i in range(count):
        owner = rng.choices(owner_info, weights=weights)[0]
        number = start_number + i + 1
        batch.append(
            _synthetic_matter(rng, owner, cat_pairs, f"{prefix}{number:09d}", number, until, days)
        )
        if len(batch) >= batch_size:
            made += _save(batch)
            batch = []
    if batch:
        made += _save(batch)
    return made


def _owner_areas(owners: Sequence[Unit]) -> list[tuple[int, list[str], str]]:
    """(unit id, the communes it files in, its province) of each owner that has an area."""
    owner_info = []
    province_communes: dict[str, list[str]] = {}
    for unit in owners:
        area = unit.area
        if area is None:
            continue
        if area.kind == Area.Kind.COMMUNE:
            owner_info.append((unit.pk, [area.code], area.parent_id or "00"))
        else:
            communes = province_communes.setdefault(
                area.code,
                list(Area.objects.filter(parent_id=area.code).values_list("code", flat=True)),
            )
            owner_info.append((unit.pk, communes or [area.code], area.code))
    return owner_info


def _synthetic_matter(
    rng: random.Random,
    owner: tuple[int, list[str], str],
    cat_pairs: list[tuple[str, int]],
    code: str,
    number: int,
    until: date,
    days: int,
) -> Matter:
    """One matter of ``owner``: a kind, opened on a day before ``until``, due by its clock,
    maybe closed."""
    owner_id, areas, province = owner
    kind = _weighted(rng, KIND_WEIGHTS)
    opened = until - timedelta(days=int(days * (rng.random() ** 0.8)))
    due = opened + timedelta(days=CLOCK_DAYS[kind] + rng.randint(-3, 10))
    closed_on = _closed_on(rng, kind, opened, due, until)
    title = f"Việc tổng hợp số {number}"
    return Matter(
        code=code,
        kind=kind,
        title=title,
        search_text=title.lower(),
        area_id=rng.choice(areas),
        province=province,
        category_id=_weighted(rng, cat_pairs),
        owner_id=owner_id,
        status="resolved" if closed_on else "received",
        is_open=closed_on is None,
        opened_on=opened,
        due_on=due,
        closed_on=closed_on,
        bounces=0,
    )


def _closed_on(rng: random.Random, kind: str, opened: date, due: date, until: date) -> date | None:
    """Matters past their clock are mostly closed (a few linger for months); an eighth of
    those closed were closed late. None while open (or if it would close after ``until``)."""
    age = (until - opened).days
    clock = CLOCK_DAYS[kind]
    closed_share = min(0.9, age / (clock * 1.6)) if age <= 2 * clock else 1 - 0.1 * clock / age
    if rng.random() >= closed_share:
        return None
    late = rng.random() < 0.12
    span = (due - opened).days
    closed_on = (
        (due + timedelta(days=rng.randint(1, 40)))
        if late
        else opened + timedelta(days=rng.randint(1, max(span, 1)))
    )
    return None if closed_on > until else closed_on


def _save(batch: list[Matter]) -> int:
    with transaction.atomic():
        Matter.objects.bulk_create(batch)
    return len(batch)
