"""The shapes of the daily jobs' management commands: act as of a day (``--as-of``), now or
handed to the job worker (``--enqueue``); or judge as of a day and count what was done."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.clock import today


class DailyJobCommand(BaseCommand):
    """Subclasses name the worker's ``job`` (a ``@task()`` taking the day as ISO text) and
    say in ``run(day)`` what running it here does, as the line to print."""

    job: Any

    def run(self, day: date) -> str:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="the day to act as (YYYY-MM-DD); default today")
        parser.add_argument("--enqueue", action="store_true", help="hand the job to the worker")

    def handle(self, *args: object, **options: object) -> None:
        as_of = options["as_of"]
        try:
            day = date.fromisoformat(str(as_of)) if as_of else today()
        except ValueError:
            raise CommandError(f"--as-of must be a date YYYY-MM-DD, not {as_of!r}")
        if options["enqueue"]:
            result = self.job.enqueue(day.isoformat())
            self.stdout.write(f"enqueued {self.job.name}({day.isoformat()}): {result.id}")
            return
        self.stdout.write(self.run(day))


class CountingCommand(BaseCommand):
    """A command that judges as of a day (``--as-of YYYY-MM-DD``, default today) and says
    how many things it did. Subclasses name ``run(as_of) -> count`` and ``done``, the report with ``{count}``."""

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
