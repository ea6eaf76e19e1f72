"""Sends the sealed-identity models to the vault database and everything else to default."""

from typing import Any

VAULT_APPS = {"vault"}


class DatabaseRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        return "vault" if model._meta.app_label in VAULT_APPS else "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "vault" if model._meta.app_label in VAULT_APPS else "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        in_vault = {obj1._meta.app_label in VAULT_APPS, obj2._meta.app_label in VAULT_APPS}
        return len(in_vault) == 1

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        if app_label in VAULT_APPS:
            return db == "vault"
        return db == "default"
