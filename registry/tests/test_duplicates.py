"""Duplicates across units: same ID (open and sealed, never across the seal), near-identical
content with and without diacritics and with typos, groups, the panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEvent
from registry import dedupe
from registry.models import ContentBand, DuplicateLink
from registry.services.duplicates import reindex_all
from registry.tests.helpers import file, travel
from vault.testing import vault_broken

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

LETTER = (
    "Kính gửi: Chủ tịch Ủy ban nhân dân xã Tân Lập.\n"
    "Tôi tên là Trần Văn Bình, trú tại thôn Đông. Gia đình tôi được giao sử dụng thửa đất số 215, "
    "tờ bản đồ số 7, diện tích 480 m2. Ngày 05/01/2026 Ủy ban nhân dân đã ban hành Quyết định số "
    "37/QĐ-UBND thu hồi toàn bộ diện tích đất nói trên nhưng chưa họp dân, chưa bàn phương án bồi "
    "thường. Tôi đề nghị xem xét, giải quyết để bảo đảm quyền lợi hợp pháp của gia đình tôi."
)
NO_MARKS = (
    "Kinh gui: Thanh tra tinh Hung Yen.\n"
    "Toi ten la Tran Van Binh, tru tai thon Dong. Gia dinh toi duoc giao su dung thua dat so 215, "
    "to ban do so 7, dien tich 480 m2. Ngay 05/01/2026 Uy ban nhan dan da ban hanh Quyet dinh so "
    "37/QD-UBND thu hoi toan bo dien tich dat noi tren nhung chua hop dan, chua ban phuong an boi "
    "thuong. Toi de nghi xem xet, giai quyet de bao dam quyen loi hop phap cua gia dinh toi."
)
TYPOS = (
    LETTER.replace("Quyết định", "Quyêt địnhh")
    .replace("bồi thường", "bồi thuờng")
    .replace("gia đình tôi", "gia đìnhtôi")
)
NEIGHBOUR = (
    LETTER.replace("Trần Văn Bình", "Phạm Thị Hoa").replace("215", "216").replace("480", "350")
)


def delete(api: Any, path: str) -> Any:
    return api.client.delete(f"/api/v1/{path}", headers=api.headers)


def person(name: str, number: str) -> list[dict[str, str]]:
    return [{"full_name": name, "id_number": number}]


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def test_near_identical_content_across_units(world: Any) -> None:
    first = file(world, content=LETTER, petitioners=person("Trần Văn Bình", "034080000001"))
    again = file(
        world,
        user=world.official_b,
        content=NO_MARKS,
        petitioners=person("Trần Văn Bình", "034080000002"),
    )
    typed = file(
        world,
        user=world.official_b,
        content=TYPOS,
        petitioners=person("T. V. Bình", "034080000003"),
    )
    other = file(
        world,
        user=world.official_b,
        content=NEIGHBOUR,
        petitioners=person("Phạm Thị Hoa", "034080000004"),
    )
    assert first["code"] in again["duplicates"]
    assert {first["code"], again["code"]} <= set(typed["duplicates"])
    # A neighbour's copy of the same form letter is another petition.
    assert first["code"] not in other["duplicates"] and other["duplicates"] == []
    # The first petition now sees the later ones too (any unit, codes only).
    detail = world.api(world.clerk_a).get(f"petitions/{first['code']}").json()
    assert {again["code"], typed["code"]} <= set(detail["duplicates"])


def test_same_id_number_across_units(world: Any) -> None:
    first = file(world, content="Một việc", petitioners=person("Lê Văn Cường", "034080000777"))
    second = file(
        world,
        user=world.official_b,
        content="Việc khác hẳn",
        petitioners=person("Lê V. Cường", "034080000777"),
    )
    assert second["duplicates"] == [first["code"]]


def test_sealed_ids_match_only_sealed_ids(world: Any) -> None:
    complaint = file(world, content="Khiếu nại A", petitioners=person("Đỗ Văn Kín", "001099000555"))
    denounced = file(
        world,
        kind="denunciation",
        category="corruption",
        content="Tố cáo B",
        petitioners=person("Đỗ Văn Kín", "001099000555"),
    )
    # Filed again at the same desk: the clerk handles the first one and may reveal it.
    again = file(
        world,
        kind="denunciation",
        category="corruption",
        content="Tố cáo C, nội dung khác",
        petitioners=person("Đỗ Văn Kín", "001099000555"),
    )
    assert again["duplicates"] == [denounced["code"]]
    # Filed in another unit: not named there (test_duplicate_oracle.py).
    elsewhere = file(
        world,
        user=world.official_b,
        kind="denunciation",
        category="corruption",
        content="Tố cáo D, nội dung khác nữa",
        petitioners=person("Đỗ Văn Kín", "001099000555"),
    )
    assert elsewhere["duplicates"] == []
    # Linking a denunciation to a complaint with the same ID would name the denouncer.
    assert complaint["code"] not in denounced["duplicates"]
    assert (
        denounced["code"]
        not in world.api(world.clerk_a).get(f"petitions/{complaint['code']}").json()["duplicates"]
    )


def test_with_the_vault_down_the_rest_is_still_found(world: Any) -> None:
    first = file(world, content=LETTER)
    denounced = file(
        world,
        kind="denunciation",
        category="corruption",
        content="Tố cáo X",
        petitioners=person("Đỗ Văn Kín", "001099000556"),
    )
    with vault_broken():
        response = world.api(world.official_b).post(
            "petitions/duplicates/check", {"content": NO_MARKS}
        )
        assert response.status_code == 200 and response.json()["duplicates"] == [first["code"]]
        detail = world.api(world.clerk_a).get(f"petitions/{denounced['code']}")
        assert detail.status_code == 200


def test_check_before_filing(world: Any) -> None:
    first = file(world, content=LETTER, petitioners=person("Trần Văn Bình", "034080000001"))
    api = world.api(world.official_b)
    assert api.post("petitions/duplicates/check", {"content": TYPOS}).json()["duplicates"] == [
        first["code"]
    ]
    assert api.post("petitions/duplicates/check", {"id_numbers": ["034080000001"]}).json()[
        "duplicates"
    ] == [first["code"]]
    assert (
        api.post("petitions/duplicates/check", {"content": "Đề nghị sửa đường liên thôn"}).json()[
            "duplicates"
        ]
        == []
    )
    bad = api.post("petitions/duplicates/check", {})
    assert bad.status_code == 422 and "content" in bad.json()["errors"]


def test_link_to_an_original_in_another_unit_and_show_the_group(world: Any) -> None:
    original = file(world, user=world.official_b, content="Đơn gốc ở đơn vị B", summary="Đơn gốc")
    copy = file(world, content="Bản sao gửi đơn vị A", summary="Bản sao")
    response = world.api(world.clerk_a).post(
        f"petitions/{copy['code']}/duplicate-of",
        {"original": original["code"], "note": "gửi nhiều nơi"},
    )
    assert response.status_code == 200, response.content
    group = response.json()["group"]
    assert [(g["code"], g["original"]) for g in group] == [
        (original["code"], True),
        (copy["code"], False),
    ]
    # B's petition is out of A's clerk's scope: its code and owner, not its title.
    assert group[0]["title"] is None and group[0]["owner"] == "B"
    assert group[1]["title"] == "Bản sao"
    assert original["code"] in response.json()["duplicates"]
    assert (
        AuditEvent.objects.filter(action="petition.duplicate_link", matter=copy["code"]).count()
        == 1
    )
    # B sees the group from its side.
    seen = world.api(world.official_b).get(f"petitions/{original['code']}/duplicates").json()
    assert copy["code"] in seen["duplicates"] and len(seen["group"]) == 2


def test_groups_stay_flat_and_loops_are_refused(world: Any) -> None:
    a = file(world, content="Đơn một")
    b = file(world, content="Đơn hai")
    c = file(world, content="Đơn ba")
    api = world.api(world.clerk_a)
    assert (
        api.post(f"petitions/{b['code']}/duplicate-of", {"original": a["code"]}).status_code == 200
    )
    # Linking to a member links to its original.
    assert (
        api.post(f"petitions/{c['code']}/duplicate-of", {"original": b["code"]}).status_code == 200
    )
    assert DuplicateLink.objects.get(matter__code=c["code"]).original.code == a["code"]
    loop = api.post(f"petitions/{a['code']}/duplicate-of", {"original": c["code"]})
    assert loop.status_code == 422 and "original" in loop.json()["errors"]
    itself = api.post(f"petitions/{a['code']}/duplicate-of", {"original": a["code"]})
    assert itself.status_code == 422
    missing = api.post(f"petitions/{a['code']}/duplicate-of", {"original": "D2026-33-999999"})
    assert missing.status_code == 422 and "D2026-33-999999" in missing.json()["errors"]["original"]
    # The original cannot leave while it has duplicates; a member can.
    assert delete(api, f"petitions/{a['code']}/duplicate-of").status_code == 422
    assert delete(api, f"petitions/{c['code']}/duplicate-of").status_code == 200
    assert not DuplicateLink.objects.filter(matter__code=c["code"]).exists()
    assert DuplicateLink.objects.count() == 1


def test_link_access(world: Any) -> None:
    a = file(world, content="Đơn một")
    b = file(world, content="Đơn hai")
    body = {"original": b["code"]}
    assert (
        world.api(world.official_b).post(f"petitions/{a['code']}/duplicate-of", body).status_code
        == 404
    )
    assert (
        world.api(world.leader_p).post(f"petitions/{a['code']}/duplicate-of", body).status_code
        == 403
    )
    assert (
        world.api(world.auditor_p).post(f"petitions/{a['code']}/duplicate-of", body).status_code
        == 403
    )
    assert world.api(world.official_b).get(f"petitions/{a['code']}/duplicates").status_code == 404
    assert (
        world.api(world.head_a).post(f"petitions/{a['code']}/duplicate-of", body).status_code == 200
    )
    assert not DuplicateLink.objects.exclude(matter__code=a["code"]).exists()


def test_the_panel(world: Any) -> None:
    first = file(world, content=LETTER)
    second = file(world, content=NO_MARKS)
    client = Client()
    client.force_login(world.clerk_a)
    panel = client.get(f"/registry/petition/{second['code']}/duplicates/")
    assert panel.status_code == 200 and first["code"] in panel.content.decode()
    linked = client.post(
        f"/registry/petition/{second['code']}/duplicates/link/", {"original": first["code"]}
    )
    assert linked.status_code == 200 and "rg-badge" in linked.content.decode()
    refused = client.post(f"/registry/petition/{second['code']}/duplicates/link/", {"original": ""})
    assert refused.status_code == 422
    outsider = Client()
    outsider.force_login(world.official_b)
    assert outsider.get(f"/registry/petition/{second['code']}/duplicates/").status_code == 404


def test_index_is_written_once_and_rebuilt(world: Any) -> None:
    first = file(world, content=LETTER)
    keys = ContentBand.objects.filter(matter__code=first["code"]).count()
    assert keys == dedupe.NUM_PERM // dedupe.ROWS
    world.api(world.clerk_a).get(f"petitions/{first['code']}")
    assert ContentBand.objects.filter(matter__code=first["code"]).count() == keys
    ContentBand.objects.all().delete()
    assert reindex_all() == keys
