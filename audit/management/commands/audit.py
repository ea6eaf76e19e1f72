"""``dutdiem audit verify | anchor | init-key``: the audit log's chain, anchors and key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.keys import write_key
from audit.services import audit_anchor, audit_verify


class Command(BaseCommand):
    help = (
        "Audit log tools. `audit verify` checks the keyed hash chain against its anchors and "
        "names the first bad entry; `audit anchor` anchors the chain's tip now; `audit "
        "init-key` creates the key file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the chain and compare it with its anchors")
        verify.add_argument(
            "--require-anchor",
            action="store_true",
            help="fail when no anchor (vault or file) can be read to compare with",
        )
        sub.add_parser("anchor", help="anchor the tip in the vault, the file and the witness")
        init = sub.add_parser("init-key", help="create the audit key file (mode 0600)")
        init.add_argument("--path", default="", help="where to write it (default AUDIT_KEY_PATH)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("_", "-")
        if action == "init-key":
            path = Path(options["path"] or str(settings.AUDIT_KEY_PATH))
            try:
                write_key(path)
            except FileExistsError:
                raise CommandError(f"{path} exists already") from None
            self.stdout.write(f"audit key written to {path} (mode 0600); keep a copy offline")
            return
        if action == "anchor":
            anchor = audit_anchor()
            self.stdout.write(json.dumps({"seq": anchor.seq, "key_id": anchor.key_id}))
            return
        result = audit_verify()
        self.stdout.write(json.dumps(result.as_dict()))
        if not result.ok:
            where = f"at entry {result.first_bad}" if result.first_bad else ""
            raise CommandError(f"audit chain broken {where} ({result.reason})".replace("  ", " "))
        anchored = any(a.status == "ok" for a in result.anchors)
        if options["require_anchor"] and result.events and not anchored:
            raise CommandError("no anchor of the audit chain could be read to compare with")
