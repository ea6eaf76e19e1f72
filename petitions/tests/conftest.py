from __future__ import annotations

import importlib

import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def _petition_rules(request: pytest.FixtureRequest) -> None:
    """The rule rows come from a data migration, which a transactional test's flush empties:
    put them back when missing (same code as the migration)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("world")
    from matters.models import DeadlineRule

    if not DeadlineRule.objects.filter(key__startswith="petitions.").exists():
        importlib.import_module("petitions.migrations.0002_deadline_rules").seed(apps, None)
        importlib.import_module("petitions.migrations.0005_rule_sources").clean(apps, None)
