"""The Decree 30/2020 layout of the documents as dutdiem issues them (the plan report and the
periodic report, made through the API), where a schema cannot see it: the two short rules
under the issuing body and under the motto, the rule under the subject, the page, the
margins of Appendix I, page numbers from page 2."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Mm

from common.ooxml.tests.documents import KINDS, Kind
from reports.docx import MOTTO

pytestmark = pytest.mark.django_db(databases=["default", "vault"])
REPORTS = [k for k in KINDS if k.extension == "docx"]


def made(world: Any, kind: Kind) -> Any:
    return Document(io.BytesIO(kind.make(world)))


def rule_width(paragraph: Any, width: Any) -> Any:
    """The length of the bottom border of ``paragraph``: the width between its indents, or
    None when it has no single bottom border."""
    ppr = paragraph._p.pPr
    bottom = None if ppr is None else ppr.find(qn("w:pBdr") + "/" + qn("w:bottom"))
    if bottom is None or bottom.get(qn("w:val")) != "single" or paragraph.text:
        return None
    fmt = paragraph.paragraph_format
    return width - (fmt.left_indent or 0) - (fmt.right_indent or 0)


@pytest.mark.parametrize("kind", REPORTS, ids=[k.name for k in REPORTS])
def test_a_short_rule_under_the_issuing_body_and_under_the_motto(world: Any, kind: Kind) -> None:
    doc = made(world, kind)
    header = doc.tables[0]
    for cell, above in ((header.cell(0, 0), None), (header.cell(0, 1), MOTTO)):
        paragraphs = cell.paragraphs
        rules = [i for i, p in enumerate(paragraphs) if rule_width(p, cell.width) is not None]
        assert len(rules) == 1, f"{kind.name}: {len(rules)} rules in a header cell"
        over = paragraphs[rules[0] - 1]
        # Right under the issuing body (the last name of the left cell) / the motto.
        assert over.text and (above is None or over.text == above), over.text
        width = rule_width(paragraphs[rules[0]], cell.width)
        assert Cm(1) < width < cell.width, f"{kind.name}: the rule is not short"
    # And a rule under the subject, above the body.
    subject_rules = [p for p in doc.paragraphs[:4] if rule_width(p, Cm(16.5)) is not None]
    assert len(subject_rules) == 1


@pytest.mark.parametrize("kind", REPORTS, ids=[k.name for k in REPORTS])
def test_a4_the_appendix_i_margins_and_page_numbers_from_page_2(world: Any, kind: Kind) -> None:
    section = made(world, kind).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) <= section.top_margin <= Mm(25)
    assert Mm(20) <= section.bottom_margin <= Mm(25)
    assert Mm(30) <= section.left_margin <= Mm(35)
    assert Mm(15) <= section.right_margin <= Mm(20)
    assert section.different_first_page_header_footer
    numbered = [e.text for e in section.header._element.iter(qn("w:instrText"))]
    assert [t.strip() for t in numbered] == ["PAGE"]
    assert not any(True for _ in section.first_page_header._element.iter(qn("w:instrText")))
