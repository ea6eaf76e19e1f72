"""``dutdiem export-national --since <date> [--until <date>] --output <file>``.

Writes the records sent (or to be sent) to the national complaints database since the
start of ``--since`` to ``<file>`` as JSON lines: the same records, byte for byte in their
content, that the outbox delivers, in the schema of national/record.schema.json. Every
record is checked against the schema first; if one is invalid nothing is written and the
command exits 1 naming it. ``--output -`` writes to standard output.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from national.export import export_to_file, records_between, write_records


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Write the national complaints database records since a date to a JSON-lines file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", required=True, help="first day, YYYY-MM-DD (included)")
        parser.add_argument("--until", default="", help="last day, YYYY-MM-DD (included)")
        parser.add_argument("--output", required=True, help="the file to write, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        since = _date(options["since"])
        until = _date(options["until"]) if options["until"] else None
        if until is not None and until < since:
            raise CommandError("--until must not be before --since")
        if options["output"] == "-":
            result = write_records(records_between(since, until), sys.stdout)
        else:
            result = export_to_file(Path(options["output"]), since, until)
        if result.invalid:
            for problem in result.invalid:
                self.stderr.write(problem)
            raise CommandError(f"{len(result.invalid)} records do not fit the schema; no file")
        if options["output"] != "-":
            self.stdout.write(f"exported {result.written} records to {options['output']}")
