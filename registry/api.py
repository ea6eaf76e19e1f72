"""The register over the JSON API: public tracking, duplicates and groups, the petitions
workbook."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router

from common.errors import Invalid, NotFound
from common.schema import Schema
from common.throttle import client_address
from petitions.selectors import get_petition_for_user
from registry.registers import processing_workbook, reception_workbook
from registry.services import duplicates as dup
from registry.services.tracking import TooManyLookups, public_status
from registry.workbooks import petitions_workbook
from units.selectors import get_unit_for_user

router = Router(tags=["register"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _json(status: int, body: dict[str, Any]) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


class StepOut(Schema):
    on: date
    status: str
    unit: str


class PublicPetitionOut(Schema):
    code: str
    status: str
    owner_name: str
    due_on: date | None
    state: str
    history: list[StepOut]
    answer: str | None


@router.get(
    "/public/petitions/{code}",
    auth=None,
    response={200: PublicPetitionOut},
    summary="Where a petition stands, for the holder of its receipt PIN (no login)",
)
def track_petition(request: HttpRequest, code: str, pin: str = "") -> Any:
    """Status, owner unit, due date and state, the ``history`` of steps with the unit at
    each, and the published ``answer`` once resolved; nothing personal. A wrong PIN (or unknown
    code) is 404; too many lookups or wrong PINs from one address (for any petition, or for
    this one), 429. Wrong PINs from other addresses never lock out the holder of the PIN."""
    try:
        found = public_status(code=code, pin=pin, address=client_address(request))
    except TooManyLookups as exc:
        response = _json(429, {"detail": exc.message, "retry_after": exc.retry_after})
        response["Retry-After"] = str(exc.retry_after)
        return response
    return {
        "code": found.code,
        "status": found.status,
        "owner_name": found.owner_name,
        "due_on": found.due_on,
        "state": found.state,
        "history": [{"on": s.on, "status": s.status, "unit": s.unit} for s in found.history],
        "answer": found.answer,
    }


class GroupRow(Schema):
    code: str
    original: bool
    owner: str
    owner_name: str
    status: str
    opened_on: date
    title: str | None
    current: bool


class DuplicatesOut(Schema):
    code: str
    duplicates: list[str]
    group: list[GroupRow]


def _duplicates_answer(user: Any, code: str) -> dict[str, Any]:
    petition = get_petition_for_user(user, code)
    return {
        "code": petition.matter.code,
        "duplicates": dup.find_duplicates(petition, user=user),
        "group": dup.duplicate_group(user, petition.matter),
    }


@router.get("/petitions/{code}/duplicates", response=DuplicatesOut)
def get_duplicates(request: HttpRequest, code: str) -> dict[str, Any]:
    """Petitions that look the same, and the duplicate group: complaints and proposals in
    any unit (out of your scope without their title); sealed petitions (denunciations) only
    within your scope, and by the denouncer's ID number only if you may reveal it."""
    return _duplicates_answer(request.user, code)


class LinkIn(Schema):
    original: str
    note: str = ""


@router.post("/petitions/{code}/duplicate-of", response=DuplicatesOut)
def link_duplicate(request: HttpRequest, code: str, payload: LinkIn) -> dict[str, Any]:
    """Record that this petition duplicates ``original`` (any unit): they form one group."""
    dup.duplicate_link(actor=request.user, code=code, original=payload.original, note=payload.note)
    return _duplicates_answer(request.user, code)


@router.delete("/petitions/{code}/duplicate-of", response=DuplicatesOut)
def unlink_duplicate(request: HttpRequest, code: str) -> dict[str, Any]:
    """Take this petition out of its duplicate group."""
    dup.duplicate_unlink(actor=request.user, code=code)
    return _duplicates_answer(request.user, code)


class CheckIn(Schema):
    kind: str = "complaint"
    content: str = ""
    summary: str = ""
    id_numbers: list[str] = []


class CheckOut(Schema):
    duplicates: list[str]


@router.post("/petitions/duplicates/check", response=CheckOut)
def check_duplicates(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    """Before filing: codes of petitions that would look the same, that you may be told of.
    Complaints and proposals are named whatever their unit. A sealed petition (a
    denunciation) is named only if you may see it, and, when only the denouncer's ID number
    matched (``"kind": "denunciation"`` with ``id_numbers``), only if you may also reveal who
    sent it (its handler, its owner unit's head). Otherwise the answer is exactly the answer
    for no match, and the sealed petition's handler is told that your unit asked; every
    lookup that touches a sealed petition is audited (``petition.duplicate_check``).

    At most 50 ID numbers a check. Rate-limited per official and per client address (each ID
    number counts as one lookup; ``DUTDIEM_DUPLICATE_CHECKS_PER_OFFICIAL`` and
    ``DUTDIEM_DUPLICATE_CHECKS_PER_ADDRESS`` an hour): over it, 429 with ``Retry-After``."""
    found = dup.duplicates_check(
        actor=request.user,
        address=client_address(request),
        content=payload.content,
        summary=payload.summary,
        id_numbers=payload.id_numbers,
        sealed=payload.kind == "denunciation",
    )
    return {"duplicates": found}


class ExportQuery(Schema):
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")
    unit: str | None = None


@router.get("/reports/petitions.xlsx", summary="The petition register and its statistics")
def petitions_xlsx(request: HttpRequest, filters: Query[ExportQuery]) -> HttpResponse:
    """The register of the petitions you see (received ``from``..``to``, owned by ``unit``
    or a unit below it) with the columns of ``import-petitions`` so that it imports back,
    and the statistics by kind, category, state and owner unit. Never a denouncer's
    identity."""
    start, end, unit = filters.start, filters.end, filters.unit
    if start and end and start > end:
        raise Invalid({"to": _("must not be before from")})
    unit_obj = get_unit_for_user(request.user, unit) if unit else None
    data = petitions_workbook(request.user, start=start, end=end, unit=unit_obj)
    response = HttpResponse(data, content_type=XLSX)
    span = "-".join(d.isoformat() for d in (start, end) if d)
    response["Content-Disposition"] = (
        f'attachment; filename="so-don{"-" + span if span else ""}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    return response


REGISTERS = {
    "reception": (reception_workbook, "so-tiep-cong-dan"),
    "processing": (processing_workbook, "so-theo-doi-xu-ly-don"),
}


@router.get(
    "/reports/registers/{book}.xlsx",
    summary="A register of Circular 05/2021: the book of citizen reception or of processing",
)
def register_xlsx(request: HttpRequest, book: str, filters: Query[ExportQuery]) -> HttpResponse:
    """``reception``: the book of citizen reception (visits of the units you see, received
    ``from``..``to``, of ``unit`` and the units below it). ``processing``: the book of
    receiving and processing petitions (the petitions you see). Laid out as the paper forms
    (header block, two heading rows, column numbers); a denouncer is shown only as sealed."""
    if book not in REGISTERS:
        raise NotFound(_("No register %(book)s: reception or processing") % {"book": book})
    start, end, unit = filters.start, filters.end, filters.unit
    if start and end and start > end:
        raise Invalid({"to": _("must not be before from")})
    unit_obj = get_unit_for_user(request.user, unit) if unit else None
    build, name = REGISTERS[book]
    response = HttpResponse(
        build(request.user, start=start, end=end, unit=unit_obj), content_type=XLSX
    )
    span = "-".join(d.isoformat() for d in (start, end) if d)
    response["Content-Disposition"] = (
        f'attachment; filename="{name}{"-" + span if span else ""}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    return response
