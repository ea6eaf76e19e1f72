"""Check a signed PDF, ours or one signed elsewhere (the Government Cipher Committee's USB
tokens), against the configured trust roots: is every signature intact and made by a
certificate that chains to a trust root and was in force, who signed last and when, and
does that signature cover the whole file.

The verdict's ``reason`` is a sentence for people, in the active language (Vietnamese on
the page); ``code`` names the same finding for programs and tests.
"""

from __future__ import annotations

import io
import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.ltv.errors import TimeSlideFailure

from signing.keys import trust_roots
from signing.pdf import off_loop

log = logging.getLogger(__name__)
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Verdict:
    valid: bool
    signer: str | None
    signed_at: str | None  # ISO 8601, Vietnam time
    covers_whole: bool
    reason: str
    code: str = "valid"

    def as_json(self) -> dict[str, Any]:
        """The object ``dutdiem sign-check`` prints (API.md)."""
        body = asdict(self)
        body.pop("code")
        return body


def _name(cert: Any) -> str | None:
    if cert is None:
        return None
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


def _when(status: PdfSignatureStatus) -> datetime | None:
    stamp = status.timestamp_validity
    if stamp is not None and stamp.intact and stamp.valid:
        return stamp.timestamp
    return status.signer_reported_dt


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(VIETNAM).isoformat() if moment else None


def _context(roots: list[Any]) -> ValidationContext:
    anchors = [
        asn1_x509.Certificate.load(root.public_bytes(serialization.Encoding.DER)) for root in roots
    ]
    # No fetching of CRLs or OCSP answers: a government network may have no way out. A
    # revocation answer embedded in the file is still read.
    return ValidationContext(trust_roots=anchors, allow_fetching=False, revocation_mode="soft-fail")


def _trust_problem(status: PdfSignatureStatus) -> tuple[str, str]:
    """(code, reason) for a signature that is intact but not trusted."""
    cert = status.signing_cert
    indication = str(getattr(status.trust_problem_indic, "name", "") or "")
    when = _when(status)
    if "NO_CERTIFICATE_CHAIN_FOUND" in indication:
        return "untrusted", _(
            "The signer's certificate was not issued by a trusted certificate authority."
        )
    if cert is not None and when is not None:
        if when > cert["tbs_certificate"]["validity"]["not_after"].native:
            return "expired", _(
                "The signer's certificate had expired when the document was signed."
            )
        if when < cert["tbs_certificate"]["validity"]["not_before"].native:
            return "not_yet_valid", _(
                "The signer's certificate was not yet valid when the document was signed."
            )
    if "REVOKED" in indication:
        return "revoked", _("The signer's certificate has been revoked.")
    if "EXPIRED" in indication or "OUT_OF_BOUNDS" in indication:
        return "expired", _("The signer's certificate has expired.")
    return "untrusted", _(
        "The signer's certificate was not issued by a trusted certificate authority."
    )


def check_pdf(data: bytes) -> Verdict:
    """The verdict on ``data``: valid only when the file has at least one signature, every
    signature is intact and trusted, and the last one covers the whole file (or what came
    after it only adds signatures, timestamps or validation data)."""
    return off_loop(_check, data)


def _check(data: bytes) -> Verdict:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.info("sign-check: unreadable PDF: %s", exc)
        return Verdict(False, None, None, False, _("The file is not a readable PDF."), "unreadable")
    if not signatures:
        return Verdict(
            False, None, None, False, _("The document has no digital signature."), "unsigned"
        )
    roots = trust_roots()
    if not roots:
        return Verdict(
            False, None, None, False, _("No trust roots are configured on this server."), "no_roots"
        )
    last: Verdict | None = None
    for embedded in signatures:
        verdict = _check_one(embedded, roots)
        if not verdict.valid:
            return verdict
        last = verdict
    assert last is not None
    return last


def _check_one(embedded: Any, roots: list[Any]) -> Verdict:
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=_context(roots))
    except (SignatureValidationError, TimeSlideFailure, ValueError, KeyError, TypeError) as exc:
        log.info("sign-check: signature cannot be validated: %s", exc)
        return Verdict(
            False, None, None, False, _("The signature cannot be read or checked."), "unreadable"
        )
    signer = _name(status.signing_cert)
    signed_at = _iso(_when(status))
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not status.intact:
        return Verdict(
            False,
            signer,
            signed_at,
            whole,
            _(
                "The document was changed after it was signed: its content no longer matches the signature."
            ),
            "tampered",
        )
    if not status.valid:
        return Verdict(
            False,
            signer,
            signed_at,
            whole,
            _("The signature does not match the signer's certificate."),
            "bad_signature",
        )
    if not status.trusted:
        code, reason = _trust_problem(status)
        return Verdict(False, signer, signed_at, whole, reason, code)
    if not whole:
        # Later revisions may add signatures, timestamps, validation data; bytes appended
        # outside any revision, or a revision that changes content, may not.
        later = embedded.reader.xrefs.total_revisions - 1 - embedded.signed_revision
        allowed = (
            later > 0
            and status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and status.docmdp_ok is not False
            and status.modification_level is not None
            and status.modification_level <= ModificationLevel.FORM_FILLING
        )
        if not allowed:
            return Verdict(
                False,
                signer,
                signed_at,
                False,
                _("Content was added to the document after it was signed."),
                "changed_after",
            )
    return Verdict(True, signer, signed_at, whole, _("The signature is valid."), "valid")
