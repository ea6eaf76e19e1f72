"""``dutdiem sign-check <file.pdf>``: verify a signed PDF against the configured trust roots
and print one JSON object ``{"valid","signer","signed_at","covers_whole","reason"}``; exit
status 0 only when valid (API.md, "Connections to the state's systems")."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from signing.verify import Verdict, check_pdf


class Command(BaseCommand):
    help = "Verify a signed PDF against the configured trust roots; print the verdict as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the PDF file to check")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = _("The file cannot be read: %(error)s") % {"error": exc.strerror or exc}
            verdict = Verdict(False, None, None, False, reason, "unreadable")
        else:
            verdict = check_pdf(data)
        self.stdout.write(json.dumps(verdict.as_json(), ensure_ascii=False))
        if not verdict.valid:
            sys.exit(1)
