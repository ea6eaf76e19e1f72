from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _statement_rules(request: pytest.FixtureRequest) -> None:
    """Rule rows and the press category come from a data migration, which a transactional
    test's flush empties: put them back when missing (the migration's own code)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("world")
    import importlib

    from django.apps import apps

    from matters.models import Category, DeadlineRule

    if not DeadlineRule.objects.filter(key__startswith="statements.").exists() or not (
        Category.objects.filter(code="press").exists()
    ):
        importlib.import_module("statements.migrations.0002_deadline_rules").seed(apps, None)
