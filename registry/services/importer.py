"""Importing a petition register kept in Excel (API.md, ``import-petitions``).

Two phases:

1. Read and check every row (no writes, progress is visible): each bad cell is named by
   row and column, all at once. A file typed in a legacy font (TCVN3/ABC, VNI) is refused
   as a whole, with what to do about it.
2. Save, in one transaction: nothing of a batch is visible until all of it is, and a
   process killed half way leaves nothing behind. Each row's fingerprint is unique per
   unit, so running the same file again (after an interruption, or after fixing the rows
   ``--valid-only`` left out) adds only what is not there yet.

The petitions are made as ``petitions.services.petition_receive`` makes them (same matter,
petition, petitioners, keyed ID hashes, sealed identities, processing clock, audit event),
but in bulk: one code block per province and year, one vault transaction for the sealed
identities, one chained append to the audit log. Row checks reuse the intake's own.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException
from python_calamine import CalamineWorkbook

from areas.models import BEFORE_REFORM, REFORM_DATE, Area, FormerArea
from areas.services import area_choice
from audit.services import Entry, audit_append
from calendars.selectors import get_calendar
from common.archive import check_xlsx_archive
from common.clock import today
from common.errors import Invalid
from common.text import nfc
from matters.models import Category, DeadlineRule, Matter, Sequence
from matters.services import CODE_PREFIX
from petitions.duplicates import content_key, id_key
from petitions.models import Kind, Petition, Petitioner, PetitionerKey, Status
from petitions.rules import key as rule_key
from petitions.rules import processing_ref
from petitions.services.intake import _clean_petitioners
from registry import register as reg
from registry.models import ImportBatch, ImportedPetition
from units.models import Unit
from vault.bulk import insert_rows

log = logging.getLogger(__name__)

PROGRESS_EVERY = 1000
FONT_ROWS = 200
FONT_CHECK_BYTES = 2_000_000
MAX_ROWS = 200_000
MAX_COLUMNS = 200


class RegisterRefused(Invalid):
    """The file as a whole cannot be imported (not a workbook, missing columns, a legacy
    font): ``errors`` says why, and nothing is stored."""


@dataclass
class RowIn:
    row: int
    received_on: date
    kind: str
    channel: str
    petitioner: dict[str, Any] | None
    area: Area
    category: Category
    summary: str
    content: str
    signers: int
    fingerprint: str = ""
    area_before: FormerArea | None = None


@dataclass
class ReadResult:
    rows: list[RowIn] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0

    def error_lines(self) -> list[str]:
        return [f"row {e['row']}, {e['column']}: {e['message']}" for e in self.errors]


# --- phase 1: reading ---------------------------------------------------------------------------


def _bytes(source: str | Path | BinaryIO) -> bytes:
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    return source.read()


def _refuse_unreadable(exc: Exception) -> RegisterRefused:
    log.info("register import: unreadable workbook (%s)", exc.__class__.__name__)
    return RegisterRefused(
        {"file": _("not an Excel workbook (.xlsx): save the register as .xlsx and try again")}
    )


def _open(data: bytes) -> Any:
    """The first sheet's values, read by calamine (Rust): dates as dates, text as text,
    numbers as numbers; many times faster than openpyxl on a big register. The archive's
    expanded sizes are checked first (a zip bomb is refused unopened), and the sheet's
    size before any row is read."""
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse_unreadable(ValueError("not a zip"))
    check_xlsx_archive(data, max_expanded=settings.UPLOAD_MAX_EXPANDED_BYTES)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        raise _refuse_unreadable(exc) from None
    if sheet.height > MAX_ROWS + 1:
        raise RegisterRefused(
            {"file": _("more than %(n)s rows: split the register") % {"n": MAX_ROWS}}
        )
    if sheet.width > MAX_COLUMNS:
        raise RegisterRefused(
            {"file": _("more than %(n)s columns: a register has far fewer") % {"n": MAX_COLUMNS}}
        )
    return sheet


def _first_fonts(data: bytes, header: dict[str, int]) -> dict[tuple[int, int], str]:
    """Font names of the text cells of the first rows ((row, column index) -> font), with
    openpyxl: a register is typed in one font, and its first rows tell which. Opening a big
    workbook with openpyxl costs minutes (it reads every shared string first), so beyond
    ``FONT_CHECK_BYTES`` the text alone tells (TCVN3 and VNI text is recognisable as such)."""
    fonts: dict[tuple[int, int], str] = {}
    if len(data) > FONT_CHECK_BYTES:
        return fonts
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        return fonts
    try:
        sheet = workbook.worksheets[0]
        wanted = set(header.values())
        for number, cells in enumerate(sheet.iter_rows(min_row=2, max_row=FONT_ROWS), start=2):
            for index, cell in enumerate(cells):
                value = getattr(cell, "value", None)
                if index in wanted and isinstance(value, str) and not value.isascii():
                    name = getattr(getattr(cell, "font", None), "name", None)
                    if name:
                        fonts[(number, index)] = name
    finally:
        workbook.close()
    return fonts


def _header(cells: list[Any]) -> dict[str, int]:
    wanted = {reg.key(col): col for col in reg.COLUMNS}
    found: dict[str, int] = {}
    for index, value in enumerate(cells):
        name = wanted.get(reg.key(value or ""))
        if name is not None and name not in found:
            found[name] = index
    missing = [col for col in reg.COLUMNS if col not in found]
    if missing:
        raise RegisterRefused(
            {
                "header": _(
                    "the first row must name the columns; missing: %(columns)s "
                    "(download the template to see them)"
                )
                % {"columns": ", ".join(missing)}
            }
        )
    return found


class _Refs:
    """Reference data loaded once: areas, categories, the processing rules, today."""

    def __init__(self) -> None:
        self.areas = {a.code: a for a in Area.objects.all()}
        self._former: dict[str, FormerArea] | None = None
        self._area_choices: dict[tuple[str, bool], tuple[str, str | None] | str] = {}
        self.categories: dict[str, Category] = {}
        for cat in Category.objects.filter(is_active=True):
            self.categories[reg.key(cat.code)] = cat
            self.categories[reg.key(cat.label)] = cat
        self.today = today()
        self._rules: dict[tuple[str, str], list[DeadlineRule]] = {}
        self._picked: dict[tuple[str, str, date], DeadlineRule | None] = {}

    def area(self, given: str, on: date) -> tuple[Area, FormerArea | None] | str:
        """The area (and the old one) of a code or an address given for a row dated
        ``on`` (``areas.services.area_choice``), or the message saying why not; cached per
        distinct value, so a register of one province resolves each commune once."""
        cache_key = (given, on < REFORM_DATE)
        if cache_key not in self._area_choices:
            try:
                self._area_choices[cache_key] = area_choice(given, on=on)
            except Invalid as exc:
                self._area_choices[cache_key] = next(iter(exc.errors.values()))
        found = self._area_choices[cache_key]
        if isinstance(found, str):
            return found
        code, former = found
        if former is None:
            return self.areas[code], None
        if self._former is None:
            self._former = {f.code: f for f in FormerArea.objects.filter(valid_to=BEFORE_REFORM)}
        return self.areas[code], self._former[former]

    def rule(self, kind: str, channel: str, on: date) -> DeadlineRule | None:
        """The processing rule ``petitions.rules.processing_rule`` would pick, from rows
        loaded once per (kind, channel) instead of one query per date."""
        picked_key = (kind, channel, on)
        if picked_key in self._picked:
            return self._picked[picked_key]
        ref, variant = processing_ref(kind=kind, channel=channel, instance=1, disciplinary=False)
        rows_key = (ref, variant)
        if rows_key not in self._rules:
            self._rules[rows_key] = list(
                DeadlineRule.objects.filter(key=rule_key(ref), variant=variant).order_by(
                    "-effective_from"
                )
            )
        found = next(
            (
                r
                for r in self._rules[rows_key]
                if r.effective_from <= on and (r.effective_to is None or r.effective_to > on)
            ),
            None,
        )
        self._picked[picked_key] = found
        return found


def _check_row(
    number: int, values: dict[str, Any], refs: _Refs
) -> tuple[RowIn | None, dict[str, str]]:
    errors: dict[str, str] = {}
    received = _row_received(values, refs, errors)
    kind = reg.match_choice(reg.text_of(values.get(reg.KIND)), reg.KINDS, reg.KIND_ALIASES)
    if kind is None:
        errors[reg.KIND] = _("must be one of %(values)s") % {
            "values": ", ".join(reg.KINDS.values())
        }
    channel = reg.match_choice(
        reg.text_of(values.get(reg.CHANNEL)), reg.CHANNELS, reg.CHANNEL_ALIASES
    )
    if channel is None:
        errors[reg.CHANNEL] = _("must be one of %(values)s") % {
            "values": ", ".join(reg.CHANNELS.values())
        }
    area, area_before = _row_area(values, received, refs, errors)
    category_text = reg.text_of(values.get(reg.CATEGORY))
    category = refs.categories.get(reg.key(category_text))
    if category is None:
        errors[reg.CATEGORY] = (
            _("no category %(name)s") % {"name": category_text} if category_text else _("required")
        )
    summary = reg.text_of(values.get(reg.SUMMARY))
    if not summary:
        errors[reg.SUMMARY] = _("required")
    elif len(summary) > 300:
        errors[reg.SUMMARY] = _("at most %(n)s characters") % {"n": 300}
    content = reg.text_of(values.get(reg.CONTENT))
    if len(content) > 20000:
        errors[reg.CONTENT] = _("at most %(n)s characters") % {"n": "20.000"}
    signers = _row_signers(values, errors)
    petitioner = _row_petitioner(values, kind, errors)
    if (
        received
        and kind
        and channel
        and reg.DATE not in errors
        and refs.rule(kind, channel, received) is None
    ):
        errors[reg.DATE] = _("no processing deadline rule in force on %(day)s") % {
            "day": f"{received:%d/%m/%Y}"
        }
    if errors:
        return None, errors
    assert received and kind and channel and area and category
    row = RowIn(
        number, received, kind, channel, petitioner, area, category, summary, content, signers
    )
    row.area_before = area_before
    return row, {}


def _row_received(values: dict[str, Any], refs: _Refs, errors: dict[str, str]) -> date | None:
    """The day received: dd/mm/yyyy text or a date cell (or its serial number), not ahead."""
    raw_date = values.get(reg.DATE)
    received = reg.date_of(raw_date)
    if received is None and isinstance(raw_date, int | float) and 20000 < raw_date < 80000:
        received = from_excel(raw_date).date()
    if received is None:
        errors[reg.DATE] = (
            _("required, as dd/mm/yyyy or a date cell")
            if raw_date in (None, "")
            else _("“%(value)s” is not a date dd/mm/yyyy") % {"value": reg.text_of(raw_date)}
        )
    elif received > refs.today:
        errors[reg.DATE] = _("%(day)s is in the future") % {"day": f"{received:%d/%m/%Y}"}
    return received


def _row_signers(values: dict[str, Any], errors: dict[str, str]) -> int:
    """The number of signers: a whole number, 1 or more (1 when empty)."""
    signers_raw = values.get(reg.SIGNERS)
    signers = 1
    if signers_raw not in (None, ""):
        try:
            signers = int(float(reg.text_of(signers_raw)))
            if signers < 1 or float(reg.text_of(signers_raw)) != signers:
                raise ValueError
        except ValueError:
            errors[reg.SIGNERS] = _("must be a whole number, 1 or more")
            signers = 1
    return signers


def _row_petitioner(
    values: dict[str, Any], kind: str | None, errors: dict[str, str]
) -> dict[str, Any] | None:
    """The row's petitioner, cleaned as at intake (errors named by the register's columns);
    None when the row names nobody (an error for a complaint)."""
    person = {
        "full_name": reg.text_of(values.get(reg.NAME)),
        "id_number": reg.digits_of(values.get(reg.ID_NUMBER), lengths=(9, 12)),
        "address": reg.text_of(values.get(reg.ADDRESS)),
        "phone": reg.digits_of(values.get(reg.PHONE), lengths=(10, 11)),
    }
    petitioner: dict[str, Any] | None = None
    if any(person.values()):
        found: dict[str, str] = {}
        cleaned = _clean_petitioners([person], found)[0]
        columns = {
            "full_name": reg.NAME,
            "id_number": reg.ID_NUMBER,
            "phone": reg.PHONE,
            "address": reg.ADDRESS,
        }
        for where, message in found.items():
            errors[columns.get(where.rsplit(".", 1)[-1], reg.NAME)] = message
        petitioner = {
            "full_name": cleaned.full_name,
            "id_number": cleaned.id_number,
            "address": cleaned.address,
            "phone": cleaned.phone,
            "representative": False,
        }
    elif kind == Kind.COMPLAINT:
        errors[reg.NAME] = _("a complaint names its complainant (LKN Art. 8)")
    return petitioner


def _row_area(
    values: dict[str, Any], received: date | None, refs: _Refs, errors: dict[str, str]
) -> tuple[Area | None, FormerArea | None]:
    """The row's area from ``Mã địa bàn`` (a code or an address, old or new), or, when that
    cell is empty, from the address column; a code of before 1 July 2025 gives the area in
    force and keeps the old one. The message of a failure names the column it came from."""
    area_code = reg.area_code_of(values.get(reg.AREA))
    column, given = reg.AREA, area_code
    if not given:
        column, given = reg.ADDRESS, reg.text_of(values.get(reg.ADDRESS))
    if not given:
        errors[reg.AREA] = _("required")
        return None, None
    if area_code in refs.areas and (received is None or received >= REFORM_DATE):
        return refs.areas[area_code], None
    found = refs.area(given, received or refs.today)
    if isinstance(found, str):
        errors[column] = found
        return None, None
    return found


def _fingerprint(unit: Unit, row: RowIn) -> str:
    """The row's identity for reruns: the same cells (as read, in NFC) into the same unit."""
    person = row.petitioner or {}
    body = "\x1f".join(
        str(part)
        for part in (
            unit.code,
            row.received_on.isoformat(),
            row.kind,
            row.channel,
            person.get("full_name", ""),
            person.get("id_number", ""),
            person.get("address", ""),
            person.get("phone", ""),
            row.area.code,
            row.category.code,
            row.summary,
            row.content,
            row.signers,
        )
    )
    if row.area_before is not None:
        body += "\x1f" + row.area_before.code
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _rows(
    rows: Iterator[list[Any]], header: dict[str, int], fonts: dict[tuple[int, int], str]
) -> Iterator[tuple[int, dict[str, Any], list[tuple[str, str, str | None]]]]:
    """(row number, values by column, text cells to check for a legacy font)."""
    for number, cells in enumerate(rows, start=2):
        values: dict[str, Any] = {}
        texts: list[tuple[str, str, str | None]] = []
        for column, index in header.items():
            value = cells[index] if index < len(cells) else None
            values[column] = value
            if isinstance(value, str) and not value.isascii():
                texts.append((column, value, fonts.get((number, index))))
        if all(v in (None, "") for v in values.values()):
            continue
        yield number, values, texts


def read_register(
    source: str | Path | BinaryIO, unit: Unit, *, progress: Callable[[int, int], None] | None = None
) -> ReadResult:
    """Read and check every row of the first sheet. Raises RegisterRefused for a file that
    cannot be imported at all; bad rows are listed in the result."""
    data = _bytes(source)
    sheet = _open(data)
    rows = iter(sheet.iter_rows())
    total = max(sheet.height - 1, 0)
    header = _header(next(rows, []))
    fonts = _first_fonts(data, header)
    refs = _Refs()
    result = ReadResult(total=total)
    legacy: list[str] = []
    seen: dict[str, int] = {}
    for count, (number, values, texts) in enumerate(_rows(rows, header, fonts), start=1):
        for column, text, font in texts:
            found = reg.legacy_font(text, font)
            if found and len(legacy) < 5:
                legacy.append(
                    _("row %(row)s, %(column)s (%(font)s)")
                    % {"row": number, "column": column, "font": found}
                )
        row, errors = _check_row(number, values, refs)
        if row is not None:
            row.fingerprint = _fingerprint(unit, row)
            if row.fingerprint in seen:
                errors = {
                    reg.SUMMARY: _("the same petition as row %(row)s")
                    % {"row": seen[row.fingerprint]}
                }
                row = None
            else:
                seen[row.fingerprint] = number
        if row is not None:
            result.rows.append(row)
        for column, message in errors.items():
            result.errors.append({"row": number, "column": column, "message": message})
        if progress and count % PROGRESS_EVERY == 0:
            progress(count, total)
    if legacy:
        raise RegisterRefused(
            {
                "file": _(
                    "the register is typed in a legacy Vietnamese font (TCVN3/ABC or VNI), "
                    "not Unicode: convert it to Unicode (for example with Unikey's "
                    "converter, Ctrl+Shift+F6) and import it again. Seen at %(cells)s"
                )
                % {"cells": "; ".join(legacy)}
            }
        )
    result.total = len(result.rows) + len({e["row"] for e in result.errors})
    return result


# --- phase 2: saving ----------------------------------------------------------------------------


def _allocate_codes(rows: list[RowIn]) -> list[str]:
    """Codes for new petitions without gaps: one block per (province, year), taken under
    the sequence row's lock like ``matters.services.sequence_next``."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        province = (
            row.area.code if row.area.kind == Area.Kind.PROVINCE else (row.area.parent_id or "00")
        )
        groups[(province, row.received_on.year)].append(i)
    codes = [""] * len(rows)
    prefix = CODE_PREFIX[Matter.Kind.PETITION]
    for (province, year), indexes in sorted(groups.items()):
        scope = f"matter:{Matter.Kind.PETITION}:{province}"
        Sequence.objects.get_or_create(scope=scope, year=year)
        Sequence.objects.filter(scope=scope, year=year).update(last=F("last") + len(indexes))
        last = Sequence.objects.select_for_update().get(scope=scope, year=year).last
        first = last - len(indexes) + 1
        for offset, i in enumerate(indexes):
            codes[i] = f"{prefix}{year}-{province}-{first + offset:06d}"
    return codes


def _audit_many(actor_name: str, unit: Unit, entries: list[tuple[str, dict[str, Any]]]) -> None:
    """Append one ``petition.receive`` event per new petition to the chain, in one go."""
    audit_append(
        actor=actor_name,
        entries=[
            # JSON-safe already: text, numbers, ISO dates
            Entry(action="petition.receive", matter=code, unit=unit.code, data=data)
            for code, data in entries
        ],
        insert=insert_rows,
    )


@dataclass(frozen=True)
class SaveResult:
    imported: int
    already: int
    codes: list[str]


def save_rows(*, actor: Any, unit: Unit, batch: ImportBatch, rows: list[RowIn]) -> SaveResult:
    """Create the petitions of ``rows`` (already checked) owned by ``unit``, in the caller's
    transaction. Rows imported before into the same unit (same fingerprint) are skipped."""
    already = _imported_before(unit, rows)
    rows = [r for r in rows if r.fingerprint not in already]
    if not rows:
        return SaveResult(0, len(already), [])
    refs = _Refs()
    calendar = get_calendar()
    codes = _allocate_codes(rows)
    refs_by_code = _seal_denouncers(codes, rows)
    handler = actor if getattr(actor, "pk", None) else None
    handler_id = handler.pk if handler is not None else None
    matter_rows, rules = _matter_rows(codes, rows, unit, handler_id, refs, calendar)
    insert_rows(Matter, matter_rows)
    ids = _matter_ids(codes)
    _insert_petitions(matter_rows, rows, rules, ids, refs_by_code, unit=unit, batch=batch)
    actor_name = getattr(actor, "username", "") or "import"
    _audit_many(actor_name, unit, _receive_entries(matter_rows, rows, rules, batch))
    return SaveResult(len(matter_rows), len(already), codes)


def _imported_before(unit: Unit, rows: list[RowIn]) -> set[str]:
    """The fingerprints of ``rows`` already imported into ``unit``."""
    already: set[str] = set()
    prints = [r.fingerprint for r in rows]
    for start in range(0, len(prints), 900):
        already |= set(
            ImportedPetition.objects.filter(
                unit=unit, fingerprint__in=prints[start : start + 900]
            ).values_list("fingerprint", flat=True)
        )
    return already


def _seal_denouncers(codes: list[str], rows: list[RowIn]) -> dict[str, str]:
    """Seal the denouncers' identities in the vault, in one go: vault reference by code."""
    sealed_items = [
        (code, [row.petitioner])
        for code, row in zip(codes, rows, strict=True)
        if row.kind == Kind.DENUNCIATION and row.petitioner
    ]
    if not sealed_items:
        return {}
    from vault.services import identity_seal_many

    return identity_seal_many(sealed_items)


def _matter_rows(
    codes: list[str],
    rows: list[RowIn],
    unit: Unit,
    handler_id: int | None,
    refs: _Refs,
    calendar: Any,
) -> tuple[list[dict[str, Any]], list[DeadlineRule]]:
    """The ``Matter`` rows to insert, and each one's processing rule."""
    due_cache: dict[tuple[int, date], date] = {}
    now = timezone.now()
    matter_rows: list[dict[str, Any]] = []
    rules: list[DeadlineRule] = []
    for code, row in zip(codes, rows, strict=True):
        rule = refs.rule(row.kind, row.channel, row.received_on)
        assert rule is not None
        due_key = (rule.pk, row.received_on)
        if due_key not in due_cache:
            due_cache[due_key] = calendar.deadline(row.received_on, rule.length, rule.unit).due_on
        title = nfc(row.summary)
        matter_rows.append(
            {
                "code": code,
                "kind": Matter.Kind.PETITION,
                "title": title,
                "search_text": reg.fold_exact(title)[:300],
                "area_id": row.area.code,
                "area_before_id": row.area_before.pk if row.area_before else None,
                "province": code.split("-")[1],
                "category_id": row.category.code,
                "owner_id": unit.pk,
                "handler_id": handler_id,
                "status": Status.RECEIVED,
                "opened_on": row.received_on,
                "rule_id": rule.pk,
                "clock_start": row.received_on,
                "due_on": due_cache[due_key],
                "created_at": now,
                "updated_at": now,
            }
        )
        rules.append(rule)
    return matter_rows, rules


def _matter_ids(codes: list[str]) -> dict[str, int]:
    """The ids of the matters just inserted, by code."""
    ids: dict[str, int] = {}
    for start in range(0, len(codes), 900):
        ids.update(
            Matter.objects.filter(code__in=codes[start : start + 900]).values_list("code", "id")
        )
    return ids


def _insert_petitions(
    matter_rows: list[dict[str, Any]],
    rows: list[RowIn],
    rules: list[DeadlineRule],
    ids: dict[str, int],
    refs_by_code: dict[str, str],
    *,
    unit: Unit,
    batch: ImportBatch,
) -> None:
    """Insert each matter's petition, its petitioner (not a sealed one) and the ID's key,
    and the import row that remembers the fingerprint."""
    petition_rows = []
    people = []
    keys = []
    imported = []
    for matter, row, rule in zip(matter_rows, rows, rules, strict=True):
        matter_id = ids[matter["code"]]
        sealed = row.kind == Kind.DENUNCIATION
        petition_rows.append(
            _petition_row(matter, row, rule, matter_id, refs_by_code.get(matter["code"], ""))
        )
        if row.petitioner and not sealed:
            people.append(_petitioner_row(row.petitioner, matter_id))
            if row.petitioner["id_number"]:
                keys.append({"petition_id": matter_id, "key": id_key(row.petitioner["id_number"])})
        imported.append(
            {
                "matter_id": matter_id,
                "batch_id": batch.pk,
                "unit_id": unit.pk,
                "row": row.row,
                "fingerprint": row.fingerprint,
            }
        )
    insert_rows(Petition, petition_rows)
    insert_rows(Petitioner, people)
    insert_rows(PetitionerKey, keys)
    insert_rows(ImportedPetition, imported)


def _petition_row(
    matter: dict[str, Any], row: RowIn, rule: DeadlineRule, matter_id: int, vault_ref: str
) -> dict[str, Any]:
    return {
        "matter_id": matter_id,
        "kind": row.kind,
        "channel": row.channel,
        "received_on": row.received_on,
        "summary": matter["title"],
        "content": row.content,
        "content_key": content_key(row.content),
        "signers": row.signers,
        "instance": 1,
        "processing_rule_id": rule.pk,
        "processing_due_on": matter["due_on"],
        "sealed": row.kind == Kind.DENUNCIATION,
        "vault_ref": vault_ref,
        "receipt_pin_hash": "",
    }


def _petitioner_row(person: dict[str, Any], matter_id: int) -> dict[str, Any]:
    return {
        "petition_id": matter_id,
        "position": 1,
        "full_name": person["full_name"],
        "id_number": person["id_number"],
        "address": person["address"],
        "phone": person["phone"],
        "is_representative": False,
    }


def _receive_entries(
    matter_rows: list[dict[str, Any]],
    rows: list[RowIn],
    rules: list[DeadlineRule],
    batch: ImportBatch,
) -> list[tuple[str, dict[str, Any]]]:
    """The ``petition.receive`` audit data of each new petition, by code."""
    return [
        (
            m["code"],
            {
                "kind": r.kind,
                "channel": r.channel,
                "received_on": r.received_on.isoformat(),
                "signers": r.signers,
                "rule": rule.ref,
                "due_on": m["due_on"].isoformat(),
                "first_instance": None,
                "sealed": r.kind == Kind.DENUNCIATION,
                "import": batch.pk,
                "row": r.row,
            },
        )
        for m, r, rule in zip(matter_rows, rows, rules, strict=True)
    ]


def _notify(unit: Unit, actor: Any, batch: ImportBatch, imported: int) -> None:
    from django.urls import reverse

    from notifications.services import notify, recipients_of_unit

    text = _("%(n)s petitions were imported from the register %(file)s.") % {
        "n": imported,
        "file": batch.file_name or "",
    }
    people = [
        u
        for u in recipients_of_unit(unit, head=True, handlers=True)
        if u.pk != getattr(actor, "pk", None)
    ]
    notify(
        people,
        kind="petition.imported",
        text=text,
        url=reverse("registry:import_status", args=[batch.pk]),
    )


def _index_later(batch_id: int) -> None:
    from national.tasks import record_imported
    from registry.services.duplicates import index_batch

    index_batch.enqueue(batch_id)
    record_imported.enqueue(batch_id)


def run_import(
    *,
    actor: Any,
    unit: Unit,
    source: str | Path | BinaryIO,
    batch: ImportBatch,
) -> ImportBatch:
    """Read, check and (if allowed) save a register into ``unit`` for ``batch``. Refused
    files and bad rows end with the batch ``refused`` and its ``errors``; nothing is saved
    unless every row is good or the batch is ``valid_only``."""

    def progress(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(checked=done, rows=max(total, done))

    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.READING)
    try:
        result = read_register(source, unit, progress=progress)
    except RegisterRefused as exc:
        _finish(
            batch,
            status=ImportBatch.Status.REFUSED,
            message=exc.message,
            errors=[{"row": 0, "column": k, "message": v} for k, v in exc.errors.items()],
        )
        return batch
    batch.rows = result.total
    batch.checked = result.total
    batch.errors = result.errors[:5000]
    batch.skipped = len({e["row"] for e in result.errors})
    if result.errors and not batch.valid_only:
        _finish(
            batch,
            status=ImportBatch.Status.REFUSED,
            message=_("%(bad)s of %(total)s rows have errors; nothing was imported")
            % {"bad": batch.skipped, "total": result.total},
        )
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.SAVING, rows=batch.rows, checked=batch.checked
    )
    with transaction.atomic():
        saved = save_rows(actor=actor, unit=unit, batch=batch, rows=result.rows)
        if saved.imported:
            _notify(unit, actor, batch, saved.imported)
            transaction.on_commit(lambda: _index_later(batch.pk))
    batch.imported = saved.imported
    # "imported N" stays as API.md writes it, for scripts that read the command's output.
    message = f"imported {saved.imported}"
    if saved.already:
        message += "; " + _("%(n)s rows were imported before and were left as they are") % {
            "n": saved.already
        }
    if result.errors:
        message += "; " + _("%(n)s rows with errors were left out") % {"n": batch.skipped}
    _finish(batch, status=ImportBatch.Status.DONE, message=message)
    return batch


def _finish(
    batch: ImportBatch, *, status: str, message: str, errors: list[dict[str, Any]] | None = None
) -> None:
    batch.status = status
    batch.message = message
    if errors is not None:
        batch.errors = errors
    batch.finished_at = timezone.now()
    batch.save(
        update_fields=[
            "status",
            "message",
            "errors",
            "rows",
            "checked",
            "imported",
            "skipped",
            "finished_at",
        ]
    )


def batch_new(
    *, actor: Any, unit: Unit, file_name: str, file_hash: str, valid_only: bool
) -> ImportBatch:
    return ImportBatch.objects.create(
        unit=unit,
        user=actor if getattr(actor, "pk", None) else None,
        file_name=file_name[:200],
        file_hash=file_hash,
        valid_only=valid_only,
    )
