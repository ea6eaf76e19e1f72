"""The annual indicators of the appendix to Decree 244/2026 (report form on statements and
information to the press), over the report period of Art 10(2): from 15 December of the year
before to 14 December of the report year, sent before 20 December."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.edge import xlsx_safe
from statements.models import Duty, Form, Statement, Trigger
from statements.services import on_time

REQUESTS = (Trigger.PRESS_REQUEST, Trigger.PRESS_ANSWER, Trigger.FORWARDED_PETITION)
SUDDEN = (Trigger.EVENT, Trigger.DIVIDED_OPINION, Trigger.PRESS_REQUEST)
TIMED = (Trigger.EVENT, Trigger.DIVIDED_OPINION)


def report_period(year: int) -> tuple[datetime, datetime]:
    """[15/12 of year-1 00:00, 15/12 of year 00:00) in local time."""
    start = timezone.make_aware(datetime.combine(date(year - 1, 12, 15), time.min))
    end = timezone.make_aware(datetime.combine(date(year, 12, 15), time.min))
    return start, end


@dataclass(frozen=True)
class Indicator:
    number: int
    label: str
    value: int
    total: int | None
    basis: str


def compute(statements: list[Statement], start: datetime, end: datetime) -> list[Indicator]:
    def given_in(s: Statement) -> bool:
        return s.delivered_at is not None and start <= s.delivered_at < end

    def arose_in(s: Statement) -> bool:
        return start <= s.triggered_at < end

    # A periodic conference fulfilled by another statement is that statement's conference.
    own = [s for s in statements if not (s.duty == Duty.PRESS_CONFERENCE and s.parent_id)]
    conferences = sum(1 for s in own if given_in(s) and s.form == Form.PRESS_CONFERENCE)
    briefings = sum(1 for s in own if given_in(s) and s.form == Form.BRIEFING)
    requests = [s for s in own if arose_in(s) and s.trigger in REQUESTS]
    sudden = [s for s in own if arose_in(s) and s.trigger in SUDDEN]
    timed = [s for s in own if arose_in(s) and s.trigger in TIMED and s.due_at is not None]
    false_info = [s for s in own if arose_in(s) and s.trigger == Trigger.FALSE_INFORMATION]
    return [
        Indicator(1, _("Press conferences held in the year"), conferences, None, "Art 5(1)"),
        Indicator(
            2,
            _("Times the unit informed the press at press briefings"),
            briefings,
            None,
            "Art 5(5), 6",
        ),
        Indicator(
            3,
            _("Answers to the press / requests from the press"),
            sum(1 for s in requests if s.delivered_at),
            len(requests),
            "Art 7(5)",
        ),
        Indicator(
            4,
            _("Sudden events with a statement / sudden events"),
            sum(1 for s in sudden if s.delivered_at),
            len(sudden),
            "Art 7(2)-(5)",
        ),
        Indicator(
            5,
            _("Statements on time / events with a deadline"),
            sum(1 for s in timed if on_time(s)),
            len(timed),
            "Art 7(3), 7(4)",
        ),
        Indicator(
            6,
            _("Written replies asking for correction / cases of false information"),
            sum(1 for s in false_info if s.delivered_at),
            len(false_info),
            "Art 7(6)",
        ),
    ]


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, Promise):
        value = str(value)
    value = xlsx_safe(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def workbook(unit_name: str, year: int, statements: list[Statement]) -> bytes:
    start, end = report_period(year)
    rows = compute(statements, start, end)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    _indicator_sheet(sheet, unit_name, year, rows)
    _statement_sheet(book.create_sheet(_("Statements")), statements)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _indicator_sheet(sheet: Any, unit_name: str, year: int, rows: list[Indicator]) -> None:
    """The first sheet: the unit, the title, the period and one line per indicator."""
    sheet.title = _("Indicators")
    sheet.append([_safe(unit_name)])
    sheet.append(
        [_("REPORT ON STATEMENTS AND INFORMATION TO THE PRESS, YEAR %(year)s") % {"year": year}]
    )
    sheet.append(
        [
            _("Period: %(start)s to %(end)s (Decree 244/2026/NĐ-CP, Art 10(2))")
            % {"start": f"15/12/{year - 1}", "end": f"14/12/{year}"}
        ]
    )
    sheet.append([])
    sheet.append(
        [
            _("No."),
            _("Indicator"),
            pgettext("indicator", "Number"),
            _("Out of"),
            _("Basis (Decree 244/2026)"),
        ]
    )
    for row in rows:
        sheet.append([row.number, row.label, row.value, row.total, row.basis])
    sheet["A2"].font = Font(bold=True)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (6, 70, 10, 10, 24), strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _statement_sheet(register: Any, statements: list[Statement]) -> None:
    """The second sheet: one line per statement of the year, as the register keeps it."""
    header = [
        _("Code"),
        _("Unit"),
        _("Occasion"),
        _("Since"),
        _("Due"),
        _("Given at"),
        _("Form"),
        _("Speaker"),
        _("On time"),
        _("Refusal ground"),
        _("Subject"),
    ]
    register.append(header)
    for s in statements:
        due = s.due_at if s.due_at is not None else s.matter.due_on
        timely = on_time(s)
        register.append(
            [
                _safe(v)
                for v in (
                    s.matter.code,
                    s.matter.owner.code,
                    Trigger(s.trigger).label,
                    s.triggered_at,
                    due,
                    s.delivered_at,
                    Form(s.form).label if s.form else "",
                    s.speaker,
                    "" if timely is None else (_("yes") if timely else _("no")),
                    s.ground,
                    s.subject,
                )
            ]
        )
    for cell in register[1]:
        cell.font = Font(bold=True)
    for index in range(1, len(header) + 1):
        register.column_dimensions[get_column_letter(index)].width = 18
    for column in ("D", "E", "F"):
        for cell in register[column][1:]:
            cell.number_format = "dd/mm/yyyy hh:mm"
