import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent, encrypted copy of the database and the vault to one file, "
        "while the app keeps running."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="the backup file to write")
        parser.add_argument(
            "--without-vault",
            action="store_true",
            help="leave the vault out (when it is backed up on its own host)",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = backup_create(
                Path(str(options["output"])), include_vault=not options["without_vault"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        summary = {
            "output": str(result.path),
            "backup_id": result.manifest["backup_id"],
            "started_at": result.manifest["started_at"],
            "members": {
                name: {
                    "kind": info["kind"],
                    "tables": len(info["counts"]),
                    "rows": sum(info["counts"].values()),
                }
                for name, info in result.manifest["members"].items()
            },
        }
        self.stdout.write(json.dumps(summary))
