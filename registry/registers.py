"""The two registers of citizen reception and petition handling as .xlsx, laid out like the
forms offices keep on paper:

- the book of citizen reception (sổ tiếp công dân): LTCD 2013 Art. 25(2) and the annex form
  of the inspectorate's circular on reception (Mẫu 06-TCD of TT 06/2014, carried into
  TT 04/2021): no., date, person (name, address, ID), content, kind and number of people,
  body that handled it before, the handling (accept, return and guide, transfer), follow-up
  of the result, note;
- the book of receiving and processing petitions (sổ theo dõi xử lý đơn): the classification
  fields of TT 05/2021 Art. 6 and the intake decisions of LAW-PETITIONS §2.

A denouncer's identity is never written (the cell says it is sealed); every text cell is
defused against formulas; codes and ID numbers are text cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import BytesIO
from typing import Any

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from common.clock import today
from common.edge import xlsx_safe
from matters.models import Handoff, Matter
from matters.selectors import matter_state
from petitions.models import IntakeDecision, Petition, Petitioner, Status, Visit
from petitions.selectors import visits_for_user
from registry import register as reg
from registry.workbooks import petitions_for_export
from units.models import Unit
from units.selectors import subtree_ids

SEALED = "(Bảo mật danh tính người tố cáo)"
FIRST_DATA_ROW = 10
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")
TEXT = "@"
DATE_FORMAT = "dd/mm/yyyy"
STATUS_VI: dict[str, str] = {
    Status.RECEIVED: "Đang xử lý đơn",
    Status.ACCEPTED: "Đã thụ lý, đang giải quyết",
    Status.SUSPENDED: "Tạm đình chỉ",
    Status.RESOLVED: "Đã giải quyết",
    Status.REFUSED: "Không thụ lý",
    Status.GUIDED: "Đã hướng dẫn",
    Status.FILED: "Lưu đơn",
    Status.WITHDRAWN: "Rút đơn",
    Status.DISCONTINUED: "Đình chỉ giải quyết",
}
STATE_VI = {
    "in_time": "Trong hạn",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
}

# (heading, sub-heading or None, width). Columns sharing a heading are merged under it.
RECEPTION_COLUMNS: list[tuple[str, str | None, int]] = [
    ("STT", None, 6),
    ("Ngày tiếp", None, 11),
    ("Họ tên - Địa chỉ - CCCD/Hộ chiếu của công dân", None, 30),
    ("Nội dung vụ việc", None, 40),
    ("Phân loại đơn / Số người", None, 16),
    ("Cơ quan đã giải quyết", None, 20),
    ("Hướng xử lý", "Thụ lý để giải quyết", 14),
    ("Hướng xử lý", "Trả lại đơn và hướng dẫn", 18),
    ("Hướng xử lý", "Chuyển đơn đến cơ quan, tổ chức, đơn vị có thẩm quyền", 22),
    ("Theo dõi kết quả giải quyết", None, 26),
    ("Ghi chú", None, 20),
]
PROCESSING_COLUMNS: list[tuple[str, str | None, int]] = [
    ("STT", None, 6),
    ("Mã đơn", None, 18),
    ("Ngày nhận", None, 11),
    ("Nguồn đơn", None, 12),
    ("Họ tên, địa chỉ người gửi đơn", None, 28),
    ("Số CCCD/CMND", None, 14),
    ("Nội dung đơn (tóm tắt)", None, 40),
    ("Phân loại đơn", None, 14),
    ("Số người ký", None, 8),
    ("Lĩnh vực", None, 14),
    ("Mã địa bàn", None, 9),
    ("Kết quả xử lý đơn", "Thụ lý (ngày)", 11),
    ("Kết quả xử lý đơn", "Chuyển đơn đến", 22),
    ("Kết quả xử lý đơn", "Hướng dẫn", 20),
    ("Kết quả xử lý đơn", "Không thụ lý (lý do)", 20),
    ("Kết quả xử lý đơn", "Lưu đơn", 16),
    ("Hạn xử lý đơn", None, 11),
    ("Đơn vị đang giải quyết", None, 22),
    ("Hạn giải quyết", None, 11),
    ("Theo dõi kết quả giải quyết", None, 30),
    ("Ghi chú", None, 14),
]


# --- cells ---------------------------------------------------------------------------------------


def _text(sheet: Any, value: str | None, *, as_text: bool = False) -> WriteOnlyCell:
    value = value or ""
    cell = WriteOnlyCell(sheet, value=reg.defuse(value) if value else None)
    if value:
        cell.data_type = "s"
    if as_text:
        cell.number_format = TEXT
    cell.alignment = WRAP
    cell.border = BOX
    return cell


def _date(sheet: Any, value: date | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATE_FORMAT
    cell.alignment = WRAP
    cell.border = BOX
    return cell


def _number(sheet: Any, value: int | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=xlsx_safe(value))
    cell.alignment = CENTER
    cell.border = BOX
    return cell


def _mark(sheet: Any, on: bool, detail: str = "") -> WriteOnlyCell:
    cell = _text(sheet, ("X" + (f" — {detail}" if detail else "")) if on else "")
    if on and not detail:
        cell.alignment = CENTER
    return cell


def _styled(
    sheet: Any,
    value: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 12,
    align: Alignment | None = None,
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=xlsx_safe(value))
    cell.font = Font(name="Times New Roman", bold=bold, italic=italic, size=size)
    cell.alignment = align or CENTER
    return cell


def _letterhead(
    sheet: Any,
    columns: list[tuple[str, str | None, int]],
    *,
    title: str,
    unit: Unit | None,
    start: date | None,
    end: date | None,
) -> int:
    """The header block, the title and the two heading rows with the column numbers below;
    returns the number of rows written."""
    n = len(columns)
    # Heights are written with each row of a write-only sheet: set before the rows go out.
    sheet.row_dimensions[4].height = 22
    sheet.row_dimensions[7].height = 32
    sheet.row_dimensions[8].height = 60
    for index, (_head, _sub, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    left = max(n // 3, 2)
    right_start = n - max(n // 2, 3) + 1
    parent = unit.parent.name.upper() if unit is not None and unit.parent else ""
    name = unit.name.upper() if unit is not None else ""

    def row(left_value: str, right_value: str, *, bold_left: bool, bold_right: bool) -> list[Any]:
        cells: list[Any] = [None] * n
        cells[0] = _styled(sheet, left_value, bold=bold_left)
        cells[right_start - 1] = _styled(sheet, right_value, bold=bold_right)
        return cells

    sheet.append(
        row(parent, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold_left=False, bold_right=True)
    )
    sheet.append(row(name, "Độc lập - Tự do - Hạnh phúc", bold_left=True, bold_right=True))
    sheet.append([])
    sheet.append([_styled(sheet, title, bold=True, size=14)])
    span = "Từ ngày {} đến ngày {}".format(
        f"{start:%d/%m/%Y}" if start else "…", f"{(end or today()):%d/%m/%Y}"
    )
    sheet.append([_styled(sheet, span, italic=True)])
    sheet.append([])
    merges = [
        f"A1:{get_column_letter(left)}1",
        f"A2:{get_column_letter(left)}2",
        f"{get_column_letter(right_start)}1:{get_column_letter(n)}1",
        f"{get_column_letter(right_start)}2:{get_column_letter(n)}2",
        f"A4:{get_column_letter(n)}4",
        f"A5:{get_column_letter(n)}5",
    ]
    top: list[Any] = []
    bottom: list[Any] = []
    index = 0
    while index < n:
        head, sub, _width = columns[index]
        letter = get_column_letter(index + 1)
        if sub is None:
            top.append(_heading(sheet, head))
            bottom.append(_heading(sheet, ""))
            merges.append(f"{letter}7:{letter}8")
            index += 1
            continue
        width = 1
        while index + width < n and columns[index + width][0] == head:
            width += 1
        for offset in range(width):
            top.append(_heading(sheet, head if offset == 0 else ""))
            bottom.append(_heading(sheet, columns[index + offset][1] or ""))
        merges.append(f"{letter}7:{get_column_letter(index + width)}7")
        index += width
    sheet.append(top)
    sheet.append(bottom)
    sheet.append([_heading(sheet, f"({i})", bold=False) for i in range(1, n + 1)])
    for merge in merges:
        sheet.merged_cells.add(merge)
    return 9


def _heading(sheet: Any, value: str, *, bold: bool = True) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=xlsx_safe(value) or None)
    cell.font = Font(name="Times New Roman", bold=bold, size=11)
    cell.alignment = CENTER
    cell.border = BOX
    return cell


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook: Workbook, title: str) -> Any:
    sheet = workbook.create_sheet(title)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    # Printed as the paper book: every column on the page, as many pages down as it takes.
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "7:9"
    sheet.freeze_panes = "A10"
    return sheet


class Rows:
    """Appends data rows, each as tall as its longest wrapped cell: a write-only sheet
    cannot be measured afterwards, and not every spreadsheet program sizes rows itself."""

    def __init__(self, sheet: Any, columns: list[tuple[str, str | None, int]]) -> None:
        self.sheet = sheet
        self.widths = [width for _h, _s, width in columns]
        self.number = FIRST_DATA_ROW

    def append(self, cells: list[Any]) -> None:
        lines = 1
        for cell, width in zip(cells, self.widths, strict=False):
            value = getattr(cell, "value", None)
            if isinstance(value, str):
                per_line = max(int(width * 1.15), 1)
                lines = max(
                    lines, sum(-(-len(part) // per_line) or 1 for part in value.split("\n"))
                )
        self.sheet.row_dimensions[self.number].height = min(15 * lines, 409)
        self.sheet.append(cells)
        self.number += 1


# --- what a handled petition says in the registers ----------------------------------------------


def _last_transfer(petition: Petition) -> Handoff | None:
    handoffs = list(petition.matter.handoffs.all())
    return handoffs[-1] if handoffs else None


def _follow_up(petition: Petition) -> str:
    matter = petition.matter
    parts = [f"{matter.code}: {STATUS_VI.get(matter.status, matter.status)}"]
    if petition.resolved_on:
        parts.append(f"ngày {petition.resolved_on:%d/%m/%Y}")
    if petition.decision_no:
        parts.append(f"QĐ/KL số {petition.decision_no}")
    if matter.outcome and not matter.is_open:
        parts.append(matter.outcome[:300])
    return "; ".join(parts)


def _kind_label(petition: Petition) -> str:
    label = reg.KINDS.get(petition.kind, petition.kind)
    return f"{label} (lần hai)" if petition.instance == 2 else label


# --- the book of citizen reception ---------------------------------------------------------------


def visits_for_register(
    user: Any, *, start: date | None, end: date | None, unit: Unit | None
) -> QuerySet[Visit]:
    qs = visits_for_user(user)
    if unit is not None:
        qs = qs.filter(unit_id__in=subtree_ids(unit))
    if start:
        qs = qs.filter(visited_on__gte=start)
    if end:
        qs = qs.filter(visited_on__lte=end)
    return qs.prefetch_related(
        Prefetch(
            "petition__matter__handoffs",
            queryset=Handoff.objects.select_related("to_unit").order_by("at", "id"),
        )
    ).order_by("unit__code", "visited_on", "number")


def reception_workbook(
    user: Any, *, start: date | None, end: date | None, unit: Unit | None
) -> bytes:
    """The book of citizen reception of the units ``user`` sees (``unit`` and below it),
    visits from ``start`` to ``end``."""
    day = today()
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, "Sổ tiếp công dân")
    _letterhead(
        sheet,
        RECEPTION_COLUMNS,
        title="SỔ TIẾP CÔNG DÂN",
        unit=unit or getattr(user, "unit", None),
        start=start,
        end=end,
    )
    rows = Rows(sheet, RECEPTION_COLUMNS)
    for visit in visits_for_register(user, start=start, end=end, unit=unit).iterator(
        chunk_size=1000
    ):
        rows.append(_visit_row(sheet, visit, day))
    return _save(workbook)


def _visit_row(sheet: Any, visit: Visit, day: date) -> list[Any]:
    if visit.sealed:
        person = SEALED
    else:
        person = "\n".join(x for x in (visit.full_name, visit.address, visit.id_document) if x)
    content = visit.content
    if visit.request:
        content += f"\nYêu cầu: {visit.request}"
    petition = visit.petition
    kind = _kind_label(petition) if petition else "Không có đơn"
    people = f"Đoàn đông người, {visit.people} người" if visit.is_group else f"{visit.people} người"
    decision = petition.intake_decision if petition else ""
    transfer = _last_transfer(petition) if petition else None
    follow = _follow_up(petition) if petition else ""
    if visit.result:
        follow = f"{follow}\n{visit.result}".strip()
    return [
        _number(sheet, visit.number),
        _date(sheet, visit.visited_on),
        _text(sheet, person),
        _text(sheet, content),
        _text(sheet, f"{kind} / {people}"),
        _text(sheet, visit.prior_handling),
        _mark(sheet, decision == IntakeDecision.ACCEPT),
        _mark(sheet, decision == IntakeDecision.GUIDE, petition.guided_to if petition else ""),
        _mark(
            sheet,
            decision == IntakeDecision.TRANSFER and transfer is not None,
            transfer.to_unit.name if transfer is not None else "",
        ),
        _text(sheet, follow),
        _text(sheet, visit.handling + (f"\n{visit.unit.name}" if visit.unit_id else "")),
    ]


# --- the book of receiving and processing petitions ---------------------------------------------


def _processing_rows(
    matters: QuerySet[Matter],
) -> Iterator[tuple[Petition, Petitioner | None]]:
    ids = list(matters.order_by("opened_on", "code").values_list("id", flat=True))
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        petitions = {
            p.matter_id: p
            for p in Petition.objects.filter(matter_id__in=chunk)
            .select_related("matter", "matter__owner", "matter__category")
            .prefetch_related(
                Prefetch(
                    "matter__handoffs",
                    queryset=Handoff.objects.select_related("to_unit").order_by("at", "id"),
                )
            )
        }
        first: dict[int, Petitioner] = {}
        unsealed = [pid for pid, p in petitions.items() if not p.sealed]
        for person in Petitioner.objects.filter(petition_id__in=unsealed).order_by(
            "petition_id", "-is_representative", "position"
        ):
            first.setdefault(person.petition_id, person)
        for matter_id in chunk:
            petition = petitions.get(matter_id)
            if petition is not None:
                yield petition, None if petition.sealed else first.get(matter_id)


def processing_workbook(
    user: Any, *, start: date | None, end: date | None, unit: Unit | None
) -> bytes:
    """The book of receiving and processing petitions: the petitions ``user`` sees received
    from ``start`` to ``end`` (owned by ``unit`` or a unit below it), one row each."""
    day = today()
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, "Sổ theo dõi xử lý đơn")
    _letterhead(
        sheet,
        PROCESSING_COLUMNS,
        title="SỔ THEO DÕI TIẾP NHẬN, XỬ LÝ ĐƠN",
        unit=unit or getattr(user, "unit", None),
        start=start,
        end=end,
    )
    matters = petitions_for_export(user, start=start, end=end, unit=unit)
    rows = Rows(sheet, PROCESSING_COLUMNS)
    for number, (petition, person) in enumerate(_processing_rows(matters), start=1):
        rows.append(_petition_row(sheet, number, petition, person, day))
    return _save(workbook)


def _petition_row(
    sheet: Any, number: int, petition: Petition, person: Petitioner | None, day: date
) -> list[Any]:
    matter = petition.matter
    if petition.sealed:
        sender, id_number = SEALED, SEALED
    elif person is not None:
        sender = "\n".join(x for x in (person.full_name, person.address) if x)
        id_number = person.id_number
    else:
        sender, id_number = "", ""
    decision = petition.intake_decision
    transfer = _last_transfer(petition)
    transfer_text = ""
    if transfer is not None:
        transfer_text = f"{transfer.to_unit.name} ({transfer.legal_basis})"
    refused = decision == IntakeDecision.REFUSE
    filed = decision == IntakeDecision.FILE_AWAY
    state = matter_state(matter, day)
    return [
        _number(sheet, number),
        _text(sheet, matter.code, as_text=True),
        _date(sheet, petition.received_on),
        _text(sheet, reg.CHANNELS.get(petition.channel, petition.channel)),
        _text(sheet, sender),
        _text(sheet, id_number, as_text=True),
        _text(sheet, petition.summary),
        _text(sheet, _kind_label(petition)),
        _number(sheet, petition.signers),
        _text(sheet, matter.category.label),
        _text(sheet, matter.area_id, as_text=True),
        _date(sheet, petition.accepted_on),
        _text(sheet, transfer_text),
        _text(sheet, petition.guided_to if decision == IntakeDecision.GUIDE else ""),
        _text(sheet, petition.intake_grounds if refused else ""),
        _text(sheet, petition.intake_grounds if filed else ""),
        _date(sheet, petition.processing_due_on),
        _text(sheet, matter.owner.name),
        _date(sheet, matter.due_on if matter.status != Status.RECEIVED else None),
        _text(sheet, _follow_up(petition)),
        _text(sheet, STATE_VI.get(state, state)),
    ]
