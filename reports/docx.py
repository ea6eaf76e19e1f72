"""A builder of administrative documents in the format of Decree 30/2020/ND-CP (Art. 8-9,
Appendix I), with python-docx.

What it lays out (LAW-PETITIONS.md §5): A4 portrait; margins top/bottom 20 mm, left 30 mm,
right 15 mm; Times New Roman throughout; the two-column header (parent body UPPERCASE 13,
issuing body UPPERCASE 13 bold with a short rule below, ``Số: 05/BC-UBND`` at 13 | the
national name UPPERCASE 13 bold, the motto 14 bold with a rule as long as the line, place and
date at 14 italic); the type name and subject bold 14 centred with a short rule; body at 14,
justified, first line indented 1.27 cm, 6 pt after, line spacing 1.15; the signature block
(authority, title, name: bold 14) beside ``Nơi nhận:`` (bold italic 12) and its list (11)
ending ``- Lưu: VT, <unit>.``; page numbers top centre at 14 from page 2 on.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor, Twips
from docx.table import _Cell

from common.ooxml import order as ooxml_order

FONT = "Times New Roman"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
# Whole twips just above 20/30/15 mm, so Word's rounding never takes them below the range.
MARGINS = {"top": Twips(1134), "bottom": Twips(1134), "left": Twips(1701), "right": Twips(851)}
BODY_SIZE = 14
BLACK = RGBColor(0, 0, 0)
TEXT_WIDTH_CM = 16.5  # 210 mm less the 30 mm and 15 mm margins


def vn_date_line(place: str, day: date) -> str:
    """``Hưng Yên, ngày 05 tháng 01 năm 2026``: days below 10 and months 1 and 2 zero-padded
    (Decree 30/2020, Appendix I, section II.5.b)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def document_number(number: int, type_code: str, issuer_code: str) -> str:
    """``Số: 05/BC-UBND``: numbers below 10 zero-padded; groups joined by ``-``, no spaces."""
    return f"Số: {number:02d}/{type_code}-{issuer_code}"


@dataclass
class Signature:
    authority: str  # e.g. "TM. ỦY BAN NHÂN DÂN" or "KT. CHỦ TỊCH"; may be empty
    title: str  # e.g. "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC"
    name: str


@dataclass
class Header:
    parent_body: str  # may be empty (e.g. a provincial people's committee)
    issuing_body: str
    number_line: str  # "Số: 05/BC-UBND"
    place: str
    day: date
    type_name: str = "BÁO CÁO"
    subject: str = ""


@dataclass
class Recipients:
    lines: list[str] = field(default_factory=list)
    archive_unit: str = ""

    def all_lines(self) -> list[str]:
        """Each recipient on its own line ending with ``;`` and the archive line last."""
        out = [f"- {line.rstrip(';.')};" for line in self.lines]
        out.append(f"- Lưu: VT, {self.archive_unit}.")
        return out


def _set_run(run, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = BLACK
    _all_scripts(run._element.get_or_add_rPr())


def _all_scripts(rpr: Any) -> None:
    """Times New Roman for every script, East Asian and complex included (python-docx's
    ``font.name`` sets ascii and hAnsi only); ``get_or_add_rFonts`` keeps the schema order."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _paragraph(
    container,
    text: str = "",
    size: float = BODY_SIZE,
    *,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
    before: float = 0,
):
    par = container.add_paragraph()
    par.alignment = align
    fmt = par.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = 1.0
    if text:
        _set_run(par.add_run(text), size, bold=bold, italic=italic)
    return par


def _rule(cell: Any, width_cm: float, cell_width_cm: float) -> None:
    """A horizontal line of ``width_cm``, centred in the cell: an empty tiny paragraph whose
    bottom border runs between its indents."""
    par = _paragraph(cell, "", 2)
    side = max((cell_width_cm - width_cm) / 2, 0)
    par.paragraph_format.left_indent = Cm(side)
    par.paragraph_format.right_indent = Cm(side)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ooxml_order.put(par._p.get_or_add_pPr(), borders)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    ooxml_order.put(table._tbl.tblPr, borders)


def _set_widths(table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths, written both to the grid and to every cell (Word reads the cells,
    LibreOffice the grid). ``autofit = False`` is python-docx's ``w:tblLayout w:type="fixed"``."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _first_cell_paragraph(cell: _Cell):
    """python-docx cells start with one empty paragraph: reuse it for the first line."""
    return cell.paragraphs[0]


def _cell_text(
    cell: _Cell,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
):
    par = _first_cell_paragraph(cell) if first else cell.add_paragraph()
    par.alignment = align
    par.paragraph_format.space_after = Pt(0)
    par.paragraph_format.space_before = Pt(0)
    par.paragraph_format.line_spacing = 1.0
    _set_run(par.add_run(text), size, bold=bold, italic=italic)
    return par


def _page_number_header(section) -> None:
    """PAGE field, top centre, size 14; the first page gets an empty header of its own."""
    section.different_first_page_header_footer = True
    par = section.header.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = par.add_run()
    _set_run(run, BODY_SIZE)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    section.first_page_header.is_linked_to_previous = False


STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_word2010_styles(doc: Any) -> None:
    """python-docx's template carries ``word/stylesWithEffects.xml``, a copy of the styles that
    only Word 2010 reads, and reads instead of ``styles.xml``: the Decree 30 fonts set above
    would not be in it, and its defaults differ from ``styles.xml`` (Word 2010 may report the
    document unreadable). Word 2013 and later neither need nor write it."""
    part = doc.part
    for r_id, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            part.drop_rel(r_id)


def _zoom_with_percent(doc: Any) -> None:
    """ECMA-376 requires ``w:percent`` on ``w:zoom`` (17.15.1.95); the template's settings have
    ``<w:zoom w:val="bestFit"/>`` alone. 100 is what Word writes for a new document."""
    zoom = doc.settings.element.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")


class Decree30Document:
    """Build one document: ``header()``, then ``heading()``/``paragraph()``/``table()`` for the
    body, then ``closing()``; ``to_bytes()`` gives the .docx."""

    LEFT_CM = 6.3
    RIGHT_CM = 10.2

    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin = MARGINS["top"]
        section.bottom_margin = MARGINS["bottom"]
        section.left_margin = MARGINS["left"]
        section.right_margin = MARGINS["right"]
        section.header_distance = Mm(10)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_SIZE)
        normal.font.color.rgb = BLACK
        _all_scripts(normal.element.get_or_add_rPr())
        _drop_word2010_styles(self.doc)
        _zoom_with_percent(self.doc)
        _page_number_header(section)

    def header(self, h: Header) -> None:
        table = self.doc.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _no_borders(table)
        _set_widths(table, (self.LEFT_CM, self.RIGHT_CM))
        left, right = table.cell(0, 0), table.cell(0, 1)
        first = True
        if h.parent_body:
            _cell_text(left, h.parent_body.upper(), 13, first=True)
            first = False
        _cell_text(left, h.issuing_body.upper(), 13, bold=True, first=first)
        _rule(left, self.LEFT_CM / 3, self.LEFT_CM)
        _cell_text(right, NATIONAL_NAME, 13, bold=True, first=True)
        _cell_text(right, MOTTO, 14, bold=True)
        _rule(right, 6.0, self.RIGHT_CM)
        _cell_text(
            table.cell(1, 0), h.number_line, 13, first=True
        ).paragraph_format.space_before = Pt(6)
        _cell_text(
            table.cell(1, 1), vn_date_line(h.place, h.day), 14, italic=True, first=True
        ).paragraph_format.space_before = Pt(6)
        _paragraph(self.doc, h.type_name.upper(), BODY_SIZE, bold=True, before=18)
        if h.subject:
            _paragraph(self.doc, h.subject, BODY_SIZE, bold=True)
        _rule(self.doc, 3.0, TEXT_WIDTH_CM)
        _paragraph(self.doc, "", 6)

    def heading(self, text: str) -> None:
        """A section heading inside the body: bold, justified like the body, not indented."""
        par = self.paragraph(text, bold=True)
        par.paragraph_format.first_line_indent = Cm(1.27)

    def paragraph(self, text: str, *, bold: bool = False, italic: bool = False):
        par = self.doc.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt = par.paragraph_format
        fmt.first_line_indent = Cm(1.27)
        fmt.space_after = Pt(6)
        fmt.space_before = Pt(0)
        fmt.line_spacing = 1.15
        _set_run(par.add_run(text), BODY_SIZE, bold=bold, italic=italic)
        return par

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths_cm: Sequence[float] | None = None,
        size: float = 13,
    ) -> None:
        """A bordered table of figures; the first column is text, the rest numbers."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _cell_text(cell, str(text), size, bold=True, first=True)
        for values in rows:
            cells = table.add_row().cells
            for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
                text_cell = i == 0 and not isinstance(value, int)
                align = WD_ALIGN_PARAGRAPH.LEFT if text_cell else WD_ALIGN_PARAGRAPH.CENTER
                text = f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)
                _cell_text(cell, text, size, align=align, first=True)
        if widths_cm:
            _set_widths(table, widths_cm)
        _paragraph(self.doc, "", 6)

    def closing(self, signature: Signature, recipients: Recipients) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        _set_widths(table, (7.5, 9.0))
        # The signature never splits from its recipients across a page break.
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        left, right = table.cell(0, 0), table.cell(0, 1)
        _cell_text(
            left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True
        )
        for line in recipients.all_lines():
            _cell_text(left, line, 11, align=WD_ALIGN_PARAGRAPH.LEFT)
        first = True
        if signature.authority:
            _cell_text(right, signature.authority.upper(), BODY_SIZE, bold=True, first=True)
            first = False
        _cell_text(right, signature.title.upper(), BODY_SIZE, bold=True, first=first)
        for _ in range(4):
            _cell_text(right, "", BODY_SIZE)
        _cell_text(right, signature.name, BODY_SIZE, bold=True)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
