"""``dutdiem statement-duties [--as-of YYYY-MM-DD]``: the daily job that puts the periodic press
duties of each provincial People's Committee on its list (monthly information, the next press
conference; Decree 244/2026 Art 6(2)). Safe to rerun."""

from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from statements.services import periodic_duties_ensure


class Command(BaseCommand):
    help = "Create the periodic press duties that are due (monthly information, press conference)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="the day to judge by (default: today)",
        )

    def handle(self, *args: object, **options: object) -> None:
        as_of = options["as_of"]
        count = periodic_duties_ensure(as_of if isinstance(as_of, date) else None)
        self.stdout.write(f"{count} periodic duty(ies) created")
