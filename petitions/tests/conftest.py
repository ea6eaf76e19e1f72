from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from matters.models import DeadlineRule


@pytest.fixture(autouse=True)
def _petition_rules(world: Any) -> None:
    """The rule rows come from a data migration, which a transactional test's flush empties:
    put them back when missing (same code as the migration)."""
    if not DeadlineRule.objects.filter(key__startswith="petitions.").exists():
        importlib.import_module("petitions.migrations.0002_deadline_rules").seed(apps, None)
