"""Signing a PDF/A with a unit's certificate and checking it: a test CA made here signs and
verifies; a byte changed after signing, content added after signing, an expired or an
untrusted certificate are each reported as such; the stamp sits at the signer's place and
the signed file keeps its PDF/A markers."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from common.ooxml import libreoffice
from signing import keys
from signing.pdf import VIETNAM, sign_pdf, signer_place
from signing.pdfa import pdfa_problems
from signing.tests.conftest import Pki, decree30_docx, expired_window
from signing.verify import check_pdf

UNIT = "Sở Tài chính tỉnh Hưng Yên"
WHEN = datetime(2026, 3, 16, 9, 30, 5, tzinfo=VIETNAM)


def signed_by(pki: Pki, settings: Any, pdf: bytes, **cert: Any) -> bytes:
    pki.unit("HY-STC", UNIT, **cert)
    settings.SIGNING_DEMO = False
    config = keys.signer_for("HY-STC", UNIT)
    assert config is not None
    return sign_pdf(pdf, config, unit_name=UNIT, reason="Số: 07/BC-STC", when=WHEN)


def test_signed_by_the_test_ca_verifies(pki: Pki, settings: Any, document_pdfa: bytes) -> None:
    signed = signed_by(pki, settings, document_pdfa)
    settings.SIGNING_TRUST_ROOTS = pki.roots_file()
    verdict = check_pdf(signed)
    assert verdict.valid, verdict
    assert verdict.signer == UNIT
    assert verdict.signed_at == "2026-03-16T09:30:05+07:00"
    assert verdict.covers_whole
    # The same file against no trust root at all is not valid.
    settings.SIGNING_TRUST_ROOTS = ""
    assert check_pdf(signed).code == "no_roots"


def test_a_byte_changed_after_signing_is_caught(
    pki: Pki, settings: Any, document_pdfa: bytes
) -> None:
    signed = signed_by(pki, settings, document_pdfa)
    settings.SIGNING_TRUST_ROOTS = pki.roots_file()
    at = signed.index(b"LibreOffice")  # the producer, in the signed first revision
    tampered = signed[:at] + b"LibreOfficf" + signed[at + len(b"LibreOffice") :]
    verdict = check_pdf(tampered)
    assert not verdict.valid and verdict.code == "tampered", verdict
    assert verdict.signer == UNIT


def test_content_added_after_signing_is_caught(
    pki: Pki, settings: Any, document_pdfa: bytes
) -> None:
    signed = signed_by(pki, settings, document_pdfa)
    settings.SIGNING_TRUST_ROOTS = pki.roots_file()
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref, _resources = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    extra = generic.StreamObject(stream_data=b"BT /F1 40 Tf 100 400 Td (DA DUYET) Tj ET")
    page["/Contents"] = generic.ArrayObject([*page["/Contents"], writer.add_object(extra)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    verdict = check_pdf(out.getvalue())
    assert not verdict.valid and verdict.code == "changed_after", verdict
    assert not verdict.covers_whole
    # Bytes glued after the signed file, outside any revision, too.
    assert check_pdf(signed + b"\n%tail\n").code == "changed_after"


def test_an_untrusted_certificate_is_reported(
    pki: Pki, settings: Any, document_pdfa: bytes
) -> None:
    signed = signed_by(pki, settings, document_pdfa)
    _other_key, other_root = keys.ca_make("Some other CA")
    settings.SIGNING_TRUST_ROOTS = pki.roots_file(other_root)
    verdict = check_pdf(signed)
    assert not verdict.valid and verdict.code == "untrusted", verdict
    assert verdict.signer == UNIT


def test_an_expired_certificate_is_reported(pki: Pki, settings: Any, document_pdfa: bytes) -> None:
    before, after = expired_window()
    signed = signed_by(pki, settings, document_pdfa, not_before=before, not_after=after)
    settings.SIGNING_TRUST_ROOTS = pki.roots_file()
    verdict = check_pdf(signed)
    assert not verdict.valid and verdict.code == "expired", verdict


def test_unsigned_and_unreadable_files(settings: Any, document_pdfa: bytes) -> None:
    assert check_pdf(document_pdfa).code == "unsigned"
    assert check_pdf(b"%PDF-1.7 not really").code == "unreadable"
    assert check_pdf(b"PK\x03\x04 a zip").code == "unreadable"


def test_the_stamp_sits_at_the_signers_place(pki: Pki, settings: Any, document_pdfa: bytes) -> None:
    place = signer_place(document_pdfa)
    assert place is not None
    signed = signed_by(pki, settings, document_pdfa)
    reader = PdfFileReader(io.BytesIO(signed))
    field = reader.embedded_signatures[0].sig_field
    x0, y0, x1, y1 = (float(v) for v in field["/Rect"])
    # Centred on the signer's name, reaching over the gap between title and name.
    assert abs((x0 + x1) / 2 - place.x_mid) < 1
    assert y0 <= place.y_low and y1 >= place.y_high
    # The unit's name and the signing time are text in the appearance, in an embedded font.
    page = libreoffice.pdf_pages(signed)[place.page]
    flat = "".join(page.split())
    assert "".join(UNIT.split()) in flat
    assert "Thờigianký:2026-03-16T09:30:05+07:00" in flat
    # The seal and the signature images are drawn in the appearance.
    appearance = field["/AP"]["/N"]
    images = appearance["/Resources"]["/XObject"]
    assert any(x.get_object().get("/Subtype") == "/Image" for x in images.values())


def test_signed_file_keeps_its_pdfa_markers(pki: Pki, settings: Any, document_pdfa: bytes) -> None:
    assert pdfa_problems(document_pdfa) == []
    signed = signed_by(pki, settings, document_pdfa)
    assert pdfa_problems(signed) == []
    # The check can fail: LibreOffice's plain PDF export carries none of the markers.
    plain = libreoffice.to_pdf({"a.docx": decree30_docx()})["a.docx"].pdf
    assert "no PDF/A output intent with an ICC profile" in pdfa_problems(plain)


def test_vietnamese_letters_are_embedded_and_read_back(document_pdfa: bytes) -> None:
    text = "".join(libreoffice.pdf_pages(document_pdfa)[0].split())
    for words in ("CỘNGHÒAXÃHỘICHỦNGHĨAVIỆTNAM", "Độclập-Tựdo-Hạnhphúc", "giảiquyếtđúnghạn"):
        assert words in text
    assert pdfa_problems(document_pdfa) == []  # every font embedded


def test_demo_ca_and_unit_certificate_are_made_on_first_use(
    settings: Any, document_pdfa: bytes
) -> None:
    config = keys.signer_for("HY-STC", UNIT)
    assert config is not None and config.demo
    folder = Path(settings.SIGNING_DIR)
    assert (folder / "demo-ca" / "ca.pem").exists()
    assert (folder / "demo-ca" / "ca.key").stat().st_mode & 0o077 == 0
    assert (folder / "units" / "HY-STC" / "unit.pass").stat().st_mode & 0o077 == 0
    signed = sign_pdf(document_pdfa, config, unit_name=UNIT)
    assert check_pdf(signed).valid  # the demo CA is a trust root outside production
    # Made once: a second unit shares the authority.
    ca = (folder / "demo-ca" / "ca.pem").read_bytes()
    keys.signer_for("HY-TTR", "Thanh tra tỉnh")
    assert (folder / "demo-ca" / "ca.pem").read_bytes() == ca


def test_no_demo_when_refused(settings: Any) -> None:
    settings.SIGNING_DEMO = False
    assert keys.signer_for("HY-STC", UNIT) is None
    assert not (Path(settings.SIGNING_DIR) / "demo-ca").exists()
    assert keys.trust_roots() == []


def test_sign_check_command(
    pki: Pki, settings: Any, document_pdfa: bytes, tmp_path: Path, capsys: Any
) -> None:
    signed = signed_by(pki, settings, document_pdfa)
    settings.SIGNING_TRUST_ROOTS = pki.roots_file()
    good = tmp_path / "good.pdf"
    good.write_bytes(signed)
    call_command("sign_check", str(good))
    body = json.loads(capsys.readouterr().out)
    assert body == {
        "valid": True,
        "signer": UNIT,
        "signed_at": "2026-03-16T09:30:05+07:00",
        "covers_whole": True,
        "reason": body["reason"],
    }
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(signed.replace(b"LibreOffice", b"LibreOfficf", 1))
    with pytest.raises(SystemExit) as exited:
        call_command("sign_check", str(bad))
    assert exited.value.code == 1
    body = json.loads(capsys.readouterr().out)
    assert body["valid"] is False and body["reason"]
    with pytest.raises(SystemExit):
        call_command("sign_check", str(tmp_path / "missing.pdf"))
    assert json.loads(capsys.readouterr().out)["valid"] is False
