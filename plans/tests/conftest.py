"""Fixtures of the plans tests: the shared world plus an outside unit D, and helpers that
build a directive, a plan and tasks through the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from conftest import World, make_official
from units.services import unit_create

DAY = "2026-03-02"  # a Monday


@dataclass
class PlanWorld:
    w: World
    d: Any
    official_d: Any
    directive: int
    plan: int

    def api(self, user: Any) -> Any:
        return self.w.api(user)


def make_directive(api: Any, number: str = "32-KL/TW", issued_on: str = "2026-01-05") -> int:
    r = api.post(
        "directives",
        {
            "number": number,
            "title": "Về tình hình an ninh trật tự",
            "issued_on": issued_on,
            "issuer": "Bộ Chính trị",
        },
    )
    assert r.status_code == 201, r.content
    return int(r.json()["id"])


def make_plan(
    api: Any, directive: int, unit: str, targets: list[str], parent: int | None = None, **extra: Any
) -> int:
    body = {
        "directive": directive,
        "unit": unit,
        "number": extra.pop("number", f"KH-{unit}"),
        "title": extra.pop("title", f"Kế hoạch của {unit}"),
        "issued_on": extra.pop("issued_on", "2026-02-02"),
        "briefing_due": extra.pop("briefing_due", "2026-02-27"),
        "targets": targets,
        "parent": parent,
    }
    r = api.post("plans", body)
    assert r.status_code == 201, r.content
    return int(r.json()["id"])


def make_task(
    api: Any, plan: int, lead: str, due_on: str, cooperating: list[str] | None = None, **extra: Any
) -> str:
    body = {
        "title": extra.pop("title", f"Nhiệm vụ của {lead}"),
        "lead": lead,
        "cooperating": cooperating or [],
        "due_on": due_on,
        "area": extra.pop("area", "33"),
        "category": extra.pop("category", "public_order"),
        "opened_on": extra.pop("opened_on", "2026-02-02"),
        **extra,
    }
    r = api.post(f"plans/{plan}/tasks", body)
    assert r.status_code == 201, r.content
    return str(r.json()["code"])


@pytest.fixture
def pw(world: World) -> PlanWorld:
    """P's plan on a directive, targeting A and C; D is a unit outside it all."""
    with time_machine.travel(DAY, tick=False):
        d = unit_create(
            actor=world.admin, code="D", name="Sở D", kind="department", parent="P", area="33"
        )
        official_d = make_official("official_d", d, ["clerk", "handler"])
        api = world.api(world.leader_p)
        directive = make_directive(api)
        plan = make_plan(api, directive, "P", ["A", "C"])
    return PlanWorld(w=world, d=d, official_d=official_d, directive=directive, plan=plan)
