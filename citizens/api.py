"""The citizens' front door over the JSON API (no login): contact codes, filing, photos,
rating and reopening, personal data requests, and the helpers of the filing pages (commune
search, similar reports nearby). Every POST is rate-limited per client address (429 with
``Retry-After``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from citizens import selectors, services
from common.schema import Schema
from common.throttle import client_address

router = Router(tags=["citizens"])


def public_post(path: str, response: dict[int, Any], summary: str) -> Callable[..., Any]:
    """A public POST of the front door: no login; it answers in the language asked by
    ``Accept-Language`` (Vietnamese by default), like the rest of the API."""
    return router.post(path, auth=None, response=response, summary=summary)


class ContactIn(Schema):
    email: str | None = None
    phone: str | None = None


class Accepted(Schema):
    detail: str
    expires_in_minutes: int


@public_post(
    "/public/contacts",
    {202: Accepted},
    "Send a 6-digit code to an e-mail address or a phone number (no login)",
)
def send_code(request: HttpRequest, payload: ContactIn) -> Status[dict[str, Any]]:
    """The code is valid 15 minutes for 5 tries; a new one replaces the old."""
    services.contact_code_send(
        email=payload.email, phone=payload.phone, address=client_address(request)
    )
    return Status(
        202, {"detail": _("a code has been sent"), "expires_in_minutes": services.CODE_MINUTES}
    )


class PetitionerIn(Schema):
    full_name: str = ""
    id_number: str = ""
    address: str = ""


class FilingContactIn(Schema):
    email: str | None = None
    phone: str | None = None
    code: str = ""


class LocationIn(Schema):
    lat: float
    lon: float


class FilingIn(Schema):
    kind: Literal["proposal", "complaint", "denunciation"]
    area: str
    category: str
    summary: str
    content: str = ""
    petitioner: PetitionerIn | None = None
    contact: FilingContactIn
    location: LocationIn | None = None
    public: bool = False
    # Left empty by people; filled by robots that fill every field.
    website: str = ""


class FilingOut(Schema):
    code: str
    receipt_pin: str
    status: str
    owner: str
    due_on: date | None


@public_post(
    "/public/petitions",
    {201: FilingOut},
    "File a proposal, complaint or denunciation online (no login)",
)
def file_petition(request: HttpRequest, payload: FilingIn) -> Status[dict[str, Any]]:
    """Owned by the competent unit of the area and category (routing rules, else the
    provincial citizen reception office). A complaint or denunciation needs the full name,
    the 12-digit ID number and the address; a denunciation is sealed. A wrong or expired
    contact code is 422 naming ``contact``. The receipt code and PIN also go to the contact.
    ``public`` (proposals only) shows it on the public map with its point rounded to about
    100 m."""
    petition = services.public_petition_file(
        kind=payload.kind,
        area=payload.area,
        category=payload.category,
        summary=payload.summary,
        content=payload.content,
        petitioner=payload.petitioner.dict() if payload.petitioner else None,
        contact=payload.contact.dict(),
        location=payload.location.dict() if payload.location else None,
        public=payload.public,
        address=client_address(request),
        website=payload.website,
    )
    matter = petition.matter
    return Status(
        201,
        {
            "code": matter.code,
            "receipt_pin": petition.receipt_pin,  # type: ignore[attr-defined]
            "status": matter.status,
            "owner": matter.owner.code,
            "due_on": matter.due_on,
        },
    )


class PhotoOut(Schema):
    code: str
    photos: int
    width: int
    height: int
    size: int


@public_post(
    "/public/petitions/{code}/media",
    {201: PhotoOut},
    "Add a photo to a petition filed online (no login)",
)
def add_photo(
    request: HttpRequest, code: str, file: File[UploadedFile], pin: str = ""
) -> Status[dict[str, Any]]:
    """JPEG, PNG or HEIC by content, at most 10 MB, within 24 hours of filing, up to 5;
    the metadata (GPS position, camera) is removed before it is stored."""
    photo = services.photo_add(code=code, pin=pin, upload=file, address=client_address(request))
    return Status(
        201,
        {
            "code": photo.filing.petition.matter.code,
            "photos": photo.filing.photos.count(),
            "width": photo.width,
            "height": photo.height,
            "size": photo.size,
        },
    )


class FeedbackIn(Schema):
    pin: str
    rating: int
    comment: str = ""
    reopen: bool = False


class FeedbackOut(Schema):
    code: str
    rating: int
    reopened: bool
    status: str
    due_on: date | None
    next_step: str | None = None


@public_post(
    "/public/petitions/{code}/feedback",
    {200: FeedbackOut, 201: FeedbackOut},
    "Rate a closed petition, and ask to reopen it (no login)",
)
def give_feedback(request: HttpRequest, code: str, payload: FeedbackIn) -> Status[dict[str, Any]]:
    """Once, only after the petition is closed (else 409). ``reopen`` on a proposal within
    30 days of closing reopens it with the same owner and a new clock; on a complaint the
    answer is 200 with ``next_step``: how and by when to file the second complaint (K5)."""
    result = services.feedback_give(
        code=code,
        pin=payload.pin,
        rating=payload.rating,
        comment=payload.comment,
        reopen=payload.reopen,
        address=client_address(request),
    )
    matter = result.feedback.petition.matter
    body = {
        "code": matter.code,
        "rating": result.feedback.rating,
        "reopened": result.reopened,
        "status": matter.status,
        "due_on": result.due_on,
        "next_step": result.next_step or None,
    }
    return Status(200 if result.next_step else 201, body)


class DataRequestIn(Schema):
    code: str
    pin: str


class DataRequestOut(Schema):
    request: str
    received_on: date
    due_on: date | None
    unit: str
    held: list[str]


@public_post(
    "/public/data-requests",
    {201: DataRequestOut},
    "Ask what personal data is held about you (Law 91/2025; no login)",
)
def data_request(request: HttpRequest, payload: DataRequestIn) -> Status[dict[str, Any]]:
    """With the receipt code and PIN of your petition: the kinds of data held now, and a
    request the petition's unit answers in full by ``due_on``."""
    made = services.data_request_make(
        code=payload.code, pin=payload.pin, address=client_address(request)
    )
    return Status(
        201,
        {
            "request": made.code,
            "received_on": made.received_on,
            "due_on": made.due_on,
            "unit": made.unit.name,
            "held": selectors.data_held(made.petition),
        },
    )


class CommuneOut(Schema):
    code: str
    name: str
    province: str
    lat: float | None
    lon: float | None


@router.get(
    "/public/communes", auth=None, response=list[CommuneOut], summary="Find a commune by name"
)
def find_communes(request: HttpRequest, q: str = "", limit: int = 10) -> list[dict[str, Any]]:
    """Communes in force whose name contains ``q`` (accents optional), at most 20."""
    return selectors.communes_matching(q, limit=max(1, min(limit, 20)))


class NearbyOut(Schema):
    code: str
    summary: str
    status: str
    category: str
    distance_m: int


@router.get(
    "/public/nearby",
    auth=None,
    response=list[NearbyOut],
    summary="Open public proposals of a category near a point",
)
def nearby(
    request: HttpRequest, lat: float, lon: float, category: str = ""
) -> list[dict[str, Any]]:
    """Open proposals shown on the public map within about 500 m, nearest first, so that a
    citizen can follow one of them instead of filing the same again."""
    return selectors.similar_nearby(lat=lat, lon=lon, category=category)
