"""The shape of a daily job's management command: ``--as-of YYYY-MM-DD`` judges as of that
day (default: today), and the command says how many things the job did."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandParser


class DailyJobCommand(BaseCommand):
    """Subclasses name ``run(as_of) -> count`` and ``done``, the report with ``{count}``."""

    done = "{count} done"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="the day to judge by (default: today)",
        )

    def handle(self, *args: object, **options: object) -> None:
        as_of = options["as_of"]
        count = self.run(as_of if isinstance(as_of, date) else None)
        self.stdout.write(self.done.format(count=count))

    def run(self, as_of: date | None) -> int:
        raise NotImplementedError
