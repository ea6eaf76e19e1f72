"""The demo province's citizens' front door: a routing rule, a handful of proposals filed
online with photos (small JPEGs drawn here), some answered and rated, one reopened, and one
citizen's request to know what is held about them."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.utils import timezone

from citizens import contacts, services
from citizens.models import ContactCode, ContactKind
from common.clock import today
from petitions.models import Petition
from petitions.services import petition_accept, petition_resolve

DEMO_ADDRESS = "demo-loader"

# summary, content, category, commune index, (d lat, d lon), colour, fate
PROPOSALS = [
    (
        "Đèn đường hỏng ở ngõ chợ",
        "Ba cột đèn đầu ngõ chợ tắt đã hai tuần, tối đi lại nguy hiểm.",
        "other",
        0,
        (0.002, 0.001),
        (230, 190, 60),
        "rated5",
    ),
    (
        "Rác thải ùn ứ cạnh kênh",
        "Rác sinh hoạt đổ bừa cạnh kênh tưới, bốc mùi.",
        "environment",
        1,
        (-0.001, 0.002),
        (90, 140, 70),
        "reopened",
    ),
    (
        "Ổ gà lớn trên đường trục xã",
        "Đoạn đường trước trường tiểu học có ổ gà sâu, xe máy dễ ngã.",
        "other",
        0,
        (0.001, -0.002),
        (120, 110, 100),
        "rated3",
    ),
    (
        "Cống thoát nước bị tắc",
        "Mưa xong nước tràn vào nhà dân vì cống tắc.",
        "environment",
        2,
        (0.000, 0.001),
        (60, 90, 150),
        "open",
    ),
    (
        "Biển báo giao thông bị đổ",
        "Biển báo khúc cua nguy hiểm bị đổ sau bão.",
        "other",
        1,
        (0.002, 0.000),
        (200, 60, 50),
        "open",
    ),
]


def _photo(colour: tuple[int, int, int]) -> tuple[bytes, int, int]:
    from PIL import Image, ImageDraw

    from citizens.photos import clean_image

    image = Image.new("RGB", (320, 240), (235, 232, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 280, 200), fill=colour)
    draw.ellipse((120, 20, 200, 100), fill=(250, 250, 250))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return clean_image(out.getvalue())


def _contact(n: int) -> dict[str, str]:
    """A verified demo contact (the code row made here, as if the citizen had typed it)."""
    address = f"congdan{n}@example.vn"
    code = f"{100000 + n:06d}"
    now = timezone.now()
    ContactCode.objects.create(
        kind=ContactKind.EMAIL,
        address=address,
        code_hash=contacts.code_hash(ContactKind.EMAIL, address, code),
        created_at=now,
        expires_at=now + timedelta(minutes=services.CODE_MINUTES),
    )
    return {"email": address, "code": code}


def load(ctx: Any) -> None:
    from areas.models import Area

    services.routing_rule_save(
        actor=ctx.admin,
        area="33",
        category="environment",
        unit="HY-SNNMT",
        note="Môi trường: Sở Nông nghiệp và Môi trường",
    )
    communes = list(
        Area.objects.filter(parent_id="33", latitude__isnull=False).order_by("code")[:3]
    )
    if not communes:
        return
    handler_of = {
        "HY-BTCD": ctx.officials["tcd.thuly"],
        "HY-SNNMT": ctx.officials["snnmt.chuyenvien"],
    }
    day = today()
    for n, (summary, content, category, where, (dlat, dlon), colour, fate) in enumerate(PROPOSALS):
        area = communes[where % len(communes)]
        assert area.latitude is not None and area.longitude is not None
        petition = services.public_petition_file(
            kind="proposal",
            area=area.code,
            category=category,
            summary=summary,
            content=content,
            contact=_contact(n),
            location={"lat": area.latitude + dlat, "lon": area.longitude + dlon},
            public=True,
            address=f"{DEMO_ADDRESS}-{n}",
            photos=[_photo(colour)],
        )
        if fate == "open":
            if n == len(PROPOSALS) - 1:
                # The citizen asks what is held about them: the unit has it to answer.
                made = services.data_request_make(
                    code=petition.matter.code,
                    pin=petition.receipt_pin,  # type: ignore[attr-defined]
                    address=f"{DEMO_ADDRESS}-{n}",
                )
                ctx.log.append(f"citizens: {made.code} personal data request")
            continue
        actor = handler_of[petition.matter.owner.code]
        fresh = Petition.objects.select_related("matter__owner").get(pk=petition.pk)
        petition_accept(actor=actor, petition=fresh, accepted_on=day)
        fresh = Petition.objects.select_related("matter__owner").get(pk=petition.pk)
        petition_resolve(
            actor=actor,
            petition=fresh,
            resolved_on=day,
            outcome="Đơn vị đã kiểm tra hiện trường và khắc phục; cảm ơn công dân đã phản ánh.",
        )
        # The PIN exists in clear only at filing: the demo rates with it there and then.
        pin = petition.receipt_pin  # type: ignore[attr-defined]
        rating = {"rated5": 5, "rated3": 3, "reopened": 1}[fate]
        services.feedback_give(
            code=petition.matter.code,
            pin=pin,
            rating=rating,
            comment="Chưa xử lý triệt để, rác vẫn còn." if fate == "reopened" else "",
            reopen=fate == "reopened",
            address=f"{DEMO_ADDRESS}-{n}",
        )
        ctx.log.append(f"citizens: {petition.matter.code} {fate}")
