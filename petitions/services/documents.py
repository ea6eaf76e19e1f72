"""Documents attached to a petition: allow-listed types checked by content, a size cap."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.errors import Invalid
from common.text import nfc
from petitions.models import Document, Petition

ALLOWED = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
}


def sniff(data: bytes) -> str | None:
    """The type of ``data`` by its first bytes, among the allowed ones, else None."""
    from vault.services import sniff_type

    kind = sniff_type(data)
    return kind if kind in ALLOWED else None


@transaction.atomic
def document_attach(*, actor: Any, petition: Petition, name: str, data: bytes) -> Document:
    """Store a document of the petition's handling. A denunciation's documents may carry the
    denouncer's handwriting: those go to the vault's sealed attachments instead (Invalid
    here)."""
    errors: dict[str, str] = {}
    name = os.path.basename(nfc(name or ""))[:200] or "document"
    limit = settings.UPLOAD_MAX_BYTES
    kind = sniff(data[:16])
    if petition.sealed:
        errors["file"] = _(
            "a denunciation's documents are kept sealed in the vault, not attached here"
        )
    elif not data:
        errors["file"] = _("the file is empty")
    elif len(data) > limit:
        errors["file"] = _("the file is larger than %(mb)s MB") % {"mb": limit // (1024 * 1024)}
    elif kind is None:
        errors["file"] = _("only PDF, JPEG, PNG or TIFF files are accepted")
    if errors:
        raise Invalid(errors)
    assert kind is not None
    digest = hashlib.sha256(data).hexdigest()
    document = Document(
        petition=petition,
        name=name,
        content_type=kind,
        size=len(data),
        sha256=digest,
        uploaded_by=actor,
    )
    document.file.save(
        f"{petition.matter.code}-{digest[:12]}{ALLOWED[kind]}", ContentFile(data), save=False
    )
    document.save()
    audit_record(
        actor=actor,
        action="petition.document",
        matter=petition.matter.code,
        unit=petition.matter.owner.code,
        data={"document": document.pk, "size": len(data), "sha256": digest},
    )
    return document
