"""``common.ooxml.xsd``: Markup Compatibility processing (ECMA-376 Part 3) before lxml's
XMLSchema, and the XSD pass itself where the Ecma XSD files are on the machine."""

from __future__ import annotations

import pytest
from lxml import etree

from common.ooxml import xsd
from common.ooxml.tests.test_validate import minimal_docx, rewrite, with_body_paragraph
from common.ooxml.validate import validate_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = xsd.MC
UNDERSTOOD = frozenset({W, MC})
NS = f'xmlns:w="{W}" xmlns:w14="{W14}" xmlns:mc="{MC}" xmlns:zz="urn:zz"'


def processed(xml: str) -> str:
    root = xsd.preprocess(etree.fromstring(xml), UNDERSTOOD)
    return etree.tostring(root).decode()


def test_ignorable_markup_goes_and_the_mc_attributes_with_it() -> None:
    out = processed(
        f'<w:document {NS} mc:Ignorable="w14"><w:body><w:p w14:paraId="1A2B3C4D">'
        "<w14:foo/><w:r/></w:p></w:body></w:document>"
    )
    assert "paraId" not in out and "w14:foo" not in out and "Ignorable" not in out
    assert "<w:r/>" in out


def test_markup_of_a_namespace_not_declared_ignorable_stays_for_the_schema_to_report() -> None:
    out = processed(f"<w:document {NS}><w:body><zz:note/></w:body></w:document>")
    assert "zz:note" in out


def test_alternate_content_becomes_the_understood_choice_or_the_fallback() -> None:
    def alternate(requires: str) -> str:
        return processed(
            f'<w:document {NS}><w:body><mc:AlternateContent><mc:Choice Requires="{requires}">'
            '<w:p w:rsidR="00000001"/></mc:Choice><mc:Fallback><w:tbl/></mc:Fallback>'
            "</mc:AlternateContent></w:body></w:document>"
        )

    assert "<w:p " in alternate("w") and "w:tbl" not in alternate("w")
    assert "<w:tbl/>" in alternate("w14") and "<w:p" not in alternate("w14")
    assert "AlternateContent" not in alternate("w14")


def test_process_content_keeps_the_children_of_a_dropped_element() -> None:
    out = processed(
        f'<w:document {NS} mc:Ignorable="zz" mc:ProcessContent="zz:wrap"><w:body>'
        "<zz:wrap><w:p/></zz:wrap><zz:other><w:tbl/></zz:other></w:body></w:document>"
    )
    assert "<w:p/>" in out and "w:tbl" not in out and "zz:" not in out


needs_xsd = pytest.mark.skipif(
    not xsd.available(),
    reason="no ECMA-376 XSD files here ($DUTDIEM_OOXML_SCHEMAS, common/ooxml/schemas, "
    "shared/ooxml-schemas): the XSD pass is not run",
)


@needs_xsd
def test_the_xsd_pass_reports_a_border_after_the_alignment() -> None:
    bad = with_body_paragraph(
        minimal_docx(),
        '<w:p><w:pPr><w:jc w:val="center"/><w:pBdr><w:bottom w:val="single"/></w:pBdr>'
        "</w:pPr></w:p>",
    )
    found = [v for v in validate_docx(bad) if v.kind == "xsd"]
    assert [(v.part, v.element) for v in found] == [("/word/document.xml", "w:pBdr")]


@needs_xsd
def test_the_xsd_pass_requires_the_zoom_percent_that_the_decree_30_document_writes() -> None:
    data = minimal_docx()
    assert [v for v in validate_docx(data) if v.kind == "xsd"] == []
    unset = rewrite(data, "word/settings.xml", lambda x: x.replace(' w:percent="100"', ""))
    assert [v.element for v in validate_docx(unset) if v.kind == "xsd"] == ["w:zoom"]
