"""Petitions in the JSON API (API.md, "Petitions"): intake, reads, actions, the deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Status
from ninja.files import UploadedFile

from common.clock import today
from common.errors import Invalid
from common.pagination import paginate
from common.schema import Schema
from matters.models import Matter
from matters.selectors import handoffs_by_matter
from petitions import services
from petitions.models import Kind, Petition
from petitions.schemas import deadline_dict, document_dict, petition_dict
from petitions.selectors import (
    get_document_for_user,
    get_petition_for_user,
    get_petition_to_act,
    petition_list_for_user,
)
from petitions.services.documents import document_attach

router = Router(tags=["petitions"])


class PetitionerIn(Schema):
    full_name: str = ""
    id_number: str | None = None
    address: str | None = None
    phone: str | None = None
    representative: bool = False


class PetitionIn(Schema):
    # Enums are checked by the service, so that every bad field is named in one answer.
    kind: str
    channel: str
    received_on: date
    area: str
    category: str
    summary: str = Field(max_length=300)
    # The old code or address when ``area`` is the choice among its successors (a split).
    area_before: str | None = None
    content: str = ""
    petitioners: list[PetitionerIn] = []
    signers: int = 1
    owner: str | None = None
    representative: str = ""
    first_instance: str | None = None
    disciplinary: bool = False
    # false: a receipt date more than 30 days ago is refused (422 naming received_on), as
    # the web form does until the official confirms it. Absent: accepted as before (API.md
    # is a contract; callers written against it never send the flag).
    confirm_date: bool = True


def _version(request: HttpRequest, body_version: int | None) -> int | None:
    """The version the caller saw: ``version`` in the body, or the If-Match header."""
    if body_version is not None:
        return body_version
    header = (
        (request.headers.get("If-Match") or "").strip().strip('"').removeprefix("W/").strip('"')
    )
    if not header:
        return None
    if not header.isdigit():
        raise Invalid({"If-Match": _("must be the petition's version number")})
    return int(header)


def _answer(request: HttpRequest, petition: Petition) -> dict[str, Any]:
    return petition_dict(petition, today(), viewer=request.user)


@router.post("/petitions", response={201: dict[str, Any]})
def create_petition(request: HttpRequest, payload: PetitionIn) -> Status:
    body = payload.dict()

    def receive(seed: str | None) -> Petition:
        return services.petition_receive(actor=request.user, pin_seed=seed, **body)

    def serialize(petition: Petition) -> dict[str, Any]:
        data = _answer(request, petition)
        data["receipt_pin"] = petition.receipt_pin  # type: ignore[attr-defined]
        return data

    key = request.headers.get("Idempotency-Key")
    if key is not None:
        return Status(
            201,
            services.petition_receive_once(
                actor=request.user, key=key, body=body, receive=receive, serialize=serialize
            ),
        )
    return Status(201, serialize(receive(None)))


class PetitionPage(Schema):
    items: list[dict[str, Any]]
    count: int


@router.get("/petitions", response=PetitionPage)
def list_petitions(
    request: HttpRequest,
    owner: str | None = None,
    state: str | None = None,
    kind: str | None = None,
    area: str | None = None,
    category: str | None = None,
    status: str | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    errors = {}
    if state and state not in Matter.State.values:
        errors["state"] = _("must be one of %(values)s") % {
            "values": ", ".join(Matter.State.values)
        }
    if kind and kind not in (*Kind.values, "petition"):
        errors["kind"] = _("must be one of %(values)s") % {"values": ", ".join(Kind.values)}
    if errors:
        raise Invalid(errors)
    day = today()
    filters: dict[str, Any] = {
        "owner": owner,
        "state": state,
        "kind": None if kind == "petition" else kind,
        "area": area,
        "category": category,
        "status": status,
        "query": q,
    }
    qs = petition_list_for_user(request.user, today=day, **filters)
    count_qs = petition_list_for_user(request.user, today=day, for_count=True, **filters)
    # The page's ids first (a narrow sort), then their rows with the joins: sorting wide
    # joined rows of a large scope costs several times more.
    ids, count = paginate(qs.values_list("pk", flat=True), page, page_size, count_qs=count_qs)
    rows = {
        m.pk: m
        for m in qs.model.objects.filter(pk__in=ids).select_related(
            "owner", "area", "category", "handler", "petition__first_instance__matter"
        )
    }
    matters = [rows[pk] for pk in ids]
    trails = handoffs_by_matter([m.id for m in matters])
    items = []
    for matter in matters:
        petition = matter.petition
        petition.matter = matter
        items.append(
            petition_dict(
                petition,
                day,
                handoffs=trails[matter.id],
                with_duplicates=False,
                with_petitioners=False,
            )
        )
    return {"items": items, "count": count}


@router.get("/petitions/{code}", response=dict[str, Any])
def get_petition(request: HttpRequest, code: str) -> dict[str, Any]:
    return _answer(request, get_petition_for_user(request.user, code))


@router.get("/petitions/{code}/deadline", response=dict[str, Any])
def get_deadline(request: HttpRequest, code: str) -> dict[str, Any]:
    return deadline_dict(get_petition_for_user(request.user, code))


class ActionIn(Schema):
    version: int | None = None


class TransferIn(ActionIn):
    to: str = ""
    reason: str = ""
    legal_basis: str = ""


class AcceptIn(ActionIn):
    accepted_on: date | None = None
    complexity: str = "normal"
    remote: bool = False


class ExtendIn(ActionIn):
    reason: str = ""
    decision_no: str = ""
    complexity: str = ""


class SuspendIn(ActionIn):
    on: date | None = None
    reason: str = ""


class ResumeIn(ActionIn):
    on: date | None = None


class ResolveIn(ActionIn):
    resolved_on: date | None = None
    outcome: str = ""
    decision_no: str = ""


class RefuseIn(ActionIn):
    reason: str = ""
    ground: str = ""


class GuideIn(ActionIn):
    to_body: str = ""
    note: str = ""


class ReasonIn(ActionIn):
    reason: str = ""


class CloseIn(ActionIn):
    reason: str = ""
    on: date | None = None


def _act(
    request: HttpRequest, code: str, payload: ActionIn, run: Callable[..., Any]
) -> dict[str, Any]:
    petition = get_petition_to_act(request.user, code)
    fields = payload.dict()
    version = _version(request, fields.pop("version"))
    run(actor=request.user, petition=petition, version=version, **fields)
    return _answer(request, _reload(petition))


def _reload(petition: Petition) -> Petition:
    """The petition as stored after an action (after a transfer the caller may no longer
    see it, and is still answered with it)."""
    return Petition.objects.select_related(
        "matter__owner",
        "matter__area",
        "matter__category",
        "matter__handler",
        "matter__rule",
        "first_instance__matter",
    ).get(pk=petition.pk)


@router.post("/petitions/{code}/transfer", response=dict[str, Any])
def transfer(request: HttpRequest, code: str, payload: TransferIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_transfer)


@router.post("/petitions/{code}/accept", response=dict[str, Any])
def accept(request: HttpRequest, code: str, payload: AcceptIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_accept)


@router.post("/petitions/{code}/extend", response=dict[str, Any])
def extend(request: HttpRequest, code: str, payload: ExtendIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_extend)


@router.post("/petitions/{code}/suspend", response=dict[str, Any])
def suspend(request: HttpRequest, code: str, payload: SuspendIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_suspend)


@router.post("/petitions/{code}/resume", response=dict[str, Any])
def resume(request: HttpRequest, code: str, payload: ResumeIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_resume)


@router.post("/petitions/{code}/resolve", response=dict[str, Any])
def resolve(request: HttpRequest, code: str, payload: ResolveIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_resolve)


@router.post("/petitions/{code}/refuse", response=dict[str, Any])
def refuse(request: HttpRequest, code: str, payload: RefuseIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_refuse)


@router.post("/petitions/{code}/guide", response=dict[str, Any])
def guide(request: HttpRequest, code: str, payload: GuideIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_guide)


@router.post("/petitions/{code}/file_away", response=dict[str, Any])
def file_away(request: HttpRequest, code: str, payload: ReasonIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_file_away)


@router.post("/petitions/{code}/withdraw", response=dict[str, Any])
def withdraw(request: HttpRequest, code: str, payload: CloseIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_withdraw)


@router.post("/petitions/{code}/discontinue", response=dict[str, Any])
def discontinue(request: HttpRequest, code: str, payload: CloseIn) -> dict[str, Any]:
    return _act(request, code, payload, services.petition_discontinue)


@router.post("/petitions/{code}/documents", response={201: dict[str, Any]})
def upload_document(request: HttpRequest, code: str, file: File[UploadedFile]) -> Status:
    """Attach a document (PDF, JPEG, PNG or TIFF, recognised by content; size capped)."""
    petition = get_petition_to_act(request.user, code)
    document = document_attach(
        actor=request.user, petition=petition, name=file.name or "", data=file.read()
    )
    return Status(201, document_dict(document))


@router.get("/petitions/{code}/documents/{document_id}")
def download_document(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    """The document, to those who may see the petition (404 for anyone else)."""
    document = get_document_for_user(request.user, code, document_id)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )
