"""POST /api/v1/petitions: the contract, validation, sealing, PIN, duplicates."""

from __future__ import annotations

import unicodedata

import pytest

from audit.models import AuditEvent
from matters.models import Matter
from notifications.models import Notification
from petitions.models import IdempotencyRecord, Petition, Petitioner, PetitionerKey
from petitions.services import receipt_pin_matches
from petitions.tests.helpers import body, file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _now():
    with travel():
        yield


def test_intake_answers_the_contract(world):
    data = file(world)
    for field in (
        "code",
        "kind",
        "title",
        "area",
        "owner",
        "status",
        "due_on",
        "state",
        "bounces",
        "handoffs",
        "receipt_pin",
        "duplicates",
        "petitioners",
    ):
        assert field in data, field
    assert data["kind"] == "petition"
    assert data["petition_kind"] == "complaint"
    assert data["code"].startswith("D2027-33-")
    assert data["owner"] == "A"
    assert data["handler"] == "clerk_a"
    assert data["status"] == "received"
    assert data["bounces"] == 0 and data["handoffs"] == []
    assert len(data["receipt_pin"]) == 6 and data["receipt_pin"].isdigit()
    assert data["petitioners"][0]["id_number"] == "034080001234"
    # K2 from 01/07/2026: 7 working days after Mon 01/03/2027 -> Wed 10/03/2027.
    assert data["due_on"] == "2027-03-10"
    assert data["state"] == "overdue"
    petition = Petition.objects.get(matter__code=data["code"])
    assert petition.processing_rule.ref == "K2"
    assert receipt_pin_matches(petition, data["receipt_pin"])
    assert not receipt_pin_matches(
        petition, "000000" if data["receipt_pin"] != "000000" else "111111"
    )
    assert data["receipt_pin"] not in petition.receipt_pin_hash
    assert AuditEvent.objects.filter(action="petition.receive", matter=data["code"]).count() == 1


def test_the_pin_is_shown_once(world):
    data = file(world)
    again = world.api(world.clerk_a).get(f"petitions/{data['code']}").json()
    assert "receipt_pin" not in again


def test_owner_defaults_to_caller_and_can_be_a_unit_below(world):
    data = file(world, user=world.head_b)
    assert data["owner"] == "B"
    below = file(world, user=world.leader_p, owner="C")
    assert below["owner"] == "C"
    assert below["handler"] == "leader_p"


def test_filing_for_a_unit_out_of_reach_is_422(world):
    response = world.api(world.clerk_a).post("petitions", body(world, owner="B"))
    assert response.status_code == 422
    assert "owner" in response.json()["errors"]
    assert not Matter.objects.exists()


def test_arrival_notifies_head_not_filer(world):
    data = file(world)
    assert Notification.objects.filter(
        user=world.head_a, matter=data["code"], kind="petition.arrived"
    ).exists()
    assert not Notification.objects.filter(user=world.clerk_a, matter=data["code"]).exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"kind": "letter"}, "kind"),
        ({"channel": "fax"}, "channel"),
        ({"received_on": "2027-03-16"}, "received_on"),
        ({"area": "99999"}, "area"),
        ({"category": "nope"}, "category"),
        ({"summary": "  "}, "summary"),
        ({"signers": 0}, "signers"),
        ({"owner": "ZZ"}, "owner"),
        ({"petitioners": []}, "petitioners"),
        ({"petitioners": [{"full_name": "A", "id_number": "12345"}]}, "petitioners.0.id_number"),
        (
            {"petitioners": [{"full_name": "A", "id_number": "03408000123X"}]},
            "petitioners.0.id_number",
        ),
        (
            {"petitioners": [{"full_name": "", "id_number": "034080001234"}]},
            "petitioners.0.full_name",
        ),
        ({"petitioners": [{"full_name": "A", "phone": "12"}]}, "petitioners.0.phone"),
        ({"signers": 1, "petitioners": [{"full_name": "A"}, {"full_name": "B"}]}, "signers"),
        ({"representative": "Người ngoài"}, "representative"),
        ({"first_instance": "D2027-33-999999"}, "first_instance"),
        ({"kind": "proposal", "disciplinary": True}, "disciplinary"),
        ({"received_on": "2011-01-01"}, "received_on"),
        ({"received_on": "01/03/2027"}, "received_on"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_stores_nothing(world, override, field):
    response = world.api(world.clerk_a).post("petitions", body(world, **override))
    assert response.status_code == 422, response.content
    payload = response.json()
    assert field in payload["errors"], payload
    assert payload["detail"]
    assert not Matter.objects.exists()
    assert not Petitioner.objects.exists()
    assert not AuditEvent.objects.filter(action="petition.receive").exists()


def test_every_bad_field_at_once(world):
    response = world.api(world.clerk_a).post(
        "petitions", body(world, kind="x", channel="y", area="00000", signers=0)
    )
    assert response.status_code == 422
    assert {"kind", "channel", "area", "signers"} <= set(response.json()["errors"])


def test_old_nine_digit_card_is_accepted(world):
    data = file(world, petitioners=[{"full_name": "Trần Thị Bình", "id_number": "151234567"}])
    assert data["petitioners"][0]["id_number"] == "151234567"


def test_auditor_cannot_file(world):
    response = world.api(world.auditor_p).post("petitions", body(world))
    assert response.status_code == 403


def test_anonymous_is_401(world):
    response = world.api(None).post("petitions", body(world))
    assert response.status_code == 401


def test_denunciation_is_sealed_and_keeps_nothing_personal(world):
    data = file(
        world,
        kind="denunciation",
        summary="Tố cáo cán bộ địa chính nhận tiền",
        petitioners=[
            {
                "full_name": "SENTINEL Lê Văn Kín",
                "id_number": "034099887766",
                "address": "SENTINEL-ADDR",
                "phone": "0987654321",
            }
        ],
        representative="SENTINEL Lê Văn Kín",
    )
    assert data["sealed"] is True
    assert "petitioners" not in data
    assert "SENTINEL" not in str(data)
    detail = world.api(world.head_a).get(f"petitions/{data['code']}")
    assert "SENTINEL" not in detail.content.decode()
    assert "petitioners" not in detail.json()
    assert not Petitioner.objects.exists()
    assert not PetitionerKey.objects.exists()
    assert Petition.objects.get(matter__code=data["code"]).representative == ""
    for event in AuditEvent.objects.all():
        assert "SENTINEL" not in str(event.data)
        assert "034099887766" not in str(event.data)
    for note in Notification.objects.all():
        assert "SENTINEL" not in note.text
    # T1: 7 working days from Mon 01/03/2027 -> Wed 10/03/2027.
    assert data["due_on"] == "2027-03-10"


def test_denunciation_goes_to_the_vault_when_there_is_one(world, monkeypatch):
    sealed: list = []

    def fake_seal(code, petitioners):
        sealed.append((code, petitioners))
        return "ref-123"

    monkeypatch.setattr("petitions.identity.vault_sealer", lambda: fake_seal)
    data = file(
        world,
        kind="denunciation",
        petitioners=[{"full_name": "Người Tố Cáo", "id_number": "034099887766"}],
    )
    assert sealed[0][0] == data["code"]
    assert sealed[0][1][0]["full_name"] == "Người Tố Cáo"
    assert Petition.objects.get(matter__code=data["code"]).vault_ref == "ref-123"
    assert not Petitioner.objects.exists()


def test_anonymous_denunciation_and_proposal_need_no_petitioner(world):
    assert file(world, kind="denunciation", petitioners=[])["sealed"] is True
    proposal = file(world, kind="proposal", petitioners=[], channel="online")
    assert proposal["petitioners"] == []


def test_processing_rule_by_kind_and_channel(world):
    # R1 for a proposal received in person (10 WD), R3 (10 days, configurable) by post.
    in_person = file(world, kind="proposal", channel="in_person")
    by_post = file(world, kind="proposal", channel="post")
    rules = {
        p.matter.code: p.processing_rule.ref
        for p in Petition.objects.select_related("matter", "processing_rule")
    }
    assert rules[in_person["code"]] == "R1"
    assert in_person["due_on"] == "2027-03-15"  # 10 WD after Mon 01/03
    assert rules[by_post["code"]] == "R3"
    assert by_post["due_on"] == "2027-03-11"  # 10 days, Thu 11/03


def test_disciplinary_complaint_uses_k11(world):
    data = file(world, disciplinary=True)
    deadline = world.api(world.clerk_a).get(f"petitions/{data['code']}/deadline").json()
    assert (deadline["rule"], deadline["variant"], deadline["days"]) == ("K11", "accept", 10)
    assert data["due_on"] == "2027-03-11"


def test_second_instance_links_to_the_first_and_uses_k6(world):
    first = file(world)
    second = file(world, user=world.leader_p, first_instance=first["code"], owner="P")
    assert second["instance"] == 2
    assert second["first_instance"] == first["code"]
    deadline = world.api(world.leader_p).get(f"petitions/{second['code']}/deadline").json()
    assert deadline["rule"] == "K6"
    # 10 working days after Mon 01/03/2027.
    assert second["due_on"] == "2027-03-15"
    response = world.api(world.leader_p).post(
        "petitions", body(world, first_instance=second["code"])
    )
    assert response.status_code == 422 and "first_instance" in response.json()["errors"]


def test_duplicates_by_id_number_across_units_and_by_content(world):
    first = file(world)
    other_unit = file(world, user=world.official_b, content="Nội dung khác hẳn", summary="Khác")
    assert other_unit["duplicates"] == [first["code"]]
    same_text = file(
        world,
        user=world.official_b,
        petitioners=[{"full_name": "Người khác"}],
        content="gia dinh toi KHONG dong y voi quyet dinh thu hoi dat so 12/QD-UBND",
    )
    assert first["code"] in same_text["duplicates"]
    assert (
        file(world, petitioners=[{"full_name": "X"}], content="Một việc hoàn toàn mới")[
            "duplicates"
        ]
        == []
    )


def test_multi_signer_representatives_are_limited(world):
    people = [{"full_name": f"Người {i}", "representative": i < 3} for i in range(6)]
    response = world.api(world.clerk_a).post(
        "petitions", body(world, signers=8, petitioners=people)
    )
    assert response.status_code == 422
    assert "petitioners" in response.json()["errors"]
    people = [{"full_name": f"Người {i}", "representative": i < 2} for i in range(6)]
    data = file(world, signers=8, petitioners=people, representative="Người 0")
    assert data["signers"] == 8
    assert [p["representative"] for p in data["petitioners"]][:3] == [True, True, False]


def test_text_is_stored_in_nfc(world):
    decomposed = unicodedata.normalize("NFD", "Khiếu nại đất đai")
    data = file(world, summary=decomposed)
    assert data["title"] == unicodedata.normalize("NFC", "Khiếu nại đất đai") != decomposed


def test_idempotency_key_replays_and_refuses_another_body(world):
    api = world.api(world.clerk_a)
    first = api.post("petitions", body(world), headers={"Idempotency-Key": "k-1"})
    again = api.post("petitions", body(world), headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Matter.objects.count() == 1
    other = api.post("petitions", body(world, summary="Khác"), headers={"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["errors"]
    assert Matter.objects.count() == 1
    # Another official's key of the same name is theirs alone.
    mine = world.api(world.handler_a).post(
        "petitions", body(world), headers={"Idempotency-Key": "k-1"}
    )
    assert mine.status_code == 201 and mine.json()["code"] != first.json()["code"]


def test_refused_request_does_not_burn_the_key(world):
    api = world.api(world.clerk_a)
    bad = api.post("petitions", body(world, area="99999"), headers={"Idempotency-Key": "k-2"})
    assert bad.status_code == 422
    assert not IdempotencyRecord.objects.exists()
    good = api.post("petitions", body(world), headers={"Idempotency-Key": "k-2"})
    assert good.status_code == 201
