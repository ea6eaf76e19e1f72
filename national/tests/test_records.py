"""Every change of a petition becomes a new version of its national record, in the same
transaction; a denouncer never leaves; ``export-national`` writes the same records."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from jsonschema import Draft202012Validator

from national.models import Record
from national.records import SCHEMA_PATH
from outbox.models import Message
from petitions.duplicates import id_key
from petitions.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
CHECK = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
BASIS = "Điều 26 khoản 2 Luật Tiếp công dân"
# A denouncer nobody may learn about.
SECRET = {
    "full_name": "Trần Thị Kín Đáo",
    "id_number": "034099887766",
    "address": "Số 7 ngõ Bí Mật",
    "phone": "0987654321",
}


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def records(code: str) -> list[Record]:
    return list(Record.objects.filter(code=code).order_by("version"))


def valid(payload: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in CHECK.iter_errors(payload)]
    assert errors == []


def test_the_life_of_a_complaint_is_a_series_of_versions(world: Any) -> None:
    code = file(world)["code"]
    a, b = world.api(world.clerk_a), world.api(world.official_b)
    steps = [
        (a, "transfer", {"to": "B", "reason": "Thuộc Sở B", "legal_basis": BASIS}),
        (b, "accept", {"accepted_on": "2027-03-05", "complexity": "normal"}),
        (b, "extend", {"reason": "Phức tạp", "decision_no": "12/QĐ-GH", "complexity": "complex"}),
        (b, "suspend", {"on": "2027-03-08", "reason": "Chờ giám định"}),
        (b, "resume", {"on": "2027-03-12"}),
        (b, "resolve", {"resolved_on": "2027-03-14", "outcome": "Giữ nguyên", "decision_no": "5"}),
    ]
    for api, action, data in steps:
        response = api.post(f"petitions/{code}/{action}", data)
        assert response.status_code == 200, (action, response.content)
    log = records(code)
    assert [r.version for r in log] == [1, 2, 3, 4, 5, 6, 7]
    assert [r.event for r in log] == [
        "receive",
        "transfer",
        "accept",
        "extend",
        "suspend",
        "resume",
        "resolve",
    ]
    for record in log:
        valid(record.payload)
    first, moved, last = log[0].payload, log[1].payload, log[-1].payload
    assert (first["owner"]["code"], first["status"], first["kind_code"]) == ("A", "received", "KN")
    assert first["petitioners"]["people"][0]["full_name"] == "Nguyễn Văn An"
    # The phone number stays at home: the national database does not need it.
    assert "0912345678" not in json.dumps(first)
    assert moved["owner"]["code"] == "B" and moved["handoffs"][0]["legal_basis"] == BASIS
    assert last["status"] == "resolved" and last["result"]["decision_no"] == "5"
    assert last["extensions"][0]["decision_no"] == "12/QĐ-GH"
    assert last["suspensions"] == [{"on": "2027-03-08", "resumed_on": "2027-03-12"}]
    # The outbox holds the same records, keyed petition:version, in order for the petition.
    messages = list(Message.objects.filter(channel="national", order_key=code).order_by("id"))
    assert [m.key for m in messages] == [f"{code}:{v}" for v in range(1, 8)]
    assert [m.payload for m in messages] == [r.payload for r in log]


def test_a_refused_or_conflicting_action_records_nothing(world: Any) -> None:
    code = file(world)["code"]
    api = world.api(world.clerk_a)
    assert api.post(f"petitions/{code}/accept", {"accepted_on": "2099-01-01"}).status_code == 422
    assert api.post(f"petitions/{code}/resolve", {}).status_code == 422
    stale = {"accepted_on": "2027-03-05", "version": 99}
    assert api.post(f"petitions/{code}/accept", stale).status_code == 409
    assert world.api(world.official_b).post(f"petitions/{code}/file_away", {"reason": "x"})
    assert [r.version for r in records(code)] == [1]
    assert Message.objects.filter(order_key=code).count() == 1


def test_a_denouncer_never_leaves(world: Any) -> None:
    code = file(world, kind="denunciation", petitioners=[SECRET], signers=1)["code"]
    api = world.api(world.clerk_a)
    assert api.post(f"petitions/{code}/accept", {"accepted_on": "2027-03-05"}).status_code == 200
    log = records(code)
    assert len(log) == 2
    outgoing = [m.payload for m in Message.objects.filter(order_key=code)]
    dumped = json.dumps([r.payload for r in log] + outgoing, ensure_ascii=False)
    for value in (*SECRET.values(), id_key(SECRET["id_number"]), "Kín Đáo", "Bí Mật"):
        assert value not in dumped
    for record in log:
        valid(record.payload)
        assert record.payload["petitioners"] == {"sealed": True}
        assert "content" not in record.payload
        assert record.payload["kind_code"] == "TC"
    # The schema itself refuses a denunciation that carries people or content.
    leaked = dict(log[0].payload, petitioners={"sealed": False, "people": []})
    assert not CHECK.is_valid(leaked)
    assert not CHECK.is_valid(dict(log[0].payload, content="x"))


def test_a_visit_that_registers_a_petition_records_it(world: Any) -> None:
    from petitions.services.reception import visit_record

    visit = visit_record(
        actor=world.clerk_a,
        visited_on=date(2027, 3, 15),
        content="Phản ánh đường liên thôn xuống cấp",
        full_name="Lê Văn Bình",
        petition={"kind": "proposal", "area": world.commune.code, "category": "other"},
    )
    assert visit.petition is not None
    (record,) = records(visit.petition.matter.code)
    assert (record.version, record.event, record.payload["channel"]) == (1, "receive", "in_person")
    valid(record.payload)


def test_export_national_writes_the_same_records_and_they_fit_the_schema(
    world: Any, tmp_path: Path
) -> None:
    with time_machine.travel("2027-03-10 10:00 +07:00", tick=False):
        early = file(world, received_on="2027-03-09")["code"]
    late = file(world, kind="denunciation", petitioners=[SECRET])["code"]
    world.api(world.clerk_a).post(f"petitions/{late}/accept", {"accepted_on": "2027-03-05"})
    out = tmp_path / "national.jsonl"
    call_command("export-national".replace("-", "_"), since="2027-03-15", output=str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["petition"], r["version"]) for r in lines] == [(late, 1), (late, 2)]
    assert lines == [r.payload for r in records(late)]
    for line in lines:
        valid(line)
    assert SECRET["full_name"] not in out.read_text(encoding="utf-8")
    call_command("export_national", since="2027-03-01", until="2027-03-10", output=str(out))
    assert [json.loads(x)["petition"] for x in out.read_text().splitlines()] == [early]
    with pytest.raises(CommandError):
        call_command("export_national", since="15/03/2027", output=str(out))
    with pytest.raises(CommandError):
        call_command("export_national", since="2027-03-10", until="2027-03-01", output=str(out))


def test_export_refuses_a_record_that_does_not_fit_and_writes_no_file(
    world: Any, tmp_path: Path
) -> None:
    code = file(world)["code"]
    record = Record.objects.get(code=code)
    record.payload["petitioners"] = {"sealed": True, "people": [{"full_name": "x"}]}
    record.save(update_fields=["payload"])
    out = tmp_path / "national.jsonl"
    with pytest.raises(CommandError, match="1 records"):
        call_command("export_national", since="2027-03-01", output=str(out))
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_imported_register_is_recorded_after_the_import(
    world: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    import io

    from registry.tests.helpers import register, row

    path = register(
        tmp_path / "so.xlsx",
        [
            row(),
            row(
                **{
                    "Loại đơn": "Tố cáo",
                    "Họ tên": SECRET["full_name"],
                    "Số CCCD": SECRET["id_number"],
                }
            ),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_petitions", str(path), "--unit", "A", stdout=io.StringIO())
    log = list(Record.objects.order_by("code"))
    assert [(r.version, r.event) for r in log] == [(1, "receive"), (1, "receive")]
    assert {r.payload["kind_code"] for r in log} == {"KN", "TC"}
    for record in log:
        valid(record.payload)
    assert SECRET["full_name"] not in json.dumps([r.payload for r in log], ensure_ascii=False)
    assert Message.objects.filter(channel="national").count() == 2
    # An action afterwards is version 2; the daily sweep finds nothing left to record.
    code = log[0].code
    world.api(world.clerk_a).post(f"petitions/{code}/file_away", {"reason": "Trùng"})
    assert [r.version for r in records(code)] == [1, 2]
    from national.services import record_unrecorded

    assert record_unrecorded(matter_ids=None) == 0
    Record.objects.filter(code=log[1].code).delete()
    assert record_unrecorded(matter_ids=None) == 1


def test_a_record_lists_its_fields_in_one_order(world: Any) -> None:
    from datetime import UTC, datetime

    from matters.models import Matter
    from national.records import petitions_for_records, record_payload

    codes = [file(world)["code"], file(world, kind="denunciation", petitioners=[SECRET])["code"]]
    ids = Matter.objects.filter(code__in=codes).order_by("code").values_list("id", flat=True)
    at = datetime(2027, 3, 15, 2, 0, tzinfo=UTC)
    open_one, sealed = (
        record_payload(p, version=3, event="accept", at=at)
        for p in sorted(petitions_for_records(ids), key=lambda p: p.matter.code)
    )
    common = (
        "schema_version record_id petition version event event_at source province kind "
        "kind_code channel received_on area category summary signers instance first_instance "
        "disciplinary complexity remote owner status state intake deadline accepted_on "
        "extensions suspensions handoffs bounces result"
    ).split()
    assert list(open_one) == [*common, "content", "petitioners"]
    assert list(sealed) == [*common, "petitioners"]
    assert list(open_one["intake"]) == [
        "decision",
        "grounds",
        "refusal_ground",
        "guided_to",
        "processing_due_on",
    ]
    assert list(open_one["deadline"]) == [
        "rule",
        "source",
        "start",
        "due_on",
        "extension_days",
        "suspended_days",
    ]
    assert list(open_one["result"]) == ["closed_on", "resolved_on", "decision_no", "outcome"]
    assert (open_one["record_id"], open_one["event"], open_one["version"]) == (
        f"{codes[0]}:3",
        "accept",
        3,
    )
    assert open_one["petitioners"]["people"][0]["full_name"] == "Nguyễn Văn An"
    assert open_one["content"] and sealed["petitioners"] == {"sealed": True}
    valid(open_one)
    valid(sealed)
