"""What both registry benchmarks do first: a data directory, Django on it, both databases
migrated, and the reception office they file into."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any


def start_django(keep: str, prefix: str, log_level: str) -> Path:
    """Use ``keep`` (or a new temporary directory) as the data directory, set Django up on
    it (``DATABASE_URL`` still chooses PostgreSQL) and migrate the main database and the
    vault. Returns the data directory."""
    data_dir = Path(keep or tempfile.mkdtemp(prefix=prefix))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DUTDIEM_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DUTDIEM_LOG_LEVEL"] = log_level
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE']} {database['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("migrate", database="vault", verbosity=0)
    return data_dir


def bench_office() -> tuple[Any, Any]:
    """The administrator and the reception office ``BENCH`` (made on the first run)."""
    from django.db import transaction

    from accounts.models import User
    from units.models import Unit
    from units.services import unit_create

    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", "", "bench-password-123"
    )
    unit = Unit.objects.filter(code="BENCH").first()
    if unit is None:
        with transaction.atomic():
            unit = unit_create(
                actor=admin,
                code="BENCH",
                name="Ban Tiếp công dân (bench)",
                kind="reception_office",
                parent=None,
                area="33",
            )
    return admin, unit
