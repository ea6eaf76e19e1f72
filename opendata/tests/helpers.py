"""Public proposals for the open-data tests: filed at a desk through the intake API, then
given the online filing the citizens' app keeps (public or not, with a point)."""

from __future__ import annotations

from typing import Any

from common.testing.sentinel import ADDRESS, ID_NUMBER, NAME, PHONE
from registry.tests.helpers import file

SECRET_CONTACT = "sentinel.contact@example.org"


def proposal(
    world: Any,
    *,
    public: bool = True,
    lat: float | None = 20.6461,
    lon: float | None = 106.0511,
    summary: str = "Đèn đường hỏng ở thôn Đông",
    category: str = "environment",
    area: str | None = None,
    **overrides: Any,
) -> str:
    """A proposal of unit A with the sentinel as its petitioner; returns its code."""
    from citizens.models import PublicFiling
    from petitions.models import Petition

    data = file(
        world,
        kind="proposal",
        summary=summary,
        category=category,
        area=area or world.commune.code,
        content="Nội dung riêng: " + NAME,
        petitioners=[
            {"full_name": NAME, "id_number": ID_NUMBER, "address": ADDRESS, "phone": PHONE}
        ],
        **overrides,
    )
    petition = Petition.objects.get(matter__code=data["code"])
    PublicFiling.objects.create(
        petition=petition,
        contact_kind="email",
        contact=SECRET_CONTACT,
        public=public,
        lat=lat,
        lon=lon,
        public_lat=round(lat, 3) if public and lat is not None else None,
        public_lon=round(lon, 3) if public and lon is not None else None,
    )
    return data["code"]
