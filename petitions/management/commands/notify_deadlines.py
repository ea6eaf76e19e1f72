from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.clock import today
from petitions.services import notify_deadlines
from petitions.tasks import petitions_daily


class Command(BaseCommand):
    help = (
        "Notify handlers and heads of petitions due soon or overdue. Run daily; running it "
        "again the same day sends nothing new."
    )

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
            result = petitions_daily.enqueue(day.isoformat())
            self.stdout.write(f"enqueued petitions_daily({day.isoformat()}): {result.id}")
            return
        counts = notify_deadlines(day)
        self.stdout.write(
            f"{day.isoformat()}: {counts['due_soon']} due-soon and {counts['overdue']} overdue "
            "notifications sent"
        )
