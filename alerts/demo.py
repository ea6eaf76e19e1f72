"""Demo data for early warning: two years of weekly proposals in a score of communes, with a
cluster of land petitions planted in one commune last week, and the weekly run done, so that
`make run` shows an alert to that commune's chairman."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import F

from alerts.services import last_complete_week, warn
from common.clock import today
from matters.models import Matter, Sequence
from petitions.models import Channel, Kind, Petition, Status

CATEGORIES = ["land", "environment", "policy"]
SUMMARIES = {
    "land": "Kiến nghị về tranh chấp ranh giới đất ở",
    "environment": "Phản ánh ô nhiễm từ cơ sở chăn nuôi",
    "policy": "Kiến nghị xem xét chế độ chính sách",
}
WEEKS = 104


def _codes(province: str, year: int, n: int) -> list[str]:
    """Take ``n`` consecutive petition numbers of ``year`` at once (gapless)."""
    Sequence.objects.get_or_create(scope=f"matter:petition:{province}", year=year)
    seq = Sequence.objects.select_for_update().get(scope=f"matter:petition:{province}", year=year)
    first = seq.last + 1
    Sequence.objects.filter(pk=seq.pk).update(last=F("last") + n)
    return [f"D{year}-{province}-{first + i:06d}" for i in range(n)]


@transaction.atomic
def load(ctx: Any) -> None:
    rng = np.random.default_rng(2018)
    last_week = last_complete_week(today())
    first_week = last_week - timedelta(weeks=WEEKS - 1)
    communes = ctx.communes[:20]
    planted = ctx.communes[1]  # a commune with a head in the demo (xa2.chutich), who acts on it
    plan: list[tuple[Any, str, Any]] = []  # (commune unit, category, opened_on)
    for unit in communes:
        for category in CATEGORIES:
            rate = rng.uniform(0.2, 0.7)
            for week in range(WEEKS - 1):  # the last week is quiet except for the cluster
                for _ in range(int(rng.poisson(rate))):
                    plan.append(
                        (
                            unit,
                            category,
                            first_week + timedelta(weeks=week, days=int(rng.integers(0, 5))),
                        )
                    )
        plan.append((unit, "policy", last_week + timedelta(days=1)))
    for day in range(12):
        plan.append((planted, "land", last_week + timedelta(days=day % 5)))
    by_year: dict[int, list[int]] = {}
    for i, (_, _, opened) in enumerate(plan):
        by_year.setdefault(opened.year, []).append(i)
    codes: dict[int, str] = {}
    for year, indexes in by_year.items():
        for i, code in zip(indexes, _codes("33", year, len(indexes)), strict=True):
            codes[i] = code
    matters = []
    for i, (unit, category, opened) in enumerate(plan):
        recent = (last_week - opened).days < 14
        matters.append(
            Matter(
                code=codes[i],
                kind=Matter.Kind.PETITION,
                title=SUMMARIES[category],
                search_text=SUMMARIES[category].lower(),
                area_id=unit.area_id,
                province="33",
                category_id=category,
                owner=unit,
                status=Status.RECEIVED if recent else Status.RESOLVED,
                is_open=recent,
                opened_on=opened,
                due_on=opened + timedelta(days=14),
                closed_on=None if recent else opened + timedelta(days=int(rng.integers(3, 20))),
            )
        )
    Matter.objects.bulk_create(matters, batch_size=500)
    saved = dict(
        Matter.objects.filter(code__in=[m.code for m in matters]).values_list("code", "id")
    )
    Petition.objects.bulk_create(
        [
            Petition(
                matter_id=saved[m.code],
                kind=Kind.PROPOSAL,
                channel=Channel.IN_PERSON,
                received_on=m.opened_on,
                summary=m.title,
                content=m.title,
            )
            for m in matters
        ],
        batch_size=500,
    )
    run = warn(today())
    ctx.log.append(
        f"Early warning: {len(matters)} proposals over {WEEKS} weeks; "
        f"{run.alerts_opened} alert(s) raised for the week of {run.week:%d/%m/%Y}."
    )
