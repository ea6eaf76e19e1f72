from django.core.management.base import BaseCommand, CommandParser

from accounts.models import User
from demo.services import DEMO_PASSWORD, OFFICIALS, demo_load


class Command(BaseCommand):
    help = "Load the demo province of Hưng Yên (units, officials and sample matters)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if any official exists"
        )

    def handle(self, *args: object, **options: object) -> None:
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Database already has data; demo not loaded.")
                self._print_logins()
                return
            self.stderr.write("The database is not empty; the demo loads only into an empty one.")
            raise SystemExit(1)
        ctx = demo_load()
        for line in ctx.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Demo province Hưng Yên loaded."))
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write("  admin                 administrator")
        for username, full_name, unit, roles in OFFICIALS:
            self.stdout.write(f"  {username:<22}{', '.join(roles):<16}{unit}  {full_name}")
        self.stdout.write("  xa1.chutich, xa1.vanthu ... xa3.*  heads and clerks of three communes")
