"""``dutdiem api-account <username> [--off]``: mark an official as an API account (a service
account of another system, which gets API tokens with its password alone even where the
second factor is required), or take the mark away. Audited."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import User
from accounts.services import official_set_api_account


class Command(BaseCommand):
    help = "Mark an official as an API account (tokens without the second factor), or not."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--off", action="store_true", help="take the mark away")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.select_related("unit").filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no official {options['username']}")
        with transaction.atomic():
            official_set_api_account(actor="system", user=user, api_account=not options["off"])
        state = "is not" if options["off"] else "is now"
        self.stdout.write(f"{user.username} {state} an API account")
