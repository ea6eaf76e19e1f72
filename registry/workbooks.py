"""Workbooks of the register: the import template, and the petitions export (register
first, so that it imports back, then the statistics). Every text cell is defused (a
leading = + - @ gets an apostrophe); ID numbers, phones and area codes are text cells;
a denouncer's identity is never written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from common.clock import today
from matters.models import Category, Matter
from matters.selectors import matter_state, matters_visible_to, state_q
from petitions.models import Kind, Petition, Petitioner, Status
from registry import register as reg
from units.models import Unit
from units.selectors import subtree_ids

HEADER_FILL = PatternFill("solid", fgColor="7A1010")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TEXT = "@"
DATE_FORMAT = "dd/mm/yyyy"
EXTRA = ["Mã đơn", "Đơn vị chịu trách nhiệm", "Trạng thái", "Hạn giải quyết", "Tình trạng"]
WIDTHS = {
    reg.SUMMARY: 40,
    reg.CONTENT: 60,
    reg.ADDRESS: 30,
    reg.NAME: 24,
    "Đơn vị chịu trách nhiệm": 28,
}


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_cells(sheet: Any, names: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    return cells


def _text(sheet: Any, value: str, *, as_text: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=reg.defuse(value) if value else None)
    if value:
        cell.data_type = "s"
    if as_text:
        cell.number_format = TEXT
    return cell


def _date(sheet: Any, value: date | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATE_FORMAT
    return cell


# --- the template ------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """An empty register with the columns of ``import-petitions``: text formats for IDs,
    phones and area codes, lists for the kinds, channels and categories, and a second
    sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sổ đơn"
    sheet.append(reg.COLUMNS)
    for index, name in enumerate(reg.COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 16)
        for row in range(2, 2002):
            if name in reg.TEXT_COLUMNS:
                sheet.cell(row=row, column=index).number_format = TEXT
            elif name == reg.DATE:
                sheet.cell(row=row, column=index).number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    lists = {
        reg.KIND: list(reg.KINDS.values()),
        reg.CHANNEL: list(reg.CHANNELS.values()),
    }
    help_sheet = workbook.create_sheet("Hướng dẫn")
    categories = [c.label for c in Category.objects.filter(is_active=True)]
    help_sheet.append(["Cột", "Cách ghi"])
    notes = {
        reg.DATE: "dd/mm/yyyy (ngày trước, tháng sau) hoặc ô kiểu ngày",
        reg.KIND: "; ".join(reg.KINDS.values()),
        reg.CHANNEL: "; ".join(reg.CHANNELS.values()),
        reg.NAME: "Bắt buộc với đơn khiếu nại. Với đơn tố cáo, họ tên được giữ bí mật trong kho mật",
        reg.ID_NUMBER: "12 chữ số (CCCD) hoặc 9 chữ số (CMND), nhập dạng văn bản để giữ số 0 đầu",
        reg.ADDRESS: "Tối đa 300 ký tự",
        reg.PHONE: "8 đến 15 chữ số, nhập dạng văn bản để giữ số 0 đầu",
        reg.AREA: "Mã địa bàn chính thức: 2 chữ số (tỉnh) hoặc 5 chữ số (xã, phường)",
        reg.CATEGORY: "; ".join(categories),
        reg.SUMMARY: "Bắt buộc, tối đa 300 ký tự",
        reg.CONTENT: "Tối đa 20.000 ký tự",
        reg.SIGNERS: "Số nguyên từ 1; để trống là 1",
    }
    for name in reg.COLUMNS:
        help_sheet.append([name, notes[name]])
    help_sheet.append([])
    help_sheet.append(
        ["Lưu ý", "Chỉ dùng phông chữ Unicode; tệp gõ bằng TCVN3 (ABC) hoặc VNI bị từ chối."]
    )
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["B"].width = 100
    if categories:
        lists[reg.CATEGORY] = categories
    # Lists longer than Excel's 255-character limit of an inline list live on the help sheet.
    for name, values in lists.items():
        column = sheet.cell(row=1, column=reg.COLUMNS.index(name) + 1).column_letter
        start = help_sheet.max_row + 2
        for offset, value in enumerate(values):
            help_sheet.cell(row=start + offset, column=4, value=value)
        ref = f"'Hướng dẫn'!$D${start}:$D${start + len(values) - 1}"
        validation = DataValidation(type="list", formula1=ref, allow_blank=True)
        validation.error = "Chọn một giá trị trong danh sách"
        sheet.add_data_validation(validation)
        validation.add(f"{column}2:{column}2001")
    return _save(workbook)


# --- the export ----------------------------------------------------------------------------------


def petitions_for_export(
    user: Any, *, start: date | None, end: date | None, unit: Unit | None
) -> QuerySet[Matter]:
    qs = matters_visible_to(user, Matter.objects.filter(kind=Matter.Kind.PETITION))
    if unit is not None:
        qs = qs.filter(owner_id__in=subtree_ids(unit))
    if start:
        qs = qs.filter(opened_on__gte=start)
    if end:
        qs = qs.filter(opened_on__lte=end)
    return qs


def _register_rows(
    matters: QuerySet[Matter], day: date
) -> Iterator[tuple[Matter, Petition, Petitioner | None]]:
    ids = matters.order_by("code").values_list("id", flat=True)
    chunk: list[int] = []
    for matter_id in ids.iterator(chunk_size=2000):
        chunk.append(matter_id)
        if len(chunk) == 2000:
            yield from _chunk_rows(chunk)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk)


def _chunk_rows(ids: list[int]) -> Iterator[tuple[Matter, Petition, Petitioner | None]]:
    petitions = {
        p.matter_id: p
        for p in Petition.objects.filter(matter_id__in=ids).select_related(
            "matter", "matter__owner", "matter__category"
        )
    }
    first: dict[int, Petitioner] = {}
    unsealed = [pid for pid, p in petitions.items() if not p.sealed]
    for person in Petitioner.objects.filter(petition_id__in=unsealed).order_by(
        "petition_id", "-is_representative", "position"
    ):
        first.setdefault(person.petition_id, person)
    for matter_id in ids:
        petition = petitions.get(matter_id)
        if petition is None:
            continue
        # A denouncer is never written: sealed petitions have no Petitioner rows at all.
        yield petition.matter, petition, None if petition.sealed else first.get(matter_id)


def petitions_workbook(
    user: Any, *, start: date | None, end: date | None, unit: Unit | None
) -> bytes:
    """The register (one row per petition, the import columns then code, owner, status,
    deadline and state) and the statistics by kind, category, state and owner unit."""
    day = today()
    matters = petitions_for_export(user, start=start, end=end, unit=unit)
    with translation.override(settings.LANGUAGE_CODE):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Sổ đơn")
        for index, name in enumerate(reg.COLUMNS + EXTRA):
            letter = chr(ord("A") + index)
            sheet.column_dimensions[letter].width = WIDTHS.get(name, 16)
        sheet.freeze_panes = "A2"
        sheet.append(_header_cells(sheet, reg.COLUMNS + EXTRA))
        statuses = dict(Status.choices)
        states = dict(Matter.State.choices)
        by_state: Counter[str] = Counter()
        for matter, petition, person in _register_rows(matters, day):
            state = matter_state(matter, day)
            by_state[state] += 1
            sheet.append(
                [
                    _date(sheet, petition.received_on),
                    _text(sheet, reg.KINDS.get(petition.kind, petition.kind)),
                    _text(sheet, reg.CHANNELS.get(petition.channel, petition.channel)),
                    _text(sheet, person.full_name if person else ""),
                    _text(sheet, person.id_number if person else "", as_text=True),
                    _text(sheet, person.address if person else ""),
                    _text(sheet, person.phone if person else "", as_text=True),
                    _text(sheet, matter.area_id, as_text=True),
                    _text(sheet, matter.category.label),
                    _text(sheet, petition.summary),
                    _text(sheet, petition.content),
                    WriteOnlyCell(sheet, value=petition.signers),
                    _text(sheet, matter.code),
                    _text(sheet, matter.owner.name),
                    _text(sheet, str(statuses.get(matter.status, matter.status))),
                    _date(sheet, matter.due_on),
                    _text(sheet, str(states.get(state, state))),
                ]
            )
        _statistics(workbook, matters, day, by_state, start=start, end=end, unit=unit)
        return _save(workbook)


def _statistics(
    workbook: Workbook,
    matters: QuerySet[Matter],
    day: date,
    by_state: Counter[str],
    *,
    start: date | None,
    end: date | None,
    unit: Unit | None,
) -> None:
    sheet = workbook.create_sheet("Thống kê")
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 12
    title = WriteOnlyCell(
        sheet,
        value=_("Petitions received %(start)s to %(end)s%(unit)s")
        % {
            "start": f"{start:%d/%m/%Y}" if start else "…",
            "end": f"{end:%d/%m/%Y}" if end else f"{day:%d/%m/%Y}",
            "unit": f" — {unit.name}" if unit else "",
        },
    )
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    total = sum(by_state.values())
    sheet.append([_("Total"), total])

    def table(heading: str, rows: list[tuple[str, int]]) -> None:
        sheet.append([])
        sheet.append(_header_cells(sheet, [heading, _("Number of petitions")]))
        for label, count in rows:
            sheet.append([_text(sheet, label), count])

    kinds = dict(
        Petition.objects.filter(matter__in=matters)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    table(_("By kind"), [(reg.KINDS[k], kinds.get(k, 0)) for k in Kind.values])
    cats = {
        row["category__label"]: row["n"]
        for row in matters.values("category__label")
        .annotate(n=Count("id"))
        .order_by("category__label")
    }
    table(_("By category"), sorted(cats.items(), key=lambda item: (-item[1], item[0])))
    states = dict(Matter.State.choices)
    table(_("By state"), [(str(states[s]), by_state.get(s, 0)) for s in Matter.State.values])
    owners = (
        matters.values("owner__code", "owner__name")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=state_q("overdue", day)),
        )
        .order_by("owner__code")
    )
    sheet.append([])
    sheet.append(_header_cells(sheet, [_("By owner unit"), _("Number of petitions"), _("Overdue")]))
    for row in owners:
        sheet.append([_text(sheet, row["owner__name"]), row["n"], row["overdue"]])
