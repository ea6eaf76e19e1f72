"""The whole-province map answer is kept in the cache and renewed when one of the
province's proposals changes through the services (opendata.mapcache)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from citizens.tests.helpers import file_one, front
from matters.models import Matter

pytest.importorskip("citizens.models", reason="the citizens' app keeps the online filings")
pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def f(world: Any, settings: Any, tmp_path: Any) -> Any:
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_MAP_CACHE_SECONDS = 300
    cache.clear()
    return front(world)


def shown(province: str = "33") -> dict[str, str]:
    response = Client().get("/api/v1/public/map", {"province": province})
    assert response.status_code == 200
    return {x["properties"]["code"]: x["properties"]["status"] for x in response.json()["features"]}


def test_a_newly_public_proposal_and_a_status_change_renew_the_cached_map(
    f: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = file_one(f, address="198.51.100.31")["code"]
    assert shown() == {first: "received"}
    # A write that bypasses the services is not seen: the answer is served from the cache.
    Matter.objects.filter(code=first).update(status="accepted")
    assert shown() == {first: "received"}
    with django_capture_on_commit_callbacks(execute=True):
        second = file_one(f, address="198.51.100.32")["code"]
    assert shown() == {first: "accepted", second: "received"}

    from conftest import make_official
    from petitions.models import Petition
    from petitions.services import petition_accept

    clerk = make_official("tcd_clerk", f.office, ["clerk", "handler"])
    petition = Petition.objects.select_related("matter").get(matter__code=second)
    with django_capture_on_commit_callbacks(execute=True):
        petition_accept(actor=clerk, petition=petition, accepted_on=timezone.localdate())
    assert shown()[second] == "accepted"
    assert shown("01") == {}


def test_the_cached_answer_is_the_same_response(
    f: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Byte for byte and with the same type as the answer built for each request (the
    contract's shape), whatever the status filter."""
    with django_capture_on_commit_callbacks(execute=True):
        file_one(f, address="198.51.100.33")
    counts = {}
    for status in ("", "open", "closed"):
        settings.PUBLIC_MAP_CACHE_SECONDS = 0
        built = Client().get("/api/v1/public/map", {"province": "33", "status": status})
        settings.PUBLIC_MAP_CACHE_SECONDS = 300
        for _ in range(2):  # stored, then read back
            kept = Client().get("/api/v1/public/map", {"province": "33", "status": status})
            assert kept.status_code == built.status_code == 200
            assert kept["Content-Type"] == built["Content-Type"]
            assert kept.content == built.content
        counts[status] = len(kept.json()["features"])
    assert counts == {"": 1, "open": 1, "closed": 0}


def test_bad_input_is_still_422_with_the_cache(f: Any) -> None:
    for params, field in (
        ({"province": "99"}, "province"),
        ({"province": "33", "status": "x"}, "status"),
    ):
        response = Client().get("/api/v1/public/map", params)
        assert response.status_code == 422
        assert field in response.json()["errors"]


def test_off_by_default_in_tests(world: Any, settings: Any) -> None:
    """Without the setting every request reads the database (what the other tests rely on)."""
    from opendata.mapcache import province_answer

    built: list[int] = []

    def build() -> dict[str, Any]:
        built.append(1)
        return {"features": []}

    settings.PUBLIC_MAP_CACHE_SECONDS = 0
    for _ in range(2):
        province_answer("33", "api:", build)
    assert len(built) == 2


def test_a_cache_that_cannot_write_fails_neither_the_filing_nor_the_map(
    f: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    """A full disk under the file cache: the filing is answered (it was committed), the map
    is built from the database, and no answer from before the change is served."""
    with django_capture_on_commit_callbacks(execute=True):
        first = file_one(f, address="198.51.100.41")["code"]
    assert shown() == {first: "received"}  # now cached

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache, "set", full)
    with django_capture_on_commit_callbacks(execute=True):
        second = file_one(f, address="198.51.100.42")["code"]
    assert shown() == {first: "received", second: "received"}

    monkeypatch.setattr(cache, "get", full)
    assert shown() == {first: "received", second: "received"}
