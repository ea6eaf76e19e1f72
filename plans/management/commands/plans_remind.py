from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.clock import today
from plans.reminders import plans_remind
from plans.tasks import plans_daily


class Command(BaseCommand):
    help = (
        "Remind lead units of tasks coming due and target units of briefings not held; "
        "escalate overdue tasks to the heads. Run daily."
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
            result = plans_daily.enqueue(day.isoformat())
            self.stdout.write(f"enqueued plans_daily({day.isoformat()}): {result.id}")
            return
        counts = plans_remind(day)
        self.stdout.write(
            f"{day.isoformat()}: {counts.due_soon} due-soon reminders, {counts.overdue} overdue "
            f"escalations, {counts.briefings_due} briefing reminders, "
            f"{counts.briefings_missing} missing-briefing notices"
        )
