"""Shared bits of the citizens' tests: a reception office beside the conftest world, codes
read from the outbox, a filing through the API, and small images made with Pillow."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any

from django.test import Client

from matters.models import Category
from outbox.models import Message
from units.models import Unit
from units.services import unit_create

ADDRESS = "198.51.100.20"
EMAIL = "cong.dan@example.vn"
PHONE = "0912345678"
CITIZEN = {"full_name": "Trần Thị Bình", "id_number": "034190001234", "address": "Thôn Nam, xã X"}
SECRETS = ("Trần Thị Bình", "034190001234", "Thôn Nam", EMAIL, PHONE)


@dataclass
class Front:
    world: Any
    office: Unit
    category: str
    commune: str


def front(world: Any) -> Front:
    office = unit_create(
        actor=world.admin,
        code="TCD",
        name="Ban Tiếp công dân tỉnh",
        kind="reception_office",
        parent="P",
        area="33",
    )
    category = Category.objects.filter(is_active=True).order_by("position", "code").first()
    assert category is not None
    return Front(world, office, category.code, world.commune.code)


def client(address: str = ADDRESS) -> Client:
    return Client(REMOTE_ADDR=address)


def post(path: str, body: dict[str, Any], address: str = ADDRESS) -> Any:
    return client(address).post(
        f"/api/v1/public/{path}", json.dumps(body), content_type="application/json"
    )


def last_code(to: str) -> str:
    message = Message.objects.filter(key__startswith="code-").order_by("-id").first()
    assert message is not None and message.payload["to"] == to
    text = message.payload.get("body") or message.payload.get("text")
    found = re.search(r"\b(\d{6})\b", text)
    assert found
    return found.group(1)


def verified(email: str = EMAIL, address: str = ADDRESS) -> dict[str, str]:
    response = post("contacts", {"email": email}, address)
    assert response.status_code == 202, response.content
    return {"email": email, "code": last_code(email)}


def body(f: Front, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "proposal",
        "area": f.commune,
        "category": f.category,
        "summary": "Đèn đường hỏng ở ngõ 5",
        "content": "Đèn đường trước nhà số 12 ngõ 5 hỏng đã hai tuần.",
        "location": {"lat": 20.6461, "lon": 106.0511},
        "public": True,
    }
    data.update(overrides)
    return data


def file_one(f: Front, address: str = ADDRESS, **overrides: Any) -> dict[str, Any]:
    data = body(f, **overrides)
    data.setdefault("contact", verified(address=address))
    response = post("petitions", data, address)
    assert response.status_code == 201, response.content
    return dict(response.json())


def jpeg(size: tuple[int, int] = (64, 48), gps: bool = True) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "CameraMaker"  # Make
        exif[0x8825] = {1: "N", 2: (20.0, 38.0, 46.0), 3: "E", 4: (106.0, 3.0, 4.0)}
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()
