"""Review fixtures: the shared world plus a provincial military command and police.

A is the Department of Finance (registers dossiers), M the military command, Q the police,
C the commune; official_b (department B) is the outsider, leader_p sees everything and may
act on nothing that is not P's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from conftest import World, make_official
from units.services import unit_create


@pytest.fixture(autouse=True)
def _review_rules(request: pytest.FixtureRequest) -> None:
    """Rule rows and categories come from data migrations, which a transactional test's flush
    empties: put them back when missing (the migrations' own code)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("world")
    reseed()


def reseed() -> None:
    import importlib

    from django.apps import apps

    from matters.models import Category, DeadlineRule

    if not DeadlineRule.objects.filter(key__startswith="reviews.").exists():
        importlib.import_module("reviews.migrations.0002_deadline_rules").seed(apps, None)
        importlib.import_module("reviews.migrations.0004_foreign_capital_notice_configurable").mark(
            apps, None
        )
    if not Category.objects.filter(code="investment").exists():
        importlib.import_module("reviews.migrations.0003_category").seed(apps, None)
    if not DeadlineRule.objects.filter(key__startswith="statements.").exists():
        importlib.import_module("statements.migrations.0002_deadline_rules").seed(apps, None)


@dataclass
class ReviewWorld:
    w: World
    m: Any
    q: Any
    head_m: Any
    head_q: Any
    officer_q: Any

    def review_body(self, **overrides: Any) -> dict[str, Any]:
        body = {
            "project": "Khu du lịch sinh thái biển Đồng Châu",
            "investor": "Công ty TNHH Hải Dương",
            "nationality": "Hàn Quốc",
            "foreign_share": 70,
            "area": self.w.commune.code,
            "flags": ["coastal"],
            "land_area_m2": 125000,
            "lease_years": 50,
            "received_on": "2026-04-01",
            "valid_on": "2026-04-03",
        }
        body.update(overrides)
        return body


@pytest.fixture
def rw(world: World) -> ReviewWorld:
    admin = world.admin
    m = unit_create(
        actor=admin, code="M", name="Bộ CHQS tỉnh", kind="military", parent="P", area="33"
    )
    q = unit_create(
        actor=admin, code="Q", name="Công an tỉnh", kind="police", parent="P", area="33"
    )
    return ReviewWorld(
        w=world,
        m=m,
        q=q,
        head_m=make_official("head_m", m, ["head"]),
        head_q=make_official("head_q", q, ["head"]),
        officer_q=make_official("officer_q", q, ["handler"]),
    )


def d(text: str) -> date:
    return date.fromisoformat(text)
