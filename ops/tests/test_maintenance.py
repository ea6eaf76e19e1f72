"""The nightly statistics job."""

from __future__ import annotations

import pytest
from django.db import connection

from ops.maintenance import optimize_database


@pytest.mark.django_db(databases=["default", "vault"])
def test_statistics_are_gathered_on_sqlite():
    result = optimize_database()
    if connection.vendor != "sqlite":
        assert result == {"default": "autovacuum", "vault": "autovacuum"}
        return
    assert result == {"default": "analyze", "vault": "analyze"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl LIKE 'areas_%'")
        assert cursor.fetchone()[0] >= 1
