"""Document numbers under concurrency: many reports of one unit generated at once get
01..N, no gap, no duplicate (SECURITY.md "Nothing lost")."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection

from reports.models import GeneratedReport
from reports.services import report_generate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="the in-memory SQLite test database refuses concurrent writers; run on PostgreSQL",
    ),
]


def test_parallel_generation_numbers_without_gaps(world: Any) -> None:
    reports = [
        GeneratedReport.objects.create(
            unit=world.a,
            kind="petitions",
            title=f"r{i}",
            period="month",
            period_start=date(2025, i, 1),
            period_end=date(2025, i, 28),
            requested_by=world.head_a,
        )
        for i in range(1, 9)
    ]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(reports))

    def run(report_id: int) -> None:
        try:
            barrier.wait()
            report_generate(report_id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(r.pk,)) for r in reports]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    done = GeneratedReport.objects.filter(status="done")
    assert sorted(n or 0 for n in done.values_list("number", flat=True)) == list(range(1, 9))
    assert len(set(done.values_list("symbol", flat=True))) == 8
