"""The duplicate finder is no oracle for denouncers (issue 13, finding 1).

Asking ``POST /api/v1/petitions/duplicates/check`` about a denouncer's ID number, filing a
petition, or reading its duplicates must answer exactly as for a number nobody has used,
unless the caller may see the sealed petition and (for a match by ID number alone) may also
reveal who sent it. The sealed petition's handler is told instead, every sealed lookup is
audited, and the check is rate-limited per official and per client address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEvent
from notifications.models import Notification
from registry.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

DENOUNCERS = ("001099000901", "001099000902", "001099000903")
UNUSED = "001099000999"
CHECK = "petitions/duplicates/check"
SEALED_TEXT = (
    "Tôi tố cáo cán bộ địa chính xã Tân Lập nhận tiền của các hộ dân khi làm hồ sơ cấp giấy "
    "chứng nhận quyền sử dụng đất tại thôn Đông trong tháng 01/2026, mỗi hộ từ hai đến năm "
    "triệu đồng, có sổ ghi chép kèm theo."
)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def denounce(world: Any, number: str, content: str = "", user: Any = None) -> str:
    data = file(
        world,
        user=user or world.handler_a,
        kind="denunciation",
        category="corruption",
        summary="Tố cáo cán bộ",
        content=content or f"Tố cáo số {number[-3:]}, nội dung riêng của đơn này.",
        petitioners=[{"full_name": "Người Tố Cáo", "id_number": number, "address": "Thôn Đông"}],
    )
    return str(data["code"])


def check(api: Any, **body: Any) -> Any:
    return api.post(CHECK, body)


def told(world: Any, code: str) -> int:
    return Notification.objects.filter(
        user=world.handler_a, kind="petition.duplicate_elsewhere", matter=code
    ).count()


def test_a_denouncers_id_number_answers_as_no_match(world: Any) -> None:
    codes = [denounce(world, n) for n in DENOUNCERS]
    assert told(world, codes[0]) == 0
    # Other unit, a leader who sees the petition but may not reveal it, a clerk of the owner
    # unit who is not its handler, an administrator: the same answer as for an unused number.
    for user in (world.official_b, world.head_b, world.leader_p, world.clerk_a, world.admin):
        api = world.api(user)
        nobody = check(api, kind="denunciation", id_numbers=[UNUSED])
        assert nobody.status_code == 200 and nobody.json() == {"duplicates": []}
        for number in DENOUNCERS:
            answer = check(api, kind="denunciation", id_numbers=[number])
            assert answer.status_code == nobody.status_code, user
            assert answer.content == nobody.content, user
        both = check(api, kind="denunciation", id_numbers=[*DENOUNCERS, UNUSED])
        assert both.content == nobody.content
    # Those who may reveal the denouncer are told.
    for user in (world.handler_a, world.head_a):
        answer = check(world.api(user), kind="denunciation", id_numbers=[DENOUNCERS[0]])
        assert answer.json() == {"duplicates": [codes[0]]}


def test_the_handler_is_told_and_every_sealed_lookup_audited(world: Any) -> None:
    code = denounce(world, DENOUNCERS[0])
    before = AuditEvent.objects.filter(action="petition.duplicate_check").count()
    api = world.api(world.official_b)
    check(api, kind="denunciation", id_numbers=[UNUSED])
    assert AuditEvent.objects.filter(action="petition.duplicate_check").count() == before
    assert told(world, code) == 0
    for _ in range(2):
        check(api, kind="denunciation", id_numbers=[DENOUNCERS[0]])
    events = AuditEvent.objects.filter(action="petition.duplicate_check", matter=code)
    assert events.count() == 2
    event = events.first()
    assert event is not None and event.actor == "official_b"
    assert event.data["by_unit"] == "B" and event.data["told"] is False
    # Once a day per asking unit, naming the unit and nothing that was asked.
    assert told(world, code) == 1
    note = Notification.objects.get(user=world.handler_a, kind="petition.duplicate_elsewhere")
    assert "Sở B" in note.text and DENOUNCERS[0] not in note.text
    assert not Notification.objects.filter(
        user=world.official_b, kind="petition.duplicate_elsewhere"
    ).exists()
    # A lookup by someone who may reveal it is audited too, and tells nobody.
    check(world.api(world.head_a), kind="denunciation", id_numbers=[DENOUNCERS[0]])
    assert events.count() == 3 and told(world, code) == 1


def test_a_sealed_petitions_content_is_named_only_within_scope(world: Any) -> None:
    code = denounce(world, DENOUNCERS[0], content=SEALED_TEXT)
    outsider = check(world.api(world.official_b), content=SEALED_TEXT)
    assert outsider.json() == {"duplicates": []}
    assert told(world, code) == 1
    # Within scope the content is visible anyway, so the code is named; and adding an ID
    # number changes nothing for someone who may not reveal the denouncer.
    leader = world.api(world.leader_p)
    assert check(leader, content=SEALED_TEXT).json() == {"duplicates": [code]}
    with_id = check(leader, kind="denunciation", content=SEALED_TEXT, id_numbers=[DENOUNCERS[0]])
    without = check(leader, kind="denunciation", content=SEALED_TEXT, id_numbers=[UNUSED])
    assert with_id.content == without.content


def test_intake_and_pages_never_name_a_sealed_petition_out_of_scope(world: Any) -> None:
    code = denounce(world, DENOUNCERS[0], content=SEALED_TEXT)
    again = file(
        world,
        user=world.official_b,
        kind="denunciation",
        category="corruption",
        content="Một tố cáo khác hẳn của cùng người.",
        petitioners=[{"full_name": "Người Tố Cáo", "id_number": DENOUNCERS[0], "address": "x"}],
    )
    assert code not in again["duplicates"]
    assert told(world, code) == 1
    intake = AuditEvent.objects.get(action="petition.duplicate_check", matter=code)
    assert intake.data["origin"] == "intake" and intake.data["petition"] == again["code"]
    copy = file(world, user=world.official_b, kind="complaint", content=SEALED_TEXT)
    assert copy["duplicates"] == []
    api = world.api(world.official_b)
    for mine in (again["code"], copy["code"]):
        assert code not in api.get(f"petitions/{mine}").json()["duplicates"]
        shown = api.get(f"petitions/{mine}/duplicates").json()
        assert code not in shown["duplicates"] and shown["group"] == []
    browser = Client()
    browser.force_login(world.official_b)
    for mine in (again["code"], copy["code"]):
        for url in (f"/petitions/{mine}/", f"/registry/petition/{mine}/duplicates/"):
            page = browser.get(url)
            assert page.status_code == 200 and code not in page.content.decode(), url
    # Linking to it answers as for a petition that does not exist.
    linked = api.post(f"petitions/{copy['code']}/duplicate-of", {"original": code})
    missing = api.post(f"petitions/{copy['code']}/duplicate-of", {"original": "D2026-33-999999"})
    assert linked.status_code == missing.status_code == 422
    assert linked.json()["errors"]["original"].replace(code, "X") == missing.json()["errors"][
        "original"
    ].replace("D2026-33-999999", "X")
    # A leader who sees both units is named the sealed petition whose content was copied.
    assert code in world.api(world.leader_p).get(f"petitions/{copy['code']}").json()["duplicates"]


def test_a_group_hides_its_sealed_members_out_of_scope(world: Any) -> None:
    code = denounce(world, DENOUNCERS[0])
    complaint = file(world, user=world.official_b, content="Khiếu nại ở B, nội dung khác.")
    # The sealed petition's handler links it to B's complaint (complaints are named anywhere).
    linked = world.api(world.handler_a).post(
        f"petitions/{code}/duplicate-of", {"original": complaint["code"]}
    )
    assert linked.status_code == 200, linked.content
    assert [row["code"] for row in linked.json()["group"]] == [complaint["code"], code]
    seen = world.api(world.official_b).get(f"petitions/{complaint['code']}/duplicates").json()
    assert seen == {"code": complaint["code"], "duplicates": [], "group": []}


def test_the_check_is_rate_limited_per_official_and_per_address(world: Any, settings: Any) -> None:
    settings.DUPLICATE_CHECKS_PER_OFFICIAL = 3
    settings.DUPLICATE_CHECKS_PER_ADDRESS = 5
    first = world.api(world.official_b)
    first.client = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(3):
        assert check(first, id_numbers=[UNUSED]).status_code == 200
    refused = check(first, id_numbers=[UNUSED])
    assert refused.status_code == 429
    assert (
        int(refused["Retry-After"]) > 0 and "too many duplicate checks" in refused.json()["detail"]
    )
    # Each ID number is one lookup: two numbers do not fit in the two left for another official.
    second = world.api(world.head_b)
    second.client = Client(REMOTE_ADDR="198.51.100.1")
    assert check(second, id_numbers=[UNUSED, DENOUNCERS[0], DENOUNCERS[1]]).status_code == 429
    assert check(second, id_numbers=[UNUSED, DENOUNCERS[0]]).status_code == 200
    # The address has had its five; the same official from another address has not.
    assert check(second, id_numbers=[UNUSED]).status_code == 429
    second.client = Client(REMOTE_ADDR="198.51.100.2")
    assert check(second, id_numbers=[UNUSED]).status_code == 200


def test_the_check_refuses_what_it_cannot_answer(world: Any) -> None:
    api = world.api(world.official_b)
    empty = check(api)
    assert empty.status_code == 422 and "content" in empty.json()["errors"]
    many = check(api, id_numbers=[f"0010990{i:05d}" for i in range(51)])
    assert many.status_code == 422 and "id_numbers" in many.json()["errors"]
