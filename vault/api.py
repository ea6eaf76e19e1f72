"""Sealed identity over the JSON API: reveal (audited) and sealed files."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from matters.models import Matter
from matters.selectors import get_matter_for_user, require_can_act
from vault.services import attachment_refs, attachment_reveal, attachment_seal, identity_reveal
from vault.sources import identity_holder

router = Router(tags=["sealed identity"])

REASON_HEADER = "X-Reveal-Reason"


def _reason(request: HttpRequest, reason: str) -> str:
    """Why the caller opens sealed data: ``?reason=`` or the ``X-Reveal-Reason`` header
    (percent-encoded UTF-8, as a header cannot carry Vietnamese as it is). Empty when neither
    is given: the service then refuses with 422 naming ``reason``."""
    return reason.strip() or unquote(request.headers.get(REASON_HEADER, "")).strip()


class IdentityOut(Schema):
    code: str
    sealed: bool
    petitioners: list[dict[str, Any]]


@router.get("/petitions/{code}/identity", response=IdentityOut)
def reveal_identity(request: HttpRequest, code: str, reason: str = "") -> dict[str, Any]:
    """The petitioners of a petition, for its handler and its owner unit's head only.
    A reason is required: ``?reason=`` or the ``X-Reveal-Reason`` header (percent-encoded
    UTF-8); without one, 422 naming ``reason``. Every reveal writes one ``identity.reveal``
    audit event with the reason."""
    petitioners = identity_reveal(
        actor=request.user, petition_code=code, reason=_reason(request, reason)
    )
    matter = get_matter_for_user(request.user, code, kind=Matter.Kind.PETITION)
    holder = identity_holder(matter)
    sealed = holder is not None and holder.sealed
    return {"code": matter.code, "sealed": sealed, "petitioners": petitioners}


class SealedFilesOut(Schema):
    code: str
    available: bool
    files: list[str]


@router.get("/petitions/{code}/sealed-files", response=SealedFilesOut)
def list_sealed_files(request: HttpRequest, code: str) -> dict[str, Any]:
    """Handles of the sealed files of a petition (no names: they are sealed too)."""
    matter = get_matter_for_user(request.user, code, kind=Matter.Kind.PETITION)
    refs = attachment_refs(matter.code)
    return {"code": matter.code, "available": refs is not None, "files": refs or []}


class SealedFileOut(Schema):
    ref: str


@router.post("/petitions/{code}/sealed-files", response={201: SealedFileOut})
def upload_sealed_file(
    request: HttpRequest, code: str, file: File[UploadedFile]
) -> Status[dict[str, str]]:
    """Seal a scan or a typed letter of the denouncer (PDF, JPEG, PNG, TIFF)."""
    matter = get_matter_for_user(request.user, code, kind=Matter.Kind.PETITION)
    require_can_act(request.user, matter)
    limit = settings.UPLOAD_MAX_BYTES
    data = file.read(limit + 1)
    ref = attachment_seal(matter.code, name=file.name or "file", data=data, max_bytes=limit)
    return Status(201, {"ref": ref})


@router.get("/petitions/{code}/sealed-files/{ref}")
def download_sealed_file(
    request: HttpRequest, code: str, ref: str, reason: str = ""
) -> HttpResponse:
    """A sealed file, for the handler and the owner unit's head only (audited). A reason is
    required, as for the identity: ``?reason=`` or ``X-Reveal-Reason``; without one, 422."""
    _name, content_type, data = attachment_reveal(
        actor=request.user, petition_code=code, ref=ref, reason=_reason(request, reason)
    )
    response = HttpResponse(data, content_type=content_type)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        content_type, "tif"
    )
    response["Content-Disposition"] = f'attachment; filename="{ref}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response
