"""Checks of the Decree 30/2020 layout that a schema cannot see, on a generated .docx (python-
docx) and on its print (LibreOffice's PDF): the two short rules under the issuing body and
under the motto, the rule under the subject, A4, the margins of Appendix I (top and bottom
20-25 mm, left 30-35 mm, right 15-20 mm), page numbers from page 2. Each raises
AssertionError naming the document and what is wrong."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Mm

from common.ooxml import libreoffice
from reports.docx import MOTTO, TEXT_WIDTH_CM

MM = 72 / 25.4  # PDF points per millimetre
SLACK = 0.5 * MM  # rounding of twips and of the PDF's word boxes


def rule_width(paragraph: Any, width: Any) -> Any:
    """The length of the bottom border of an empty ``paragraph`` laid in ``width``: the width
    between its indents; None when it is not such a rule."""
    ppr = paragraph._p.pPr
    bottom = None if ppr is None else ppr.find(qn("w:pBdr") + "/" + qn("w:bottom"))
    if bottom is None or bottom.get(qn("w:val")) != "single" or paragraph.text:
        return None
    fmt = paragraph.paragraph_format
    return width - (fmt.left_indent or 0) - (fmt.right_indent or 0)


def check_docx(name: str, data: bytes) -> None:
    doc = Document(io.BytesIO(data))
    header = doc.tables[0]
    for cell, above in ((header.cell(0, 0), None), (header.cell(0, 1), MOTTO)):
        paragraphs = cell.paragraphs
        rules = [i for i, p in enumerate(paragraphs) if rule_width(p, cell.width) is not None]
        assert len(rules) == 1, f"{name}: {len(rules)} rules in a header column, not 1"
        over = paragraphs[rules[0] - 1].text
        # Right under the issuing body (the last line of the left column) / the motto.
        assert over and (above is None or over == above), f"{name}: rule under {over!r}"
        width = rule_width(paragraphs[rules[0]], cell.width)
        assert Cm(1) < width < cell.width, f"{name}: the rule under {over!r} is not short"
    under_subject = [p for p in doc.paragraphs[:4] if rule_width(p, Cm(TEXT_WIDTH_CM))]
    assert len(under_subject) == 1, f"{name}: no rule under the subject"

    section: Any = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5), f"{name}: not A4"
    assert abs(section.page_height - Mm(297)) < Mm(0.5), f"{name}: not A4"
    assert Mm(20) <= section.top_margin <= Mm(25), f"{name}: top margin"
    assert Mm(20) <= section.bottom_margin <= Mm(25), f"{name}: bottom margin"
    assert Mm(30) <= section.left_margin <= Mm(35), f"{name}: left margin"
    assert Mm(15) <= section.right_margin <= Mm(20), f"{name}: right margin"
    assert section.different_first_page_header_footer, f"{name}: page 1 is numbered"
    numbered = [e.text.strip() for e in section.header._element.iter(qn("w:instrText"))]
    assert numbered == ["PAGE"], f"{name}: pages are not numbered ({numbered})"
    first = list(section.first_page_header._element.iter(qn("w:instrText")))
    assert not first, f"{name}: page 1 is numbered"


def check_print(name: str, pdf: bytes) -> None:
    sizes, words = libreoffice.pdf_words(pdf)
    assert len(sizes) >= 2, f"{name}: one page only, the numbering cannot be seen"
    for width, height in sizes:
        assert abs(width - 210 * MM) < SLACK and abs(height - 297 * MM) < SLACK, name
    pages = libreoffice.pdf_pages(pdf)
    tops = [
        next((line.strip() for line in page.splitlines() if line.strip()), "") for page in pages
    ]
    assert not tops[0].isdigit(), f"{name}: page 1 carries a number"
    assert tops[1:] == [str(n) for n in range(2, len(pages) + 1)], f"{name}: page tops {tops}"
    for word in words:
        page_number = word.text.isdigit() and word.y1 < 20 * MM  # in the header band
        assert word.x0 >= 30 * MM - SLACK, f"{name}: {word} left of the 30 mm margin"
        assert word.x1 <= (210 - 15) * MM + SLACK, f"{name}: {word} right of the 15 mm margin"
        assert word.y1 <= (297 - 20) * MM + SLACK, f"{name}: {word} below the 20 mm margin"
        if not page_number:
            assert word.y0 >= 20 * MM - SLACK, f"{name}: {word} above the 20 mm margin"
