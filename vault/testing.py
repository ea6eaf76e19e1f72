"""Test helpers: make the vault unreachable for the length of a block."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.utils import load_backend


@contextmanager
def vault_broken() -> Iterator[None]:
    """Point the ``vault`` alias at a database that cannot be opened (a path under a missing
    directory for SQLite, a missing database for PostgreSQL), then put the real one back."""
    original = connections["vault"]
    settings_dict = dict(original.settings_dict)
    if settings_dict["ENGINE"].endswith("sqlite3"):
        settings_dict["NAME"] = "/nonexistent/dutdiem/vault.sqlite3"
    else:
        settings_dict["NAME"] = "dutdiem_no_such_vault"
        settings_dict["PORT"] = settings_dict.get("PORT") or "5432"
    broken = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "vault")
    connections["vault"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["vault"] = original
