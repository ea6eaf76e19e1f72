"""``dutdiem vault init-key | rotate-key | status``: the vault's keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.errors import DomainError
from vault import keys
from vault.models import SealedRecord
from vault.services import VAULT_DB, vault_rotate_key


class Command(BaseCommand):
    help = "Manage the vault's keys: init-key, rotate-key, status."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init-key", help="create a new keyring file (mode 0600)")
        init.add_argument("--path", default="", help="where to write it (default VAULT_KEY_PATH)")
        rotate = sub.add_parser(
            "rotate-key", help="add a new key, make it current and re-wrap every record"
        )
        rotate.add_argument(
            "--keyring-out",
            default="",
            help="file for the new keyring when the key is given inline by DUTDIEM_VAULT_KEY",
        )
        rotate.add_argument(
            "--retire", action="store_true", help="drop keys that no record uses any more"
        )
        rotate.add_argument("--batch-size", type=int, default=500)
        sub.add_parser("status", help="keys in the keyring and records per key")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("_", "-")
        if action == "init-key":
            self._init(options["path"] or str(settings.VAULT_KEY_PATH))
        elif action == "rotate-key":
            self._rotate(options)
        else:
            self._status()

    def _init(self, path_text: str) -> None:
        path = Path(path_text)
        if path.exists():
            raise CommandError(f"{path} exists already; rotate-key adds keys to it")
        keys.write_keyring(keys.generate_keyring(str(path)), path, exclusive=True)
        self.stdout.write(f"vault keyring written to {path} (mode 0600); keep a copy offline")

    def _rotate(self, options: dict[str, Any]) -> None:
        try:
            result = vault_rotate_key(
                keyring_out=options["keyring_out"],
                retire=options["retire"],
                batch_size=options["batch_size"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"new key {result.key_id}: re-wrapped {result.rewrapped} records; keyring {result.path}"
        )
        if result.retired:
            self.stdout.write(f"retired keys: {', '.join(result.retired)}")

    def _status(self) -> None:
        keyring = keys.load_keyring()
        counts: dict[str, int] = {}
        for key_id in SealedRecord.objects.using(VAULT_DB).values_list("key_id", flat=True):
            counts[key_id] = counts.get(key_id, 0) + 1
        self.stdout.write(f"keyring: {keyring.path or 'DUTDIEM_VAULT_KEY'}")
        for kid in sorted(keyring.keys):
            mark = " (current)" if kid == keyring.current else ""
            self.stdout.write(f"  {kid}{mark}: {counts.pop(kid, 0)} records")
        for kid, n in sorted(counts.items()):
            self.stdout.write(self.style.ERROR(f"  {kid} MISSING from the keyring: {n} records"))
