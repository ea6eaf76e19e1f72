"""GET /api/v1/public/map and the public map page: only proposals their senders agreed to
show, rounded points, nothing personal; complaints, sealed denunciations and opted-out
proposals never appear."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from common.testing.sentinel import Seen
from matters.models import Matter
from opendata.tests.helpers import SECRET_CONTACT, proposal
from registry.tests.helpers import file, travel

pytest.importorskip("citizens.models", reason="the citizens' app keeps the online filings")
pytestmark = pytest.mark.django_db(databases=["default", "vault"])

BOX = "105.9,20.5,106.2,20.8"


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def get_map(**params: Any) -> Any:
    return Client().get("/api/v1/public/map", params)


def codes(body: dict[str, Any]) -> set[str]:
    return {f["properties"]["code"] for f in body["features"]}


def test_a_public_proposal_in_the_box(world: Any) -> None:
    code = proposal(world, lat=20.64612, lon=106.05118)
    response = get_map(bbox=BOX)
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    [feature] = body["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [106.051, 20.646]}
    props = feature["properties"]
    assert props["code"] == code
    assert props["category"] == "environment"
    assert props["status"] == "received"
    assert props["commune"] == world.commune.name


def test_outside_the_box_opted_out_and_other_kinds_are_not_shown(world: Any) -> None:
    shown = proposal(world)
    proposal(world, public=False)
    proposal(world, lat=10.8, lon=106.7)  # elsewhere
    file(world, kind="complaint")
    file(world, user=world.official_b, kind="denunciation", summary="Tố cáo")
    # A filing marked public on something that is not a proposal still shows nothing.
    from citizens.models import PublicFiling
    from petitions.models import Petition

    for petition in Petition.objects.exclude(kind="proposal"):
        PublicFiling.objects.create(
            petition=petition,
            contact_kind="email",
            contact=SECRET_CONTACT,
            public=True,
            public_lat=20.646,
            public_lon=106.051,
        )
    assert codes(get_map(bbox=BOX).json()) == {shown}


def test_status_and_province_filters(world: Any) -> None:
    open_code = proposal(world)
    closed_code = proposal(world)
    Matter.objects.filter(code=closed_code).update(is_open=False, status="resolved")
    assert codes(get_map(bbox=BOX, status="open").json()) == {open_code}
    assert codes(get_map(bbox=BOX, status="closed").json()) == {closed_code}
    assert codes(get_map(province="33").json()) == {open_code, closed_code}
    assert codes(get_map(province="01").json()) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "bbox"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "106.2,20.5,105.9,20.8"}, "bbox"),
        ({"bbox": "0,-91,1,1"}, "bbox"),
        ({"bbox": BOX, "status": "gone"}, "status"),
        ({"province": "99"}, "province"),
    ],
)
def test_bad_input_is_422_naming_the_field(world: Any, params: dict[str, str], field: str) -> None:
    response = get_map(**params)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_nothing_personal_on_the_map(world: Any) -> None:
    proposal(world, lat=20.64612, lon=106.05118)
    seen = Seen()
    api = seen.add("api", get_map(bbox=BOX))
    page = seen.add("page", Client().get("/open-data/map/", {"province": "33"}))
    assert seen.leaks() == []
    for response in (api, page):
        text = response.content.decode()
        assert SECRET_CONTACT not in text
        assert "20.64612" not in text and "106.05118" not in text


def test_the_page_lists_the_points_for_keyboard_users(world: Any) -> None:
    code = proposal(world)
    response = Client().get("/open-data/map/", {"province": "33"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<code>{code}</code>" in page
    assert "vendor/leaflet/leaflet.js" in page
    assert Client().get("/open-data/map/", {"province": "99"}).status_code == 404
