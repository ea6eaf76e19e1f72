"""``common.ooxml.validate``: what it reports (part, element, schema order), what it lets
through (Markup Compatibility, the order-free properties of ECMA-376)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from common.ooxml.validate import (
    assert_valid_docx,
    validate_docx,
    validate_xlsx,
)
from reports.docx import Decree30Document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def minimal_docx() -> bytes:
    doc = Decree30Document()
    doc.paragraph("Nội dung")
    return doc.to_bytes()


def rewrite(data: bytes, part: str, change) -> bytes:
    """``data`` with ``part`` passed through ``change`` (text to text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == part:
                body = change(body.decode()).encode()
            dst.writestr(item, body)
    return out.getvalue()


def first_pass(violations: list) -> list:
    """The schema engine's findings; the XSD pass (test_xsd.py), where it runs, adds its own."""
    return [v for v in violations if v.kind != "xsd"]


def with_body_paragraph(data: bytes, paragraph: str) -> bytes:
    return rewrite(
        data, "word/document.xml", lambda x: x.replace("<w:body>", "<w:body>" + paragraph)
    )


def test_a_decree_30_document_is_valid_with_the_templates_extension_markup() -> None:
    data = minimal_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # python-docx's template declares w14/w15 and marks them ignorable (mc:Ignorable):
        # the check applies Markup Compatibility instead of refusing them.
        assert "mc:Ignorable" in archive.read("word/styles.xml").decode()
    assert validate_docx(data) == []


def test_a_border_after_the_alignment_is_named_with_its_part_and_the_schema_order() -> None:
    bad = with_body_paragraph(
        minimal_docx(),
        '<w:p><w:pPr><w:jc w:val="center"/><w:pBdr><w:bottom w:val="single" w:sz="6" '
        'w:space="1" w:color="000000"/></w:pBdr></w:pPr></w:p>',
    )
    violations = first_pass(validate_docx(bad))
    assert len(violations) == 1
    v = violations[0]
    assert (v.part, v.element, v.kind) == ("/word/document.xml", "w:pBdr", "schema")
    assert v.path == "/w:document[1]/w:body[1]/w:p[1]/w:pPr[1]"
    assert v.expected.index("w:pBdr") < v.expected.index("w:jc")
    with pytest.raises(AssertionError, match=r"plan report .*word/document.xml.*w:pBdr"):
        assert_valid_docx(bad, "plan report")


def test_a_missing_required_attribute_and_a_value_out_of_range_are_reported() -> None:
    data = minimal_docx()
    no_val = with_body_paragraph(data, "<w:p><w:pPr><w:jc/></w:pPr></w:p>")
    assert [v.element for v in first_pass(validate_docx(no_val))] == ["w:jc/@val"]
    bad_value = with_body_paragraph(data, '<w:p><w:pPr><w:jc w:val="middle"/></w:pPr></w:p>')
    assert [v.element for v in first_pass(validate_docx(bad_value))] == ["w:jc/@val"]


def test_markup_compatibility_ignores_only_what_is_declared_ignorable() -> None:
    data = minimal_docx()

    def declare(ignorable: bool):
        def change(xml: str) -> str:
            xml = re.sub(r"<w:document ", '<w:document xmlns:zz="urn:example:zz" ', xml, count=1)
            if ignorable:
                xml = re.sub(r'mc:Ignorable="', 'mc:Ignorable="zz ', xml, count=1)
            return xml.replace("<w:body>", '<w:body><w:p zz:mark="1"><zz:note/></w:p>')

        return change

    assert validate_docx(rewrite(data, "word/document.xml", declare(ignorable=True))) == []
    assert validate_docx(rewrite(data, "word/document.xml", declare(ignorable=False)))


def workbook(**font) -> bytes:
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Số đơn"
    sheet["A1"].font = Font(bold=True, color="FF0000", size=13, **font)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_spreadsheet_font_may_list_its_properties_in_any_order_as_ecma_376_says() -> None:
    # openpyxl writes name, family, b, color, sz: not the SDK's order, but sml.xsd's CT_Font
    # is a repeatable choice, and Excel reads it.
    assert validate_xlsx(workbook()) == []


def test_a_spreadsheet_font_with_a_foreign_child_is_reported() -> None:
    def change(xml: str) -> str:
        return xml.replace('<b val="1"/>', '<b val="1"/><jc val="center"/>', 1)

    bad = rewrite(workbook(), "xl/styles.xml", change)
    assert "<jc" in zipfile.ZipFile(io.BytesIO(bad)).read("xl/styles.xml").decode()
    violations = validate_xlsx(bad)
    assert violations and violations[0].part == "/xl/styles.xml"


def test_a_package_that_is_not_the_kind_asked_for_is_reported() -> None:
    assert validate_xlsx(minimal_docx())[0].kind == "package"
    assert W in zipfile.ZipFile(io.BytesIO(minimal_docx())).read("word/document.xml").decode()
