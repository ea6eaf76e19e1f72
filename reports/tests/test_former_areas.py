"""A report drawn by the units before 1 July 2025 (issue 16): petitions of Thái Bình's old
districts and communes for 2024, counted from the old areas they were filed under."""

from __future__ import annotations

from typing import Any

import pytest

from petitions.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def test_report_by_old_district_and_commune(world: Any) -> None:
    for area, day in [("12751", "2024-03-04"), ("12751", "2024-05-06"), ("12703", "2024-07-01")]:
        file(world, area=area, received_on=day, channel="in_person", kind="proposal")
    file(world, area="12751", received_on="2023-12-29", channel="in_person", kind="proposal")
    file(world, received_on="2024-03-04", channel="in_person", kind="proposal")  # new area
    api = world.api(world.leader_p)
    districts = api.get("reports/former-areas", province="34", year=2024).json()
    assert [(r["code"], r["name"], r["received"]) for r in districts] == [
        ("340", "Huyện Đông Hưng", 3)
    ]
    communes = api.get("reports/former-areas", province="34", level="commune", year=2024).json()
    assert {(r["code"], r["received"], tuple(r["successors"])) for r in communes} == {
        ("12751", 2, ("12688",)),
        ("12703", 1, ("12688",)),
    }
    span = api.get(
        "reports/former-areas",
        province="34",
        level="province",
        **{"from": "2023-01-01", "to": "2024-12-31"},
    ).json()
    assert [(r["code"], r["received"], r["open"]) for r in span] == [("34", 4, 4)]
    # What the caller does not see is not counted.
    assert (
        world.api(world.official_b).get("reports/former-areas", province="34", year=2024).json()
        == []
    )


def test_report_by_old_units_refuses_bad_input(world: Any) -> None:
    api = world.api(world.leader_p)
    assert api.get("reports/former-areas", province="99", year=2024).status_code == 404
    missing = api.get("reports/former-areas", province="34")
    assert missing.status_code == 422 and "from" in missing.json()["detail"]
    assert (
        api.get("reports/former-areas", province="34", level="ward", year=2024).status_code == 422
    )
