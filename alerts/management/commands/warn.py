import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alerts.services import warn
from common.clock import today


class Command(BaseCommand):
    help = (
        "Count matters per commune and category per week, run the detection methods, raise alerts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", help="YYYY-MM-DD (default: today); the last complete week by then is checked"
        )

    def handle(self, *args: object, **options: object) -> None:
        raw = options.get("as_of")
        try:
            as_of = date.fromisoformat(str(raw)) if raw else today()
        except ValueError:
            raise CommandError(f"--as-of must be a date YYYY-MM-DD, got {raw!r}")

        def progress(pct: int, message: str) -> None:
            sys.stderr.write(f"\r[{'#' * (pct // 5):<20}] {pct:3d}% {message[:60]:<60}")
            sys.stderr.flush()

        run = warn(as_of, progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(
            f"week of {run.week:%d/%m/%Y}: {run.series} series, {run.signals} signals, "
            f"{run.alerts_opened} new alerts"
        )
