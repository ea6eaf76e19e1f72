"""Sends the sealed-identity models to the vault database; everything else to the primary
(``default``), except reads that ask for the replica (``ops.routing.read_from_replica``)."""

from typing import Any

from ops import routing

VAULT_APPS = {"vault"}


class DatabaseRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        if model._meta.app_label in VAULT_APPS:
            return "vault"
        return routing.alias_for_read(model, hints)

    def db_for_write(self, model: Any, **hints: Any) -> str:
        if model._meta.app_label in VAULT_APPS:
            return "vault"
        return routing.alias_for_write(model)

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        in_vault = {obj1._meta.app_label in VAULT_APPS, obj2._meta.app_label in VAULT_APPS}
        return len(in_vault) == 1

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        if app_label in VAULT_APPS:
            return db == "vault"
        # Never the replica (read-only) nor a scratch database opened by restore --verify.
        return db == "default"
