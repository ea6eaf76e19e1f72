"""Petitions for vault tests: denunciations filed through the petitions intake service, and
bare matters on the spine where only the vault itself is under test."""

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
RECEIVED = date(2026, 3, 2)


def bare_petition(owner: Unit, handler: Any = None, area: str = "33") -> Matter:
    with transaction.atomic():
        return matter_new(
            kind=Matter.Kind.PETITION,
            title="Tố cáo sai phạm đất đai",
            area=Area.objects.get(code=area),
            category=Category.objects.get(code="land"),
            owner=owner,
            opened_on=RECEIVED,
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


def denunciation(actor: Any, people: list[dict[str, str]] | None = None, **extra: Any) -> Matter:
    """A denunciation filed by ``actor`` (its handler) through the intake service."""
    from petitions.services import petition_receive

    fields: dict[str, Any] = {
        "kind": "denunciation",
        "channel": "post",
        "received_on": RECEIVED,
        "area": "33",
        "category": "corruption",
        "summary": "Tố cáo cán bộ địa chính nhận tiền",
        "content": "Tôi tố cáo cán bộ địa chính xã đã nhận tiền khi làm hồ sơ cấp giấy chứng nhận.",
        "petitioners": people if people is not None else [denouncer()],
    }
    fields.update(extra)
    petition = petition_receive(actor=actor, **fields)
    return petition.matter
