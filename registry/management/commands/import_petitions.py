"""``dutdiem import-petitions <file.xlsx> --unit <code> [--valid-only] [--user <username>]``.

Exit 0 and "imported N" when the register is in; exit 1 when rows are bad (every bad row
and column is listed, nothing is imported) or the file is refused (not a workbook, missing
columns, a legacy font); exit 2 when the unit, the user or the file cannot be found.
With ``--valid-only`` the good rows are imported and the bad ones listed (exit 0).
Running the same file again imports only the rows not imported before.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.models import User
from registry.models import ImportBatch
from registry.services.importer import batch_new, run_import
from units.models import Unit


class Command(BaseCommand):
    help = "Import a petition register (.xlsx) into a unit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the register, .xlsx, header in the first row")
        parser.add_argument(
            "--unit", required=True, help="code of the unit that owns the petitions"
        )
        parser.add_argument(
            "--valid-only", action="store_true", help="import the good rows, list the bad ones"
        )
        parser.add_argument("--user", default="", help="the official filing them (their handler)")

    def fail(self, code: int, message: str) -> None:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            self.fail(2, f"no such file: {path}")
        unit = Unit.objects.filter(code=options["unit"], is_active=True).first()
        if unit is None:
            self.fail(2, f"no unit with code {options['unit']}")
        actor: Any = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                self.fail(2, f"no active official {options['user']}")
        assert unit is not None
        batch = batch_new(
            actor=actor,
            unit=unit,
            file_name=path.name,
            file_hash=hashlib.sha256(path.read_bytes()).hexdigest(),
            valid_only=options["valid_only"],
        )
        with path.open("rb") as handle:
            run_import(actor=actor, unit=unit, source=handle, batch=batch)
        for error in batch.errors:
            where = f"row {error['row']}, " if error["row"] else ""
            self.stderr.write(f"{where}{error['column']}: {error['message']}")
        if batch.status != ImportBatch.Status.DONE:
            self.fail(1, batch.message)
        self.stdout.write(batch.message)
