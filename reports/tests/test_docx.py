"""The Decree 30/2020 layout, checked by opening the generated file with python-docx."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from reports.docx import (
    Decree30Document,
    Header,
    Recipients,
    Signature,
    document_number,
    vn_date_line,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "Hưng Yên, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Hưng Yên, ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 9), "Hưng Yên, ngày 09 tháng 3 năm 2026"),
        (date(2026, 12, 31), "Hưng Yên, ngày 31 tháng 12 năm 2026"),
    ],
)
def test_date_line_pads_days_below_ten_and_months_one_and_two(day: date, expected: str) -> None:
    assert vn_date_line("Hưng Yên", day) == expected


def test_document_number_pads_below_ten_and_joins_without_spaces() -> None:
    assert document_number(5, "BC", "UBND") == "Số: 05/BC-UBND"
    assert document_number(12, "BC", "STC") == "Số: 12/BC-STC"
    assert document_number(123, "BC", "UBND") == "Số: 123/BC-UBND"


def build() -> Any:
    doc = Decree30Document()
    doc.header(
        Header(
            parent_body="Ủy ban nhân dân tỉnh Hưng Yên",
            issuing_body="Ban Tiếp công dân tỉnh Hưng Yên",
            number_line="Số: 05/BC-BTCD",
            place="Hưng Yên",
            day=date(2026, 1, 5),
            subject="Kết quả công tác tiếp công dân tháng 12 năm 2025",
        )
    )
    doc.heading("I. TÌNH HÌNH CHUNG")
    for i in range(60):  # long enough for a second page
        doc.paragraph(f"Đoạn nội dung số {i} của báo cáo, căn đều hai bên và thụt đầu dòng.")
    doc.table(["Lĩnh vực", "Số đơn"], [["Đất đai", 1234], ["Khác", 5]], widths_cm=[10, 6.5])
    doc.closing(
        Signature("KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Bùi Văn Nam"),
        Recipients(["Ủy ban nhân dân tỉnh", "Thanh tra tỉnh"], "BTCD"),
    )
    return Document(io.BytesIO(doc.to_bytes()))


def test_page_is_a4_portrait_with_the_decree_margins() -> None:
    section = build().sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) <= section.top_margin <= Mm(25)
    assert Mm(20) <= section.bottom_margin <= Mm(25)
    assert Mm(30) <= section.left_margin <= Mm(35)
    assert Mm(15) <= section.right_margin <= Mm(20)


def test_every_run_is_times_new_roman_black_at_the_sizes_allowed() -> None:
    doc = build()
    assert doc.styles["Normal"].font.name == "Times New Roman"
    runs = [r for p in doc.paragraphs for r in p.runs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                runs.extend(r for p in cell.paragraphs for r in p.runs)
    texts = [r for r in runs if r.text.strip()]
    assert texts
    for run in texts:
        assert run.font.name == "Times New Roman", run.text
        assert run.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Times New Roman"
        assert run.font.color.rgb is None or str(run.font.color.rgb) == "000000"
        assert Pt(11) <= run.font.size <= Pt(14), run.text


def test_header_has_both_columns_in_the_decree_form() -> None:
    doc = build()
    header = doc.tables[0]
    left = [p for p in header.cell(0, 0).paragraphs if p.text]
    right = [p for p in header.cell(0, 1).paragraphs if p.text]
    assert [p.text for p in left] == [
        "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN",
        "BAN TIẾP CÔNG DÂN TỈNH HƯNG YÊN",
    ]
    assert not left[0].runs[0].font.bold and left[0].runs[0].font.size == Pt(13)
    assert left[1].runs[0].font.bold and left[1].runs[0].font.size == Pt(13)
    assert [p.text for p in right] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert right[0].runs[0].font.bold and right[0].runs[0].font.size == Pt(13)
    assert right[1].runs[0].font.bold and right[1].runs[0].font.size == Pt(14)
    # A rule (bottom border) under the issuing body and under the motto.
    for cell in (header.cell(0, 0), header.cell(0, 1)):
        rules = [
            p
            for p in cell.paragraphs
            if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
        ]
        assert len(rules) == 1
    number = header.cell(1, 0).paragraphs[0]
    assert number.text == "Số: 05/BC-BTCD" and number.runs[0].font.size == Pt(13)
    dated = header.cell(1, 1).paragraphs[0]
    assert dated.text == "Hưng Yên, ngày 05 tháng 01 năm 2026"
    assert dated.runs[0].font.italic and dated.runs[0].font.size == Pt(14)


def test_title_body_signature_and_recipients() -> None:
    doc = build()
    texts = [p.text for p in doc.paragraphs]
    title = doc.paragraphs[texts.index("BÁO CÁO")]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].font.bold
    subject = doc.paragraphs[texts.index("Kết quả công tác tiếp công dân tháng 12 năm 2025")]
    assert subject.runs[0].font.bold and subject.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = [p for p in doc.paragraphs if p.text.startswith("Đoạn nội dung")]
    assert len(body) == 60
    for par in body:
        assert par.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert abs(par.paragraph_format.first_line_indent - Cm(1.27)) < Cm(0.01)
        assert par.paragraph_format.space_after >= Pt(6)
        assert 1.0 <= par.paragraph_format.line_spacing <= 1.5
        assert par.runs[0].font.size in (Pt(13), Pt(14))
    closing = doc.tables[-1]
    recipients = [p for p in closing.cell(0, 0).paragraphs if p.text]
    assert recipients[0].text == "Nơi nhận:"
    assert recipients[0].runs[0].font.bold and recipients[0].runs[0].font.italic
    assert recipients[0].runs[0].font.size == Pt(12)
    assert [p.text for p in recipients[1:]] == [
        "- Ủy ban nhân dân tỉnh;",
        "- Thanh tra tỉnh;",
        "- Lưu: VT, BTCD.",
    ]
    assert all(p.runs[0].font.size == Pt(11) for p in recipients[1:])
    signature = [p for p in closing.cell(0, 1).paragraphs if p.text]
    assert [p.text for p in signature] == ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Bùi Văn Nam"]
    assert all(p.runs[0].font.bold for p in signature)


def test_figures_use_the_vietnamese_thousands_separator() -> None:
    doc = build()
    cells = [c.text for row in doc.tables[-2].rows for c in row.cells]
    assert "1.234" in cells


def test_page_numbers_top_centre_from_the_second_page() -> None:
    section = build().sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [e.text for e in header._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert header.runs[0].font.size == Pt(14)
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert not any(True for _ in first._element.iter(qn("w:instrText")))


def test_the_settings_zoom_names_its_percent_as_ecma_376_requires() -> None:
    zoom = build().settings.element.find(qn("w:zoom"))
    assert zoom is not None and zoom.get(qn("w:percent")) == "100"


def test_no_word_2010_copy_of_the_styles_that_would_miss_the_decree_fonts() -> None:
    doc = build()
    assert not any("stylesWithEffects" in rel.reltype for rel in doc.part.rels.values())
