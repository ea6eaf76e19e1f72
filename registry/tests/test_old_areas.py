"""A register of 2019-2025 kept under the old codes (API.md, "Before and after 1 July 2025"):
each petition gets the area in force and keeps the old one; an old address in the address
column serves when ``Mã địa bàn`` is empty; a split commune after the reform, or an
unknown area, is an error naming the row and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from matters.models import Matter
from registry import register as reg
from registry.tests.helpers import register, row, travel
from registry.tests.test_import import run

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel(), translation.override("en"):
        yield


def areas_of(summary: str) -> tuple[str, str | None]:
    matter = Matter.objects.select_related("area_before").get(title=summary)
    return matter.area_id, matter.area_before.code if matter.area_before else None


def test_a_register_of_old_codes_keeps_old_and_new(world: Any, tmp_path: Path) -> None:
    rows = [
        row(**{reg.DATE: "14/05/2019", reg.AREA: "12751", reg.SUMMARY: "Đông Hợp 2019"}),
        row(**{reg.DATE: "03/02/2022", reg.AREA: 12751, reg.SUMMARY: "Đông Hợp, số"}),
        row(**{reg.DATE: "10/10/2023", reg.AREA: "34", reg.SUMMARY: "Tỉnh Thái Bình"}),
        row(**{reg.DATE: "20/06/2025", reg.AREA: "12322", reg.SUMMARY: "Ngọc Thanh (chia)"}),
        row(**{reg.DATE: "20/06/2025", reg.AREA: "340", reg.SUMMARY: "Huyện Đông Hưng"}),
        row(**{reg.DATE: "21/01/2021", reg.AREA: "33", reg.SUMMARY: "Hưng Yên cũ"}),
        row(
            **{
                reg.DATE: "05/05/2024",
                reg.AREA: None,
                reg.ADDRESS: "Thôn 3, xã Đông Hợp, huyện Đông Hưng, tỉnh Thái Bình",
                reg.SUMMARY: "Theo địa chỉ",
            }
        ),
        row(**{reg.DATE: "02/03/2026", reg.AREA: "12688", reg.SUMMARY: "Mã mới"}),
    ]
    code, out, err = run(register(tmp_path / "tb.xlsx", rows), "--unit", "A")
    assert (code, out.strip(), err) == (0, "imported 8", "")
    assert areas_of("Đông Hợp 2019") == ("12688", "12751")
    assert areas_of("Đông Hợp, số") == ("12688", "12751")
    assert areas_of("Tỉnh Thái Bình") == ("33", "34")
    new_area, old = areas_of("Ngọc Thanh (chia)")
    assert old == "12322" and new_area in {"12322", "11983"}
    assert areas_of("Huyện Đông Hưng") == ("33", "340")
    assert areas_of("Hưng Yên cũ") == ("33", "33")
    assert areas_of("Theo địa chỉ") == ("12688", "12751")
    assert areas_of("Mã mới") == ("12688", None)
    # The petitions of the old commune are listed under the new one and under the old one.
    api = world.api(world.head_a)
    under_new = api.get("petitions", area="12688", page_size=50).json()["count"]
    under_old = api.get("petitions", area="12751", page_size=50).json()["count"]
    assert (under_new, under_old) == (4, 3)


def test_old_area_errors_name_row_and_column(world: Any, tmp_path: Path) -> None:
    rows = [
        row(),
        row(**{reg.AREA: "xã Ngọc Thanh, huyện Kim Động, tỉnh Hưng Yên"}),
        row(**{reg.AREA: "98765"}),
        row(**{reg.AREA: None, reg.ADDRESS: "không rõ ở đâu"}),
    ]
    code, out, err = run(register(tmp_path / "bad.xlsx", rows), "--unit", "A")
    assert code != 0 and Matter.objects.count() == 0
    assert f"row 3, {reg.AREA}" in err and "11983" in err
    assert f"row 4, {reg.AREA}" in err and "98765" in err
    assert f"row 5, {reg.ADDRESS}" in err
