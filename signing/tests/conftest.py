"""Fixtures of the signing tests: a scratch signing folder per test, a Decree 30 document as
PDF/A made once per run (LibreOffice is slow to start), and a test PKI made with
cryptography in the test."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from common.ooxml import libreoffice
from signing import keys


@pytest.fixture(autouse=True)
def _signing_settings(settings: Any, tmp_path: Path) -> None:
    settings.SIGNING_DIR = str(tmp_path / "signing")
    settings.SIGNING_TRUST_ROOTS = ""
    settings.SIGNING_TSA_URL = ""
    settings.SIGNING_DEMO = True
    settings.MEDIA_ROOT = str(tmp_path / "media")


def decree30_docx(name: str = "Nguyễn Thị Hằng") -> bytes:
    from datetime import date

    from reports.docx import Decree30Document, Header, Recipients, Signature

    doc = Decree30Document()
    doc.header(
        Header(
            parent_body="UBND TỈNH HƯNG YÊN",
            issuing_body="SỞ TÀI CHÍNH",
            number_line="Số: 07/BC-STC",
            place="Hưng Yên",
            day=date(2026, 3, 16),
            subject="Kết quả giải quyết khiếu nại, tố cáo quý I năm 2026",
        )
    )
    doc.paragraph("Sở Tài chính báo cáo kết quả tiếp công dân, xử lý đơn thư như sau:")
    doc.paragraph("Đã tiếp nhận 12 đơn; giải quyết đúng hạn 11 đơn; quá hạn 01 đơn.")
    doc.closing(Signature("", "GIÁM ĐỐC", name), Recipients(["UBND tỉnh"], "STC"))
    return doc.to_bytes()


@pytest.fixture(scope="session")
def document_pdfa() -> bytes:
    """A Decree 30 report of the Department of Finance as PDF/A-2b (unsigned)."""
    missing = libreoffice.available()
    if missing:
        pytest.skip(f"no PDF/A: {missing} (.ci/run installs libreoffice-writer-nogui)")
    from signing.pdf import docx_to_pdfa

    return docx_to_pdfa(decree30_docx(), "bao-cao.docx")


@dataclass
class Pki:
    root_key: rsa.RSAPrivateKey
    root: x509.Certificate
    folder: Path

    def roots_file(self, *certs: x509.Certificate) -> str:
        path = self.folder / f"roots-{len(list(self.folder.iterdir()))}.pem"
        path.write_bytes(
            b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs or (self.root,))
        )
        return str(path)

    def unit(
        self,
        code: str,
        name: str,
        *,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        seal: bool = True,
    ) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        """A certificate for unit ``code`` in a PKCS#12 file, configured in its signer.json."""
        from signing import images

        key, cert = keys.leaf_make(
            self.root_key,
            self.root,
            name,
            organisation=name,
            not_before=not_before or datetime(2025, 1, 1, tzinfo=UTC),
            not_after=not_after,
        )
        folder = keys.unit_folder(code)
        folder.mkdir(parents=True)
        (folder / "unit.p12").write_bytes(
            pkcs12.serialize_key_and_certificates(
                b"unit",
                key,
                cert,
                [self.root],
                serialization.BestAvailableEncryption(b"mat-khau-thu"),
            )
        )
        (folder / "unit.pass").write_text("mat-khau-thu\n")
        body: dict[str, Any] = {"pkcs12": "unit.p12", "password_file": "unit.pass"}
        if seal:
            (folder / "seal.png").write_bytes(images.demo_seal(name))
            (folder / "signature.png").write_bytes(images.demo_signature(name))
            body.update(seal="seal.png", signature="signature.png")
        (folder / "signer.json").write_text(json.dumps(body))
        return key, cert


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    """A test certificate authority made here with cryptography."""
    key, cert = keys.ca_make("Test CA of the signing tests")
    folder = tmp_path / "pki"
    folder.mkdir()
    return Pki(key, cert, folder)


def expired_window() -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(days=400), now - timedelta(days=30)
