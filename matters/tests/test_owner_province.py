"""``owner_province`` is the owner unit's province on every path that sets the owner, and
the visibility rule that uses it gives the same matters as the rule by owner alone."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Q

from areas.models import Area
from conftest import make_official
from matters.models import Category, Matter
from matters.selectors import matters_visible_to, owned_by
from matters.services import matter_new
from units.models import Unit
from units.services import unit_create

pytestmark = pytest.mark.django_db


def other_province() -> Area:
    area = Area.objects.filter(kind=Area.Kind.PROVINCE).exclude(code="33").order_by("code").first()
    assert area is not None
    return area


def where(condition: Q) -> str:
    return str(Matter.objects.filter(condition).query).split(" WHERE ")[1]


def new_matter(world: Any, owner: Unit) -> Matter:
    with transaction.atomic():
        return matter_new(
            kind="task",
            title="Việc thử",
            area=world.commune,
            category=Category.objects.get(code="land"),
            owner=owner,
            opened_on=date(2026, 11, 2),
            status="open",
        )


def test_new_moved_and_bulk_created_matters_carry_the_owner_province(world: Any) -> None:
    far = other_province()
    q = unit_create(
        actor=world.admin, code="Q", name="UBND khác", kind="peoples_committee", area=far.code
    )
    matter = new_matter(world, world.c)  # a commune's unit: its province is the commune's
    assert matter.owner_province == "33"
    matter.owner = q
    matter.save(update_fields=["owner"])  # as matter_handoff saves a new owner
    assert Matter.objects.get(pk=matter.pk).owner_province == far.code
    loaded = Matter.objects.get(pk=matter.pk)
    loaded.owner = world.a
    loaded.save()
    assert Matter.objects.get(pk=matter.pk).owner_province == "33"
    template = Matter.objects.get(pk=matter.pk)
    template.pk, template.code, template.owner, template.owner_province = None, "BULK-1", q, ""
    Matter.objects.bulk_create([template])
    assert Matter.objects.get(code="BULK-1").owner_province == far.code


def test_a_unit_that_changes_province_takes_its_matters_along(world: Any) -> None:
    matter = new_matter(world, world.b)
    far = other_province()
    world.b.area = far
    world.b.save()
    assert Matter.objects.get(pk=matter.pk).owner_province == far.code


def test_the_migration_backfills_every_matter(world: Any) -> None:
    a, c = new_matter(world, world.a), new_matter(world, world.c)
    Matter.objects.update(owner_province="")
    migration = importlib.import_module("matters.migrations.0007_owner_province")
    migration.backfill(apps, None)
    assert {m.pk: m.owner_province for m in Matter.objects.all()} == {a.pk: "33", c.pk: "33"}


def test_a_leader_sees_by_owner_province_the_same_matters_as_by_owner(world: Any) -> None:
    far = other_province()
    q = unit_create(
        actor=world.admin, code="Q", name="UBND khác", kind="peoples_committee", area=far.code
    )
    mine = [new_matter(world, u) for u in (world.p, world.a, world.b, world.c)]
    moved_in = new_matter(world, q)
    moved_in.owner = world.b
    moved_in.save(update_fields=["owner"])
    elsewhere = new_matter(world, q)
    units = list(Unit.objects.filter(code__in=["P", "A", "B", "C"]).values_list("id", flat=True))
    # One province: the condition names it, and selects the very matters owned by the units.
    assert "owner_province" in where(owned_by(units))
    by_owner = set(Matter.objects.filter(owner_id__in=units).values_list("pk", flat=True))
    assert set(Matter.objects.filter(owned_by(units)).values_list("pk", flat=True)) == by_owner
    seen = set(matters_visible_to(world.leader_p, in_code_order=True).values_list("pk", flat=True))
    assert seen == {m.pk for m in mine} | {moved_in.pk} and elsewhere.pk not in seen
    # Units of two provinces: the condition is by owner alone.
    both = [*units, q.id]
    assert "owner_province" not in where(owned_by(both))
    leader_q = make_official("leader_q", q, ["leader"])
    assert set(matters_visible_to(leader_q).values_list("pk", flat=True)) == {elsewhere.pk}
    assert Matter.objects.filter(Q(owner_province="33")).count() == 5


@pytest.mark.parametrize(
    "filters",
    [{}, {"state": "overdue"}, {"is_open": True}, {"kind": "task"}, {"owner": "B"}],
    ids=["widest", "overdue", "open", "kind", "owner"],
)
def test_a_list_and_its_count_select_the_same_matters(world: Any, filters: dict[str, Any]) -> None:
    """The page reads the province's code index, the count the owner index: two
    conditions, one set of rows, whatever the filter."""
    for unit in (world.p, world.a, world.b, world.c, world.b, world.c):
        new_matter(world, unit)
    late = new_matter(world, world.c)
    Matter.objects.filter(pk=late.pk).update(due_on=date(2026, 11, 20))
    Matter.objects.filter(pk=new_matter(world, world.b).pk).update(is_open=False)
    from matters.selectors import matter_list_for_user

    day = date(2026, 12, 1)
    page = matter_list_for_user(world.leader_p, today=day, **filters)
    count = matter_list_for_user(world.leader_p, today=day, for_count=True, **filters)
    page_where, count_where = (str(qs.query).split(" WHERE ")[1] for qs in (page, count))
    assert "owner_province" in page_where and "owner_province" not in count_where
    assert "ORDER BY" not in str(count.query)
    # No joins but those a filter needs (the owner's code is the unit's).
    assert ("JOIN" in str(count.query)) == ("owner" in filters)
    rows = list(page.values_list("pk", flat=True))
    assert rows and sorted(rows) == sorted(count.values_list("pk", flat=True))


def test_paginate_counts_the_count_query_when_given(world: Any) -> None:
    from common.pagination import paginate

    made = [new_matter(world, world.c) for _ in range(3)]
    items, count = paginate(Matter.objects.all(), 1, 2)
    assert (len(items), count) == (2, 3)
    items, count = paginate(
        Matter.objects.all(), 1, 2, count_qs=Matter.objects.filter(pk=made[0].pk)
    )
    assert (len(items), count) == (2, 1)


def test_postgresql_knows_the_province_follows_from_the_owner() -> None:
    """Without the statistics of that dependency, a province's filtered list is estimated
    at a twentieth of its rows and sorted rather than walked (migration matters 0009)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statistics of a dependency are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxkeys::text, stxkind::text FROM pg_statistic_ext WHERE stxname = %s",
            ["matter_owner_province_dep"],
        )
        row = cursor.fetchone()
    assert row is not None and "f" in row[1]
