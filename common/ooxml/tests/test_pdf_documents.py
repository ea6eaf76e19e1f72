"""Every Decree 30 document that also answers as PDF (``documents.PDF_KINDS``), as an official
downloads it: it opens; it carries the PDF/A-2b markers (output intent, XMP pdfaid, every
font embedded, the signature stamp's too); its text is the .docx's text, paragraph by
paragraph, and every word of its tables; its print layout is Decree 30's (``reports.tests.decree30``);
its signature (the demo certificate authority's, made on first use) is valid and covers the
whole file. Skipped, with the reason, where LibreOffice is not installed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from common.ooxml import libreoffice
from common.ooxml.tests.documents import PDF_KINDS, PdfKind
from common.ooxml.tests.test_documents import compact
from reports.tests import decree30
from signing.pdfa import pdfa_problems
from signing.verify import check_pdf

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _signing(settings: Any, tmp_path: Any) -> None:
    settings.SIGNING_DIR = str(tmp_path / "signing")
    settings.SIGNING_TRUST_ROOTS = ""
    settings.SIGNING_TSA_URL = ""
    settings.SIGNING_DEMO = True
    settings.MEDIA_ROOT = str(tmp_path / "media")


def docx_texts(data: bytes) -> tuple[list[str], list[str]]:
    """The non-empty body paragraphs, and the words of every table cell: a cell's text
    wraps inside its column, and the print is read across the row, so a cell is checked
    word by word."""
    doc = Document(io.BytesIO(data))
    words = []
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                words.extend(cell.text.split())
    return [p.text for p in doc.paragraphs if p.text.strip()], words


@pytest.mark.parametrize("kind", PDF_KINDS, ids=[k.name for k in PDF_KINDS])
def test_every_pdf_document(world: Any, kind: PdfKind) -> None:
    missing = libreoffice.available()
    if missing:
        pytest.skip(f"no PDF documents here: {missing} (.ci/run installs LibreOffice)")
    docx, pdf = kind.make(world)
    assert pdf.startswith(b"%PDF-"), kind.name
    assert pdfa_problems(pdf) == [], kind.name
    text = compact("\n".join(libreoffice.pdf_pages(pdf)))
    for expected in kind.says:
        assert compact(expected) in text, f"the {kind.name} PDF does not say {expected!r}"
    paragraphs, words = docx_texts(docx)
    for paragraph in paragraphs:
        assert compact(paragraph) in text, f"the {kind.name} PDF lacks {paragraph!r}"
    for word in words:
        assert compact(word) in text, f"the {kind.name} PDF lacks {word!r} of a table"
    decree30.check_print(kind.name, pdf)
    verdict = check_pdf(pdf)
    assert verdict.valid and verdict.covers_whole, f"{kind.name}: {verdict}"
