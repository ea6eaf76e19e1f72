"""The demo modules of reviews and statements load on the demo province's units and officials
and show what they promise: a coastal review with one answer and one deemed consent, and a
statement given within 24 hours after an incident."""

from __future__ import annotations

import pytest
import time_machine

from accounts.models import User
from accounts.services import official_create
from demo.services import OFFICIALS, PROVINCE_UNITS, DemoContext, commune_unit_code
from reviews import demo as reviews_demo
from reviews.models import Consultation, Review
from statements import demo as statements_demo
from statements.models import Spokesperson, Statement
from statements.services import on_time
from units.services import unit_create

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-26 14:00 +0700", tick=False)
def test_demo_review_and_statements():
    admin = User.objects.create_superuser("admin", "", "x-demo-password")
    ctx = DemoContext(admin=admin)
    for code, name, kind, parent in PROVINCE_UNITS:
        ctx.units[code] = unit_create(
            actor=admin, code=code, name=name, kind=kind, parent=parent, area="33"
        )
    for area in ("13003", "12826"):
        code = commune_unit_code(area)
        ctx.units[code] = unit_create(
            actor=admin,
            code=code,
            name=f"UBND {area}",
            kind="peoples_committee",
            parent="HY-UBND",
            area=area,
        )
    for username, full_name, unit, roles in OFFICIALS:
        ctx.officials[username] = official_create(
            actor=admin,
            username=username,
            password="x-demo-password",
            full_name=full_name,
            unit=unit,
            roles=roles,
        )
    reviews_demo.load(ctx)
    statements_demo.load(ctx)

    review = Review.objects.get(matter__area_id="13003")
    assert review.flags == ["coastal"] and review.matter.owner.code == "HY-STC"
    statuses = {c.unit.code: c.matter.status for c in Consultation.objects.filter(review=review)}
    assert statuses["HY-BCHQS"] == "answered" and statuses["HY-CA"] == "deemed_consent"
    assert review.matter.is_open
    assert Review.objects.filter(matter__status="refused").count() == 1

    incident = Statement.objects.get(trigger="event")
    assert incident.matter.status == "delivered" and on_time(incident) is True
    assert incident.speaker_registered is True
    assert Spokesperson.objects.filter(unit__code="HY-UBND", posted_at__isnull=False).exists()
    assert Statement.objects.filter(
        duty="monthly_information", matter__owner__code="HY-UBND"
    ).exists()
