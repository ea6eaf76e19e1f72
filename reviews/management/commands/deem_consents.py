"""``dutdiem deem-consents [--as-of YYYY-MM-DD]``: the daily job that records deemed consent
on consultations not answered by their due day (Decree 96/2026 Art 6(6)(b)). Safe to rerun."""

from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from reviews.services import consultations_deem


class Command(BaseCommand):
    help = "Record deemed consent on consultations not answered by their due day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="the day to judge by (default: today)",
        )

    def handle(self, *args: object, **options: object) -> None:
        as_of = options["as_of"]
        count = consultations_deem(as_of if isinstance(as_of, date) else None)
        self.stdout.write(f"{count} consultation(s) recorded as deemed consent")
