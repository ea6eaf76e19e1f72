import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` checks the hash chain and names the first bad entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: object, **options: object) -> None:
        result = audit_verify()
        self.stdout.write(
            json.dumps({"ok": result.ok, "events": result.events, "first_bad": result.first_bad})
        )
        if not result.ok:
            raise CommandError(f"audit chain broken at entry {result.first_bad}")
