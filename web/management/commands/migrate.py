"""``dutdiem migrate`` also migrates the vault database.

The sealed-identity vault is its own database alias; an operator who runs the one documented
command (`dutdiem migrate`) must end with both databases ready. With ``--database vault`` (or
any alias other than default) it behaves exactly like Django's own command.
"""

from typing import Any

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate


class Command(DjangoMigrate):
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        # The test runner creates and migrates each test database itself, default first:
        # reaching for the vault then would hit a database that does not exist yet.
        if getattr(settings, "TESTING", False):
            return
        if options.get("database", "default") == "default" and "vault" in settings.DATABASES:
            if not options.get("app_label") or options.get("app_label") == "vault":
                vault_options = dict(options, database="vault")
                super().handle(*args, **vault_options)
