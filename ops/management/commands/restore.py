import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.backup import BackupError, restore_into_live, restore_verify


class Command(BaseCommand):
    help = (
        "Restore a backup written by `dutdiem backup`. With --verify, restore it into scratch "
        "databases instead, compare every table's row count and verify the audit chain; the "
        "live databases are not touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="the backup file to read")
        parser.add_argument(
            "--verify", action="store_true", help="check the backup in scratch databases only"
        )
        parser.add_argument(
            "--replace", action="store_true", help="overwrite databases that already hold tables"
        )
        parser.add_argument(
            "--keep-scratch",
            action="store_true",
            help="with --verify: keep the scratch PostgreSQL databases",
        )
        parser.add_argument(
            "--without-vault", action="store_true", help="restore the main database only"
        )

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["input"]))
        try:
            if options["verify"]:
                report = restore_verify(path, keep=bool(options["keep_scratch"]))
            else:
                members = ("default",) if options["without_vault"] else ("default", "vault")
                report = restore_into_live(path, replace=bool(options["replace"]), members=members)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(report.as_dict()))
        if not report.ok:
            problems = [
                f"{m.member}: row counts differ in {', '.join(sorted(m.mismatches))}"
                for m in report.members
                if not m.counts_match
            ]
            if report.audit_ok is False:
                where = f" at entry {report.audit_first_bad}" if report.audit_first_bad else ""
                problems.append(f"audit chain broken{where} ({report.audit_reason})")
            if report.audit_tip_matches is False:
                problems.append("audit chain tip differs from the one recorded at backup time")
            raise CommandError("; ".join(problems))
