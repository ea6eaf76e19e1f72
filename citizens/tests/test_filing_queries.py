"""One public filing through the API stays within a fixed number of SQL queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citizens.tests.helpers import body, front, post, verified

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_list_queries(world: Any, settings: Any, tmp_path: Any) -> None:
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    f = front(world)
    contact = verified()
    with CaptureQueriesContext(connection) as ctx:
        r = post("petitions", body(f, contact=contact))
    assert r.status_code == 201, r.content
    with open("/tmp/h15/queries.txt", "w") as out:
        for i, q in enumerate(ctx.captured_queries):
            out.write(f"{i} {q['sql'][:400]}\n")
    print(len(ctx.captured_queries))
