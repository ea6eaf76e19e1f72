"""Petitions made straight on the matter spine, so vault tests do not depend on intake."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from areas.models import Area
from matters.models import Category, Matter
from matters.services import matter_new
from units.models import Unit

SENTINEL_NAME = "Trần Thị Sentinel Bí Mật"
SENTINEL_ID = "079123456789"


def bare_petition(owner: Unit, handler: Any = None, area: str = "33") -> Matter:
    with transaction.atomic():
        return matter_new(
            kind=Matter.Kind.PETITION,
            title="Tố cáo sai phạm đất đai",
            area=Area.objects.get(code=area),
            category=Category.objects.get(code="land"),
            owner=owner,
            opened_on=date(2026, 3, 2),
            status="received",
            handler=handler,
        )


def denouncer(name: str = SENTINEL_NAME, id_number: str = SENTINEL_ID) -> dict[str, str]:
    return {
        "full_name": name,
        "id_number": id_number,
        "address": "12 Phố Hiến",
        "phone": "0912345678",
    }
