"""Making a unit's signed PDF/A from its .docx (the reports app keeps the result)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from common.errors import Unavailable
from common.ooxml import libreoffice
from signing import keys
from signing.pdf import VIETNAM, docx_to_pdfa, sign_pdf
from units.models import Unit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignedPdf:
    content: bytes
    signed_at: datetime | None  # None: PDF/A without a signature (no certificate configured)


def pdf_available() -> None:
    """Raise Unavailable (503) when PDF documents cannot be made on this machine, before
    anything is issued."""
    missing = libreoffice.available()
    if missing:
        raise Unavailable(
            _("PDF documents cannot be made here: %(missing)s.") % {"missing": missing}
        )


def docx_sign(*, unit: Unit, docx: bytes, file_name: str, reason: str = "") -> SignedPdf:
    """The .docx as PDF/A-2b, signed by ``unit`` (``sign_configured``)."""
    return sign_configured(unit=unit, pdf=docx_to_pdfa(docx, file_name), reason=reason)


def sign_configured(*, unit: Unit, pdf: bytes, reason: str = "") -> SignedPdf:
    """``pdf`` signed by ``unit`` when it has a certificate (or, outside production, a demo
    one made now); as it is when it has none. A certificate, token or time-stamping
    authority that cannot be used is Unavailable (503): nothing is signed or stored, and
    the .docx stays available."""
    from reports.letterhead import place_name

    try:
        config = keys.signer_for(unit.code, unit.name)
    except ImproperlyConfigured as exc:
        log.error("signing: unit %s: %s", unit.code, exc)
        raise Unavailable(
            _("The unit's signing certificate is not configured correctly.")
        ) from None
    if config is None:
        return SignedPdf(pdf, None)
    when = datetime.now(VIETNAM)
    try:
        signed = sign_pdf(
            pdf, config, unit_name=unit.name, reason=reason, location=place_name(unit), when=when
        )
    except Unavailable:
        raise
    except Exception as exc:  # a token, a password, a TSA: each fails in its own way
        log.exception("signing: unit %s could not sign", unit.code)
        raise Unavailable(
            _("The document could not be signed: %(error)s") % {"error": type(exc).__name__}
        ) from None
    return SignedPdf(signed, when)
