"""The round trip: every kind of document printed by LibreOffice headless to PDF without a
warning, its text (pdftotext) holding what dutdiem meant to write, and, for the Decree 30
documents, the layout as printed: A4, the margins of Appendix I, page numbers from page 2."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest

from common.ooxml import libreoffice
from common.ooxml.tests.documents import KINDS

pytestmark = [
    pytest.mark.django_db(databases=["default", "vault"]),
    pytest.mark.skipif(
        libreoffice.available() is not None,
        reason=f"no round trip: {libreoffice.available()} (.ci/run installs them)",
    ),
]

MM = 72 / 25.4  # points per millimetre
SLACK = 0.5 * MM  # rounding of twips and of the PDF's boxes


def compact(text: str) -> str:
    # pdftotext may split a Vietnamese word where a diacritic is positioned apart: compare
    # without any whitespace, in one Unicode normal form.
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def test_every_document_prints_with_libreoffice_and_says_what_was_meant(world: Any) -> None:
    documents = {f"{i}-{k.name.replace(' ', '-')}.{k.extension}": k for i, k in enumerate(KINDS)}
    printed = libreoffice.to_pdf({name: k.make(world) for name, k in documents.items()})
    for name, kind in documents.items():
        assert name in printed, f"LibreOffice could not print the {kind.name}"
        result = printed[name]
        assert result.warnings == [], f"{kind.name}: {result.warnings}"
        text = compact("\n".join(libreoffice.pdf_pages(result.pdf)))
        for expected in kind.says:
            assert compact(expected) in text, f"{kind.name} does not say {expected!r}"
        if kind.extension == "docx":
            check_decree_30_print(kind.name, result.pdf)


def check_decree_30_print(name: str, pdf: bytes) -> None:
    sizes, words = libreoffice.pdf_words(pdf)
    assert len(sizes) >= 2, f"{name}: a single page shows no page numbering"
    for width, height in sizes:
        assert abs(width - 210 * MM) < SLACK and abs(height - 297 * MM) < SLACK, name
    pages = libreoffice.pdf_pages(pdf)
    first_lines = [
        next(line.strip() for line in page.splitlines() if line.strip()) for page in pages
    ]
    assert not first_lines[0].isdigit(), f"{name}: page 1 carries a number"
    assert first_lines[1:] == [str(n) for n in range(2, len(pages) + 1)], first_lines
    for word in words:
        number = word.text.isdigit() and word.y1 < 20 * MM  # the page number, in the header
        # Appendix I: left 30-35 mm, right 15-20 mm, top and bottom 20-25 mm.
        assert word.x0 >= 30 * MM - SLACK, f"{name}: {word} left of the 30 mm margin"
        assert word.x1 <= (210 - 15) * MM + SLACK, f"{name}: {word} right of the 15 mm margin"
        assert word.y1 <= (297 - 20) * MM + SLACK, f"{name}: {word} below the 20 mm margin"
        if not number:
            assert word.y0 >= 20 * MM - SLACK, f"{name}: {word} above the 20 mm margin"
