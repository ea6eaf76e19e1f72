"""Writes and helpers of the open-data side: filing a proposal through Open311, the services
Open311 offers, and the published answers it shows."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from common.errors import Invalid
from common.text import nfc
from matters.models import Category, Matter

SUMMARY_MAX = 300


def open311_categories() -> QuerySet[Category]:
    """Open311's services: the active categories (every one takes public proposals; routing
    rules and the provincial reception office decide who owns them)."""
    return Category.objects.filter(is_active=True).order_by("position", "code")


def published_answers(codes: list[str]) -> dict[str, str]:
    """The published result of each resolved, closed petition among ``codes`` (the
    citizens' ``public_answer`` rule, read for many at once)."""
    if not codes:
        return {}
    rows = Matter.objects.filter(code__in=codes, is_open=False, status="resolved").values_list(
        "code", "outcome"
    )
    return {code: outcome for code, outcome in rows if outcome}


@lru_cache(maxsize=1)
def _commune_points() -> tuple[tuple[str, str | None, float, float], ...]:
    from areas.models import Area

    rows = (
        Area.objects.filter(kind=Area.Kind.COMMUNE, latitude__isnull=False, longitude__isnull=False)
        .order_by("code")
        .values_list("code", "parent_id", "latitude", "longitude")
    )
    return tuple((c, p, la, lo) for c, p, la, lo in rows if la is not None and lo is not None)


def nearest_commune(lat: float, lon: float, province: str = "") -> str | None:
    """The code of the commune in force whose point is nearest (within ``province`` if
    given); None when no commune has a point."""
    best: tuple[float, str] | None = None
    for code, parent, clat, clon in _commune_points():
        if province and parent != province:
            continue
        d = (clat - lat) ** 2 + (clon - lon) ** 2
        if best is None or d < best[0]:
            best = (d, code)
    return best[1] if best else None


def _float(raw: str, field: str, low: float, high: float, errors: dict[str, str]) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        errors[field] = "must be a number"
        return None
    if not (low <= value <= high):
        errors[field] = f"must be between {low:g} and {high:g}"
        return None
    return value


def _place(data: Any, errors: dict[str, str]) -> tuple[str | None, float | None, float | None]:
    """The commune (code), and the point if given: from ``lat`` and ``long``, else from
    ``address_string`` (an address as people write it, or a commune code)."""
    from django.conf import settings

    from areas.services import area_resolve

    lat_raw, lon_raw = data.get("lat", "").strip(), data.get("long", "").strip()
    address = nfc(data.get("address_string", "")).strip()
    if lat_raw or lon_raw:
        if not (lat_raw and lon_raw):
            errors["lat" if not lat_raw else "long"] = "lat and long go together"
            return None, None, None
        lat = _float(lat_raw, "lat", -90, 90, errors)
        lon = _float(lon_raw, "long", -180, 180, errors)
        if lat is None or lon is None:
            return None, None, None
        province = settings.OPEN311_JURISDICTION if len(settings.OPEN311_JURISDICTION) == 2 else ""
        commune = nearest_commune(lat, lon, province)
        if commune is None:
            errors["lat"] = "no commune is known near this point"
        return commune, lat, lon
    if not address:
        errors["address_string"] = "required when lat and long are not given"
        return None, None, None
    found = area_resolve(address[:300])
    if found.default is None:
        errors["address_string"] = "no commune or province matches this address"
        return None, None, None
    return found.default.code, None, None


# Where the citizens' service names a field, the Open311 form field it came from.
OPEN311_FIELD = {
    "category": "service_code",
    "summary": "description",
    "content": "description",
    "contact": "email",
    "petitioner.full_name": "last_name",
}


def _open311_errors(errors: dict[str, str], by_point: bool) -> dict[str, str]:
    """The citizens' service's field names as the Open311 form names them."""
    place = "lat" if by_point else "address_string"
    named = {**OPEN311_FIELD, "area": place, "location": place}
    return {named.get(key, key): message for key, message in errors.items()}


def open311_file(data: Any, address: str) -> tuple[str, str]:
    """File the proposal of an Open311 POST (form fields as the specification names them)
    through the citizens' front door (``public_petition_file``: the same routing, clock,
    rate limit per ``address``, checks and honeypot as the public form), shown publicly
    (Open311 requests are public by nature) with its point rounded to about 100 m.
    Open311's clients have no confirmation code, so the contact is kept unverified: for the
    officials, sent nothing. Returns (code, notice). Bad input: Invalid naming every field
    at once, nothing stored. ``media_url`` is kept as text for the officials, never
    fetched; the names, like the contact, are kept for the officials and never shown."""
    from citizens.services import public_petition_file

    errors: dict[str, str] = {}
    service_code = data.get("service_code", "").strip()
    if not service_code:
        errors["service_code"] = "required"
    elif not open311_categories().filter(code=service_code).exists():
        errors["service_code"] = f"no service {service_code}"
    area_code, lat, lon = _place(data, errors)
    description = nfc(data.get("description", "")).strip()
    if not description:
        errors["description"] = "required"
    content = description
    media = data.get("media_url", "").strip()
    if media:
        content += "\n\nmedia_url: " + media[:500]
    names = [nfc(data.get(f, "")).strip()[:70] for f in ("last_name", "first_name")]
    full_name = " ".join(n for n in names if n)
    # Open311 may send both: the e-mail address is kept, as before.
    email, phone = data.get("email", "").strip(), data.get("phone", "").strip()
    contact = {"email": email} if email else ({"phone": phone} if phone else {})
    try:
        with transaction.atomic():  # a refusal of the service or of this form stores nothing
            petition = public_petition_file(
                kind="proposal",
                area=area_code or "",
                category=service_code,
                summary=description.splitlines()[0][:SUMMARY_MAX] if description else "",
                content=content,
                petitioner={"full_name": full_name} if full_name else None,
                contact=contact,
                location={"lat": lat, "lon": lon} if lat is not None else None,
                public=True,
                address=address,
                website=data.get("website", ""),
                unverified_contact=True,
            )
            if errors:
                raise Invalid(errors)
    except Invalid as exc:
        raise Invalid({**_open311_errors(exc.errors, lat is not None), **errors}) from None
    matter = petition.matter
    with translation.override("vi"):
        notice = _("Received. Unit responsible: %(unit)s. Processing due %(due)s.") % {
            "unit": matter.owner.name,
            "due": f"{matter.due_on:%d/%m/%Y}" if matter.due_on else "—",
        }
    return matter.code, notice
