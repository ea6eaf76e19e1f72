"""Intake with an area from before 1 July 2025 (API.md, "Before and after 1 July 2025"): an
old code or an old address gets the area in force and keeps the old one as ``area_before``;
a split commune asks which; nothing recognised is a 422 naming ``area``."""

from __future__ import annotations

import pytest

from matters.models import Matter
from petitions.tests.helpers import body, file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

OLD_ADDRESS = "xã Đông Hợp, huyện Đông Hưng, tỉnh Thái Bình"


@pytest.fixture(autouse=True)
def _now():
    with travel():
        yield


def test_an_old_code_files_under_its_successor(world):
    data = file(world, area="12751")
    assert data["area"] == "12688"
    assert data["area_before"] == "12751"
    matter = Matter.objects.get(code=data["code"])
    assert matter.area_id == "12688" and matter.area_before is not None
    assert matter.area_before.name == "Xã Đông Hợp"
    again = world.api(world.clerk_a).get(f"petitions/{data['code']}").json()
    assert again["area_before"] == "12751"


def test_an_old_address_files_under_its_successor(world):
    data = file(world, area=OLD_ADDRESS)
    assert (data["area"], data["area_before"]) == ("12688", "12751")


def test_a_code_in_force_has_no_area_before(world):
    data = file(world)
    assert data["area"] == world.commune.code and data["area_before"] is None


def test_a_split_commune_names_the_choices_and_stores_nothing(world):
    before = Matter.objects.count()
    response = world.api(world.clerk_a).post(
        "petitions", body(world, area="xã Ngọc Thanh, huyện Kim Động, tỉnh Hưng Yên")
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "area" in detail and "11983" in detail and "12322" in detail
    assert Matter.objects.count() == before


def test_an_unknown_area_is_refused(world):
    response = world.api(world.clerk_a).post("petitions", body(world, area="ở đâu đó"))
    assert response.status_code == 422
    assert "area" in response.json()["detail"]


def test_a_petition_of_2024_with_a_split_commune_keeps_it(world):
    data = file(world, area="12322", received_on="2024-11-04", channel="in_person")
    assert data["area_before"] == "12322"
    assert data["area"] in {"12322", "11983"}


def test_lists_by_new_and_by_old_area(world):
    old = file(world, area="12751")["code"]
    new = file(world, area="12688", summary="Kiến nghị sửa đường liên thôn", kind="proposal")[
        "code"
    ]
    other = file(world)["code"]
    api = world.api(world.clerk_a)

    def codes(area: str) -> set[str]:
        response = api.get("petitions", area=area)
        assert response.status_code == 200
        return {item["code"] for item in response.json()["items"]}

    assert codes("12688") == {old, new}  # the new commune includes its old communes
    assert codes("12751") == {old}  # the old commune: what was filed under it
    assert codes("340") == {old}  # the old district: its communes
    assert codes("34") == {old}  # the old province
    assert other not in codes("12688")


def test_the_choice_among_a_split_communes_successors_keeps_the_old_one(world):
    data = file(world, area="11983", area_before="xã Ngọc Thanh, huyện Kim Động, tỉnh Hưng Yên")
    assert (data["area"], data["area_before"]) == ("11983", "12322")
    wrong = world.api(world.clerk_a).post(
        "petitions", body(world, area="12688", area_before="12322")
    )
    assert wrong.status_code == 422
    assert "11983" in wrong.json()["detail"]


def _form(**fields: str) -> dict[str, str]:
    data = {
        "kind": "proposal",
        "channel": "in_person",
        "received_on": "02/03/2027",
        "area": "",
        "area_old": "",
        "category": "land",
        "summary": "Kiến nghị về ranh giới đất",
        "signers": "1",
        "p-TOTAL_FORMS": "1",
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "20",
    }
    data.update(fields)
    return data


def test_intake_form_converts_an_old_address(world):
    from django.test import Client

    client = Client()
    client.force_login(world.clerk_a)
    page = client.get("/petitions/new/").content.decode()
    assert 'name="area_old"' in page and "js/areas.js" in page
    response = client.post("/petitions/new/", _form(area_old=OLD_ADDRESS))
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert matter.area_id == "12688" and matter.area_before is not None
    assert matter.area_before.code == "12751"


def test_intake_form_says_which_choices_beside_the_old_address(world):
    from django.test import Client

    client = Client()
    client.force_login(world.clerk_a)
    split = "xã Ngọc Thanh, huyện Kim Động, tỉnh Hưng Yên"
    html = client.post("/petitions/new/", _form(area_old=split)).content.decode()
    assert "11983" in html and "12322" in html and not Matter.objects.exists()
    chosen = client.post("/petitions/new/", _form(area_old=split, area="11983"))
    assert chosen.status_code == 302
    matter = Matter.objects.get()
    assert (matter.area_id, matter.area_before.code if matter.area_before else None) == (
        "11983",
        "12322",
    )
