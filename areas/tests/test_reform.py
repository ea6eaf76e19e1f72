"""Areas before and after 1 July 2025, with the official codes (API.md, "Before and after
1 July 2025"). Real cases: Thái Bình (34) went into Hưng Yên (33); Xã Đông Hợp (12751, huyện
Đông Hưng) went whole into Xã Đông Hưng (12688); Xã Ngọc Thanh (12322, huyện Kim Động, Hưng
Yên) was split between Xã Hiệp Cường (12322: the code was reused) and Phường Sơn Nam
(11983)."""

from __future__ import annotations

from datetime import date

import pytest

from areas.models import Area, FormerArea, Succession
from areas.services import area_for_matter, area_resolve
from common.errors import Invalid

OLD_ADDRESS = "xã Đông Hợp, huyện Đông Hưng, tỉnh Thái Bình"


def test_the_63_provinces_before_and_the_34_after(world):
    api = world.api(None)
    before = api.get("areas", on="2025-06-30").json()
    assert len(before) == 63
    assert {"code": "34", "name": "Tỉnh Thái Bình", "kind": "province"} in before
    after = api.get("areas", on="2025-07-01").json()
    assert len(after) == 34
    assert "34" not in {r["code"] for r in after}
    assert len(api.get("areas").json()) == 34


def test_old_communes_listed_by_old_province_and_district(world):
    api = world.api(None)
    communes = api.get("areas", parent="34", on="2020-01-01").json()
    assert len(communes) == FormerArea.objects.filter(province_code="34", kind="commune").count()
    assert len(communes) > 200
    dong_hung = api.get("areas", parent="340", on="2020-01-01").json()
    assert {"code": "12751", "name": "Xã Đông Hợp", "kind": "commune"} in dong_hung
    assert api.get("areas", parent="340").status_code == 404  # no districts any more


def test_old_province_has_its_successor(world):
    body = world.api(None).get("areas/34").json()
    assert body["name"] == "Tỉnh Thái Bình"
    assert body["valid_to"] == "2025-06-30"
    assert body["valid_from"] is None
    assert body["successors"] == ["33"]


def test_a_reused_code_answers_for_the_day_asked(world):
    api = world.api(None)
    now = api.get("areas/33").json()
    assert now["valid_from"] == "2025-07-01" and now["valid_to"] is None
    assert set(now["predecessors"]) >= {"33", "34"}
    then = api.get("areas/33", on="2025-06-30").json()
    assert then["valid_to"] == "2025-06-30" and then["successors"] == ["33"]


def test_old_commune_and_district(world):
    api = world.api(None)
    commune = api.get("areas/12751").json()
    assert commune["kind"] == "commune" and commune["parent"] == "340"
    assert commune["successors"] == ["12688"]
    district = api.get("areas/340").json()
    assert district["kind"] == "district" and district["valid_to"] == "2025-06-30"
    assert "12688" in district["successors"] and len(district["successors"]) > 1
    assert abs(sum(c["share"] for c in district["conversion"]) - 1) < 1e-6
    assert api.get("areas/98765").status_code == 404


def test_every_thai_binh_commune_went_into_hung_yen(db):
    rows = Succession.objects.filter(former__province_code="34", former__kind="commune")
    assert rows.exists()
    assert set(rows.values_list("area__parent_id", flat=True)) == {"33"}
    assert not FormerArea.objects.filter(
        province_code="34", kind="commune", succession__isnull=True
    ).exists()


def test_convert_an_old_address(world):
    body = world.api(None).get("areas/convert", q=OLD_ADDRESS).json()
    assert body == {
        "q": OLD_ADDRESS,
        "old": {"code": "12751", "name": "Xã Đông Hợp"},
        "new": [{"code": "12688", "name": "Xã Đông Hưng"}],
        "certain": True,
    }


def test_convert_an_old_code_and_a_new_one(world):
    api = world.api(None)
    old = api.get("areas/convert", q="12751").json()
    assert old["old"]["code"] == "12751" and old["new"] == [
        {"code": "12688", "name": "Xã Đông Hưng"}
    ]
    new = api.get("areas/convert", q="12688").json()
    assert new["old"] is None and new["certain"] is True
    province = api.get("areas/convert", q="Thái Bình").json()
    assert province["old"]["code"] == "34" and province["new"][0]["code"] == "33"


def test_convert_a_split_commune_gives_all_choices(world):
    api = world.api(None)
    by_address = api.get("areas/convert", q="thôn 2, xã Ngọc Thanh, huyện Kim Động, Hưng Yên")
    body = by_address.json()
    assert body["old"] == {"code": "12322", "name": "Xã Ngọc Thanh"}
    assert {n["code"] for n in body["new"]} == {"12322", "11983"}
    assert body["certain"] is False
    # The bare code 12322 is today's Xã Hiệp Cường; on a day before the reform the old one.
    assert api.get("areas/convert", q="12322").json()["old"] is None
    then = api.get("areas/convert", q="12322", on="2025-06-30").json()
    assert then["old"]["code"] == "12322" and then["certain"] is False


def test_convert_refuses_what_it_cannot_read(world):
    api = world.api(None)
    unknown = api.get("areas/convert", q="không có ở đâu cả")
    assert unknown.status_code == 404 and "không có ở đâu cả" in unknown.json()["detail"]
    assert api.get("areas/convert", q=" ").status_code == 422


def test_area_for_matter_keeps_the_old_area(db):
    area = area_for_matter(OLD_ADDRESS, on=date(2026, 3, 2))
    assert area.code == "12688" and area.before is not None and area.before.code == "12751"
    fresh = area_for_matter("12688", on=date(2026, 3, 2))
    assert fresh.before is None


def test_a_split_commune_before_the_reform_goes_to_its_default(db):
    area = area_for_matter("12322", on=date(2021, 5, 4))
    assert area.before is not None and area.before.name == "Xã Ngọc Thanh"
    default = Succession.objects.get(former=area.before, is_default=True)
    assert area.code == default.area_id


def test_a_split_commune_after_the_reform_must_be_chosen(db):
    with pytest.raises(Invalid) as caught:
        area_for_matter("xã Ngọc Thanh, huyện Kim Động, tỉnh Hưng Yên", on=date(2026, 1, 5))
    message = caught.value.errors["area"]
    assert "12322" in message and "11983" in message


def test_an_old_district_files_under_its_province(db):
    area = area_for_matter("340", on=date(2026, 1, 5))
    assert area.code == "33" and area.before is not None and area.before.kind == "district"


def test_nothing_recognised_is_a_clear_error(db):
    with pytest.raises(Invalid) as caught:
        area_for_matter("99999", on=date(2026, 1, 5))
    assert "99999" in caught.value.errors["area"]


def test_resolver_reads_new_style_addresses(db):
    found = area_resolve("Xã Đông Hưng, tỉnh Hưng Yên")
    assert found.old is None and [p.code for p in found.new] == ["12688"]


def test_areas_in_force_carry_their_first_day(db):
    assert not Area.objects.filter(valid_from__isnull=True).exists()
    assert Area.objects.filter(valid_from=date(2025, 7, 1)).count() == 34 + 3321


@pytest.mark.parametrize(
    "text",
    [
        "Thôn 3, Xã Đông Hợp, Huyện Đông Hưng, Tỉnh Thái Bình",
        "thon 3, xa dong hop, huyen dong hung, tinh thai binh",
        "Đông Hợp, Đông Hưng, Thái Bình",
        "x. Đông Hợp, h. Đông Hưng, t. Thái Bình",
        "số 4 ngõ 2, Đông Hợp, Đông Hưng, Thái Bình, Việt Nam",
    ],
)
def test_old_addresses_as_people_write_them(db, text):
    found = area_resolve(text, on=date(2026, 3, 2))
    assert found.old is not None and found.old.code == "12751", text
    assert [p.code for p in found.new] == ["12688"]
