"""Demo data across the reform of 1 July 2025: four years of petitions of old Thái Bình
communes of huyện Đông Hưng, filed under their old codes (each keeps its old commune and is
counted for Xã Đông Hưng, 12688, which replaced them), and the closed people's committee of
huyện Đông Hưng with two petitions still open, waiting on the "Closed units" page to be
handed over to UBND Xã Đông Hưng."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import F

from areas.models import BEFORE_REFORM, FormerArea
from matters.models import Matter, Sequence
from petitions.models import Channel, Kind, Petition, Status
from units.services import unit_close, unit_create

NEW_COMMUNE = "12688"  # Xã Đông Hưng (Hưng Yên), made of six old communes of Thái Bình
SUMMARIES = {
    "land": "Kiến nghị về ranh giới đất nông nghiệp",
    "environment": "Phản ánh ô nhiễm kênh tưới tiêu",
    "policy": "Kiến nghị xem xét chế độ người có công",
}


def _codes(year: int, n: int) -> list[str]:
    Sequence.objects.get_or_create(scope="matter:petition:33", year=year)
    seq = Sequence.objects.select_for_update().get(scope="matter:petition:33", year=year)
    Sequence.objects.filter(pk=seq.pk).update(last=F("last") + n)
    return [f"D{year}-33-{seq.last + 1 + i:06d}" for i in range(n)]


@transaction.atomic
def load(ctx: Any) -> None:
    unit = ctx.units.get(f"UBND-{NEW_COMMUNE}")
    if unit is None:
        return
    olds = list(
        FormerArea.objects.filter(succession__area_id=NEW_COMMUNE, kind="commune").order_by("code")
    )
    rng = np.random.default_rng(2025)
    plan: list[tuple[FormerArea, str, date]] = []
    day = date(2021, 7, 5)
    while day <= BEFORE_REFORM - timedelta(days=3):
        for old in olds:
            for category in SUMMARIES:
                for _ in range(int(rng.poisson(0.15))):
                    plan.append((old, category, day + timedelta(days=int(rng.integers(0, 5)))))
        day += timedelta(weeks=1)
    by_year: dict[int, list[int]] = {}
    for i, (_old, _category, opened) in enumerate(plan):
        by_year.setdefault(opened.year, []).append(i)
    codes: dict[int, str] = {}
    for year, indexes in sorted(by_year.items()):
        codes.update(zip(indexes, _codes(year, len(indexes)), strict=True))
    matters = [
        Matter(
            code=codes[i],
            kind=Matter.Kind.PETITION,
            title=SUMMARIES[category],
            search_text=SUMMARIES[category].lower(),
            area_id=NEW_COMMUNE,
            area_before=old,
            province="33",
            category_id=category,
            owner=unit,
            status=Status.RESOLVED,
            is_open=False,
            opened_on=opened,
            due_on=opened + timedelta(days=10),
            closed_on=opened + timedelta(days=int(rng.integers(3, 15))),
        )
        for i, (old, category, opened) in enumerate(plan)
    ]
    Matter.objects.bulk_create(matters, batch_size=500)
    ids = dict(Matter.objects.filter(code__in=[m.code for m in matters]).values_list("code", "id"))
    Petition.objects.bulk_create(
        [
            Petition(
                matter_id=ids[m.code],
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
    _closed_district(ctx, unit)
    ctx.log.append(
        f"Before/after 1 July 2025: {len(matters)} petitions of {len(olds)} old communes of "
        f"huyện Đông Hưng (Thái Bình) counted for Xã Đông Hưng; UBND huyện Đông Hưng closed."
    )


def _closed_district(ctx: Any, successor: Any) -> None:
    """The old district's people's committee, closed with two petitions still open."""
    from petitions.services import petition_receive

    district = unit_create(
        actor=ctx.admin,
        code="TB-UBND-DONGHUNG",
        name="UBND huyện Đông Hưng (cũ)",
        kind="peoples_committee",
        parent="HY-UBND",
        area=NEW_COMMUNE,
    )
    for summary, old in [
        ("Kiến nghị giải quyết dứt điểm tranh chấp lối đi chung", "12751"),
        ("Khiếu nại việc bồi thường khi mở rộng đường huyện", "340"),
    ]:
        petition_receive(
            actor=ctx.admin,
            kind="proposal",
            channel="post",
            received_on=date(2025, 6, 23),
            area=old,
            category="land",
            summary=summary,
            owner=district.code,
        )
    unit_close(actor=ctx.admin, unit=district, successor=successor.code, closed_on=BEFORE_REFORM)
