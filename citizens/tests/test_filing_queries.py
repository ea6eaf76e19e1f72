"""One public filing through the API stays within a fixed number of SQL queries: each is
a round trip, and at a million matters the round trips are most of a filing's time
(docs/benchmarks-citizens.md)."""

from __future__ import annotations

from typing import Any

import pytest

from citizens.tests.helpers import body, file_one, front, post, verified

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

# 51 before (the throttle read, then updated and read again; the area and category read
# by the citizens' check and again by the desk's intake; the code's counter read, updated
# and read again): 43 since, and 44 with the owner's province that the matter keeps
# (``Matter.owner_province``, one lookup when the matter is created).
MAX_QUERIES = 44


def test_a_public_filing_makes_at_most_max_queries(
    world: Any, settings: Any, tmp_path: Any, django_assert_max_num_queries: Any
) -> None:
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    f = front(world)
    file_one(f)  # the first filing creates the portal's account, the year's sequence, caches
    contact = verified()
    with django_assert_max_num_queries(MAX_QUERIES):
        response = post("petitions", body(f, contact=contact))
    assert response.status_code == 201, response.content
