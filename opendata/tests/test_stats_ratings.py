"""The citizens' ratings in the public statistics: given in the period, per unit rated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from petitions.models import Petition
from registry.tests.helpers import file, travel

pytest.importorskip("citizens.models", reason="ratings are the citizens' app's")
pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_ratings_given_in_the_period_count(world: Any) -> None:
    from citizens.models import Feedback

    with travel():
        codes = [file(world)["code"] for _ in range(3)]
        for code, rating, day in zip(codes, (5, 2, 1), (10, 12, 1), strict=True):
            month = 3 if day != 1 else 1
            Feedback.objects.create(
                petition=Petition.objects.get(matter__code=code),
                unit=world.a,
                rating=rating,
                created_at=timezone.make_aware(datetime(2026, month, day, 10)),
            )
        rows = (
            Client()
            .get(
                "/api/v1/public/stats", {"province": "33", "from": "2026-03-01", "to": "2026-03-16"}
            )
            .json()
        )
    a = next(r for r in rows if r["unit"] == "A")
    assert (a["rating_mean"], a["ratings"]) == (3.5, 2)
    b = next(r for r in rows if r["unit"] == "B")
    assert (b["rating_mean"], b["ratings"]) == (None, 0)
