"""Uploaded documents (directive texts, briefing minutes): allow-listed types recognised by
their content, not by their name or the browser's word; a size cap; stored under a random
name. Serving them is the views' job, after a permission check."""

from __future__ import annotations

import io
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from common.errors import Invalid

# (extension, content type, label) of what may be uploaded.
PDF = ("pdf", "application/pdf")
DOCX = ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
ODT = ("odt", "application/vnd.oasis.opendocument.text")
DOC = ("doc", "application/msword")
JPEG = ("jpg", "image/jpeg")
PNG = ("png", "image/png")
ALLOWED_LABEL = "PDF, DOCX, DOC, ODT, JPEG, PNG"


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    name: str
    content_type: str


def sniff(data: bytes) -> tuple[str, str] | None:
    """The (extension, content type) of ``data`` if it is an allowed kind, else None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return DOC
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names and "[Content_Types].xml" in names:
                    return DOCX
                if "mimetype" in names and archive.read("mimetype").strip() == ODT[1].encode():
                    return ODT
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
    return None


def _clean_name(name: str, extension: str) -> str:
    name = unicodedata.normalize("NFC", name or "").replace("/", "_").replace("\\", "_")
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .") or "tai-lieu"
    stem = name.rsplit(".", 1)[0][:150]
    return f"{stem}.{extension}"


def check_upload(upload: Any, field: str) -> CheckedFile:
    """Read and check an uploaded file. Raises ``Invalid`` naming ``field`` when it is too
    large or not one of the allowed kinds."""
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise Invalid(
            {
                field: _("file is larger than the limit of %(mb)s MB")
                % {"mb": limit // (1024 * 1024)}
            }
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise Invalid(
            {
                field: _("file is larger than the limit of %(mb)s MB")
                % {"mb": limit // (1024 * 1024)}
            }
        )
    if not data:
        raise Invalid({field: _("the file is empty")})
    kind = sniff(data)
    if kind is None:
        raise Invalid(
            {field: _("file type not allowed; allowed: %(types)s") % {"types": ALLOWED_LABEL}}
        )
    extension, content_type = kind
    stored = ContentFile(data, name=f"{secrets.token_hex(16)}.{extension}")
    return CheckedFile(
        content=stored,
        name=_clean_name(getattr(upload, "name", ""), extension),
        content_type=content_type,
    )
