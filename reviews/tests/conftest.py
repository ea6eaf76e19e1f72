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
