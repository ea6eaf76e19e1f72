import time

from django.core.management.base import BaseCommand, CommandParser

from web.scheduler import tick


class Command(BaseCommand):
    help = "Start periodic jobs (settings.PERIODIC_JOBS) once per period; runs until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one tick, then exit")
        parser.add_argument("--interval", type=int, default=30)

    def handle(self, *args: object, **options: object) -> None:
        while True:
            for path in tick():
                self.stdout.write(f"started {path}")
            if options["once"]:
                return
            time.sleep(int(options["interval"]))  # type: ignore[call-overload]
