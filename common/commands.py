"""The shape of a daily job's management command: act as of a day (``--as-of``), now or
handed to the job worker (``--enqueue``)."""

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
