"""Bulk update of task progress from a spreadsheet: the template, and an all-or-nothing
import that checks every row and names every bad row and column at once."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from defusedxml import DefusedXmlException
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from common.archive import check_xlsx_archive
from common.edge import TEXT_MAX, text_problem, xlsx_safe
from common.errors import Invalid
from common.text import nfc
from matters.selectors import user_can_act
from plans import services
from plans.models import Plan, Task
from plans.selectors import plan_subtree, reporting_units, tasks_visible_to

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5000
MAX_COLUMNS = 50
MAX_EXPANDED_BYTES = 50 * 1024 * 1024
# What a damaged or hostile workbook raises while it is read: a zip, XML or entity error.
_UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    EOFError,
    SyntaxError,  # xml.etree.ElementTree.ParseError (expat)
    DefusedXmlException,
)

CODE = "Mã nhiệm vụ"
TITLE = "Tên nhiệm vụ"
LEAD = "Đơn vị chủ trì"
DUE = "Hạn"
PROGRESS = "Tiến độ (%)"
REPORTED_ON = "Ngày báo cáo"
PERIOD = "Kỳ báo cáo"
NOTE = "Ghi chú"
COMPLETED_ON = "Ngày hoàn thành"
COLUMNS = [CODE, TITLE, LEAD, DUE, PROGRESS, REPORTED_ON, PERIOD, NOTE, COMPLETED_ON]
REQUIRED = [CODE, PROGRESS, REPORTED_ON]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class ImportRejected(Invalid):
    """A file with bad rows: nothing was imported. ``rows`` lists every error."""

    def __init__(self, rows: list[RowError]) -> None:
        self.rows = rows
        errors = {f"row {e.row}, {e.column}": e.message for e in rows}
        super().__init__(
            errors,
            f"nothing imported: {len(rows)} error(s) in the file; "
            + "; ".join(f"row {e.row}, {e.column}: {e.message}" for e in rows[:20]),
        )


def reportable_tasks(user: Any, plan: Plan) -> list[Task]:
    """Tasks of the plan's cascade that the user's unit leads or cooperates on."""
    qs = (
        tasks_visible_to(user)
        .filter(plan__in=plan_subtree(plan))
        .select_related("matter", "matter__owner", "plan")
        .order_by("matter__code")
    )
    return [t for t in qs if user.can_act and user.unit_id in reporting_units(t)]


def progress_template(user: Any, plan: Plan, today: date) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tiến độ"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for task in reportable_tasks(user, plan):
        if not task.matter.is_open:
            continue
        sheet.append(
            [
                task.matter.code,
                _defuse(task.matter.title),
                task.matter.owner.code,
                task.matter.due_on,
                task.progress,
                today,
                "",
                "",
                None,
            ]
        )
    for row in sheet.iter_rows(min_row=2):
        for cell in (row[3], row[5]):
            cell.number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGHI", [20, 60, 16, 12, 12, 14, 12, 40, 16], strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _defuse(text: str) -> str:
    text = xlsx_safe(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    raise ValueError(text)


def _progress(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        if float(value) != int(value):
            raise ValueError
        return int(value)
    text = str(value).strip().rstrip("%").strip()
    if not re.fullmatch(r"\d{1,3}", text):
        raise ValueError
    return int(text)


@dataclass
class ParsedRow:
    row: int
    task: Task
    progress: int
    reported_on: date
    period: str | None
    note: str
    completed_on: date | None


def _read(upload: Any) -> list[tuple[int, dict[str, Any]]]:
    data = upload.read(settings.UPLOAD_MAX_BYTES + 1)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise Invalid({"file": _("file is larger than the upload limit")})
    if not data.startswith(b"PK\x03\x04"):
        raise Invalid({"file": _("not an .xlsx workbook")})
    check_xlsx_archive(data, max_expanded=MAX_EXPANDED_BYTES)
    try:
        # read_only streams the rows; openpyxl parses with defusedxml when it is installed,
        # which refuses entity declarations (billion laughs) instead of expanding them.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _UNREADABLE:
        raise Invalid({"file": _("not an .xlsx workbook")})
    try:
        return _records(book)
    except _UNREADABLE:
        raise Invalid(
            {
                "file": _(
                    "the workbook cannot be read: it is damaged or not made by a spreadsheet program"
                )
            }
        )
    finally:
        book.close()


def _records(book: Any) -> list[tuple[int, dict[str, Any]]]:
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = next(rows, None)
    names = [nfc(str(h)) if h is not None else "" for h in (header or [])]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ImportRejected(
            [RowError(1, c, _("column missing from the header row")) for c in missing]
        )
    index = {name: i for i, name in enumerate(names) if name}
    result = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise Invalid({"file": _("more than %(n)s rows") % {"n": MAX_ROWS}})
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        record = {name: (values[i] if i < len(values) else None) for name, i in index.items()}
        for name, value in record.items():
            if isinstance(value, str):
                problem = text_problem(value, max_length=TEXT_MAX)
                if problem:
                    raise ImportRejected([RowError(number, name, problem)])
        result.append((number, record))
    return result


def parse_rows(user: Any, plan: Plan, upload: Any) -> list[ParsedRow]:
    """Check every row; raise ``ImportRejected`` with all errors, or return the rows."""
    records = _read(upload)
    tasks = {t.matter.code: t for t in reportable_tasks(user, plan)}
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}
    if not records:
        raise ImportRejected([RowError(2, CODE, _("the file has no rows"))])
    for number, record in records:
        row, row_errors = _parse_row(user, number, record, tasks, seen)
        errors.extend(row_errors)
        if row is not None:
            parsed.append(row)
    if errors:
        raise ImportRejected(errors)
    return parsed


def _parse_row(
    user: Any, number: int, record: dict[str, Any], tasks: dict[str, Task], seen: dict[str, int]
) -> tuple[ParsedRow | None, list[RowError]]:
    """One row checked: the report it makes, or None and every error of the row."""
    row_errors: list[RowError] = []
    task = _row_task(number, nfc(str(record.get(CODE) or "")), tasks, seen, row_errors)
    progress = _row_progress(number, record, row_errors)
    reported_on, completed_on = _row_dates(number, record, row_errors)
    period = nfc(str(record.get(PERIOD) or "")) or None
    if task is not None and progress is not None and reported_on is not None:
        field_names = {"progress": PROGRESS, "reported_on": REPORTED_ON, "period": PERIOD}
        for field, message in services.validate_progress(
            task, progress, reported_on, period
        ).items():
            row_errors.append(RowError(number, field_names[field], message))
    if task is not None and completed_on is not None:
        _check_completion(user, number, task, reported_on, completed_on, row_errors)
    if row_errors or task is None or progress is None or reported_on is None:
        return None, row_errors
    note = nfc(str(record.get(NOTE) or ""))
    return ParsedRow(number, task, progress, reported_on, period, note, completed_on), row_errors


def _row_task(
    number: int, code: str, tasks: dict[str, Task], seen: dict[str, int], row_errors: list[RowError]
) -> Task | None:
    """The open task a row reports on (once per file), or None with the error why not."""
    task = tasks.get(code)
    if not code:
        row_errors.append(RowError(number, CODE, _("required")))
    elif task is None:
        row_errors.append(
            RowError(
                number,
                CODE,
                _("no task %(code)s in this plan that your unit reports on") % {"code": code},
            )
        )
    elif code in seen:
        row_errors.append(
            RowError(
                number,
                CODE,
                _("task %(code)s is already on row %(row)s") % {"code": code, "row": seen[code]},
            )
        )
    elif not task.matter.is_open:
        row_errors.append(RowError(number, CODE, _("%(code)s is finished") % {"code": code}))
    if code:
        seen.setdefault(code, number)
    return task


def _row_progress(number: int, record: dict[str, Any], row_errors: list[RowError]) -> int | None:
    """The progress in percent, a whole number from 0 to 100 (required)."""
    progress = None
    try:
        raw = record.get(PROGRESS)
        if raw is None or str(raw).strip() == "":
            row_errors.append(RowError(number, PROGRESS, _("required")))
        else:
            progress = _progress(raw)
            if not 0 <= progress <= 100:
                raise ValueError
    except ValueError:
        progress = None
        row_errors.append(RowError(number, PROGRESS, _("must be a whole number from 0 to 100")))
    return progress


def _row_dates(
    number: int, record: dict[str, Any], row_errors: list[RowError]
) -> tuple[date | None, date | None]:
    """The report date (required) and the completion date (optional)."""
    reported_on = completed_on = None
    for column, target in ((REPORTED_ON, "reported"), (COMPLETED_ON, "completed")):
        raw = record.get(column)
        if raw is None or str(raw).strip() == "":
            if column == REPORTED_ON:
                row_errors.append(RowError(number, column, _("required")))
            continue
        try:
            value = _date(raw)
        except ValueError:
            row_errors.append(RowError(number, column, _("must be a date dd/mm/yyyy")))
            continue
        if target == "reported":
            reported_on = value
        else:
            completed_on = value
    return reported_on, completed_on


def _check_completion(
    user: Any,
    number: int,
    task: Task,
    reported_on: date | None,
    completed_on: date,
    row_errors: list[RowError],
) -> None:
    """Only the lead unit finishes a task, and not before the report date."""
    if not user_can_act(user, task.matter):
        row_errors.append(RowError(number, COMPLETED_ON, _("only the lead unit finishes a task")))
    elif reported_on is not None and completed_on < reported_on:
        row_errors.append(RowError(number, COMPLETED_ON, _("must not be before the report date")))


def progress_import(*, actor: Any, plan: Plan, upload: Any) -> int:
    """Import every row or none. Returns the number of rows imported."""
    rows = parse_rows(actor, plan, upload)
    with transaction.atomic():
        for row in rows:
            services.task_report_progress(
                actor=actor,
                task=row.task,
                progress=row.progress,
                reported_on=row.reported_on,
                note=row.note,
                period=row.period,
            )
            if row.completed_on is not None:
                row.task.matter.refresh_from_db()
                services.task_complete(
                    actor=actor, task=row.task, completed_on=row.completed_on, note=row.note
                )
    return len(rows)
