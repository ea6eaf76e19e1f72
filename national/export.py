"""Writing the national records to a JSON-lines file, for provinces that upload by hand."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from jsonschema import Draft202012Validator

from national.models import Record
from national.records import load_schema


def validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def records_between(since: date, until: date | None = None) -> Iterator[dict[str, Any]]:
    """The payloads recorded from the start of ``since`` (local time) to the end of
    ``until``, in the order they were recorded (so versions of a petition are in order)."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    qs = Record.objects.filter(recorded_at__gte=start)
    if until is not None:
        end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
        qs = qs.filter(recorded_at__lt=end)
    yield from (
        qs.order_by("recorded_at", "id").values_list("payload", flat=True).iterator(chunk_size=2000)
    )


@dataclass
class ExportResult:
    written: int
    invalid: list[str]


def line(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_records(records: Iterator[dict[str, Any]], handle: IO[str]) -> ExportResult:
    """Write one record per line, each checked against the schema; the invalid ones are
    named (record id and the first error) and not written."""
    check = validator()
    written = 0
    invalid: list[str] = []
    for payload in records:
        error = next(iter(check.iter_errors(payload)), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(record)"
            invalid.append(f"{payload.get('record_id', '?')}: {where}: {error.message}")
            continue
        handle.write(line(payload) + "\n")
        written += 1
    return ExportResult(written, invalid)


def export_to_file(path: Path, since: date, until: date | None = None) -> ExportResult:
    """Write the file whole or not at all: a temporary file beside it, renamed at the end
    only if every record was valid."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            result = write_records(records_between(since, until), handle)
        if result.invalid:
            Path(tmp).unlink(missing_ok=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result
