"""The citizens' front door through the API: contact codes, filing routed by the rules as
data, photos without metadata, messages at every change of status, the answer and history,
rating and reopening, and the abuse guards."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEvent
from citizens import services
from citizens.models import ContactCode, Feedback, Photo, PublicFiling, Reopening, RoutingRule
from citizens.tests.helpers import (
    ADDRESS,
    CITIZEN,
    EMAIL,
    PHONE,
    SECRETS,
    body,
    client,
    file_one,
    front,
    jpeg,
    last_code,
    post,
    verified,
)
from matters.models import Matter
from outbox.models import Message
from outbox.services import deliver_due
from petitions.models import Petition, Petitioner
from petitions.services import petition_accept, petition_resolve

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def f(world: Any, settings: Any, tmp_path: Any) -> Any:
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    return front(world)


def matter_of(code: str) -> Matter:
    return Matter.objects.get(code=code)


def test_a_proposal_is_filed_owned_by_the_reception_office_without_a_rule(f: Any) -> None:
    data = file_one(f)
    assert set(data) == {"code", "receipt_pin", "status", "owner", "due_on"}
    assert data["owner"] == "TCD" and data["status"] == "received" and data["due_on"]
    matter = matter_of(data["code"])
    petition = matter.petition
    assert petition.channel == "online" and matter.handler is None
    filing = PublicFiling.objects.get(petition=petition)
    assert filing.contact == EMAIL and filing.public and filing.contact_verified
    assert (filing.public_lat, filing.public_lon) == (20.646, 106.051)
    receipt = Message.objects.get(key=f"{data['code']}-received")
    assert data["receipt_pin"] in receipt.payload["body"] and receipt.payload["to"] == EMAIL
    # The code is used: the same code cannot file again.
    again = post("petitions", body(f, contact={"email": EMAIL, "code": "000000"}))
    assert again.status_code == 422 and "contact" in again.json()["errors"]


def test_routing_rules_as_data_pick_the_most_precise_unit(f: Any) -> None:
    w = f.world
    services.routing_rule_save(actor=w.admin, area="33", category=None, unit="B")
    assert file_one(f)["owner"] == "B"
    services.routing_rule_save(actor=w.admin, area="33", category=f.category, unit="A")
    assert file_one(f)["owner"] == "A"
    services.routing_rule_save(actor=w.admin, area=f.commune, category=None, unit="C")
    assert file_one(f)["owner"] == "C"
    assert RoutingRule.objects.count() == 3
    assert AuditEvent.objects.filter(action="citizens.routing_rule").count() == 3


def test_only_administrators_change_routing_rules(f: Any) -> None:
    from common.errors import Forbidden

    with pytest.raises(Forbidden):
        services.routing_rule_save(actor=f.world.head_a, area="33", category=None, unit="B")
    assert not RoutingRule.objects.exists()


def test_complaint_needs_name_id_and_address_and_nothing_is_stored(f: Any) -> None:
    contact = verified()
    before = Matter.objects.count()
    response = post(
        "petitions",
        body(f, kind="complaint", public=False, contact=contact, petitioner={"full_name": "A"}),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"petitioner.id_number", "petitioner.address"} <= set(errors)
    assert Matter.objects.count() == before
    # The code was not used up by the refused request.
    ok = post(
        "petitions", body(f, kind="complaint", public=False, contact=contact, petitioner=CITIZEN)
    )
    assert ok.status_code == 201, ok.content
    petition = matter_of(ok.json()["code"]).petition
    assert Petitioner.objects.get(petition=petition).id_number == CITIZEN["id_number"]


def test_public_is_for_proposals_only(f: Any) -> None:
    response = post("petitions", body(f, kind="complaint", petitioner=CITIZEN, contact=verified()))
    assert response.status_code == 422 and "public" in response.json()["errors"]


def test_a_denunciation_is_sealed_and_its_contact_too(f: Any) -> None:
    data = file_one(f, kind="denunciation", public=False, petitioner=CITIZEN)
    petition = matter_of(data["code"]).petition
    assert petition.sealed and petition.vault_ref
    assert not Petitioner.objects.filter(petition=petition).exists()
    filing = PublicFiling.objects.get(petition=petition)
    assert filing.contact.startswith("sealed:") and EMAIL not in filing.contact
    receipt = Message.objects.get(key=f"{data['code']}-received")
    assert receipt.payload["to"].startswith("sealed:")
    deliver_due()
    receipt.refresh_from_db()
    assert receipt.status == "sent"
    from django.core import mail

    assert mail.outbox[-1].to == [EMAIL]


def test_wrong_expired_and_used_up_codes_are_422_naming_contact(f: Any) -> None:
    assert post("contacts", {"phone": PHONE}).status_code == 202
    code = last_code(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(services.CODE_TRIES):
        r = post("petitions", body(f, contact={"phone": PHONE, "code": wrong}))
        assert r.status_code == 422 and "contact" in r.json()["errors"]
    # Five wrong tries: even the right code is refused now.
    r = post("petitions", body(f, contact={"phone": PHONE, "code": code}))
    assert r.status_code == 422 and "contact" in r.json()["errors"]
    assert not PublicFiling.objects.exists()
    post("contacts", {"phone": PHONE}, "198.51.100.21")
    fresh = last_code(PHONE)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        r = post("petitions", body(f, contact={"phone": PHONE, "code": fresh}))
    assert r.status_code == 422 and "contact" in r.json()["errors"]
    assert ContactCode.objects.filter(used_at__isnull=False).count() == 0


def test_bad_contact_is_422_naming_the_field(f: Any) -> None:
    r = post("contacts", {"email": "not-an-address"})
    assert r.status_code == 422 and "email" in r.json()["errors"]
    r = post("contacts", {})
    assert r.status_code == 422 and "contact" in r.json()["errors"]
    assert not ContactCode.objects.exists()


def test_sms_code_is_a_file_with_the_number_first(f: Any, settings: Any) -> None:
    post("contacts", {"phone": PHONE})
    deliver_due()
    files = list((settings.OUTBOX_DIR).glob("*.txt"))
    assert len(files) == 1
    lines = files[0].read_text().splitlines()
    assert lines[0] == PHONE and last_code(PHONE) in lines[1]


def test_every_status_change_sends_one_short_message(f: Any, settings: Any) -> None:
    data = file_one(f)
    code = data["code"]
    petition = Petition.objects.get(matter__code=code)
    actor = __import__("conftest").make_official("tcd_clerk", f.office, ["clerk", "handler"])
    petition_accept(actor=actor, petition=petition, accepted_on=timezone.localdate())
    petition = Petition.objects.select_related("matter").get(matter__code=code)
    petition_resolve(
        actor=actor,
        petition=petition,
        resolved_on=timezone.localdate(),
        outcome="Đã thay đèn mới.",
    )
    messages = list(Message.objects.filter(channel="email", order_key=code).order_by("id"))
    events = [m.key.split("-")[3] for m in messages]
    assert events == ["received", "accept", "resolve"], events
    last = messages[-1].payload["body"]
    assert code in last and "đã giải quyết" in last and "Ban Tiếp công dân tỉnh" in last
    for m in messages:
        for bit in ("Đã thay đèn mới", "Đèn đường", "ngõ 5"):
            assert bit not in m.payload["body"]
    while deliver_due().claimed:
        pass
    assert Message.objects.filter(channel="email", order_key=code, status="sent").count() == len(
        messages
    )
    assert len(list(settings.OUTBOX_DIR.glob("*.eml"))) == len(messages) + 1  # and the code


def test_photos_are_cleaned_limited_and_checked_by_content(f: Any) -> None:
    from PIL import Image

    data = file_one(f)
    url = f"/api/v1/public/petitions/{data['code']}/media?pin={data['receipt_pin']}"
    original = jpeg()
    assert b"CameraMaker" in original
    r = client().post(url, {"file": SimpleUploadedFile("a.jpg", original, "image/jpeg")})
    assert r.status_code == 201, r.content
    photo = Photo.objects.get()
    stored = photo.file.read()
    assert b"CameraMaker" not in stored and b"Exif" not in stored
    assert not Image.open(photo.file.path).getexif()
    # A text file named .jpg is refused by its content.
    r = client().post(url, {"file": SimpleUploadedFile("b.jpg", b"hello world" * 10, "image/jpeg")})
    assert r.status_code == 422 and "file" in r.json()["errors"]
    # A JPEG header over garbage does not decode.
    r = client().post(
        url, {"file": SimpleUploadedFile("c.jpg", b"\xff\xd8\xff" + b"0" * 500, "image/jpeg")}
    )
    assert r.status_code == 422 and "file" in r.json()["errors"]
    for i in range(4):
        r = client().post(url, {"file": SimpleUploadedFile(f"{i}.jpg", jpeg(), "image/jpeg")})
        assert r.status_code == 201
    r = client().post(url, {"file": SimpleUploadedFile("6.jpg", jpeg(), "image/jpeg")})
    assert r.status_code == 422 and "file" in r.json()["errors"]
    assert Photo.objects.count() == 5
    # A wrong PIN is the tracking's 404.
    bad = url.replace(data["receipt_pin"], "000000" if data["receipt_pin"] != "000000" else "1")
    r = client().post(bad, {"file": SimpleUploadedFile("x.jpg", jpeg(), "image/jpeg")})
    assert r.status_code == 404


def test_photos_after_24_hours_are_refused(f: Any) -> None:
    data = file_one(f)
    url = f"/api/v1/public/petitions/{data['code']}/media?pin={data['receipt_pin']}"
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        r = client().post(url, {"file": SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")})
    assert r.status_code == 422 and "file" in r.json()["errors"]
    assert not Photo.objects.exists()


def _close(f: Any, code: str, outcome: str = "Đã thay đèn mới.") -> None:
    petition = Petition.objects.select_related("matter").get(matter__code=code)
    clerk = __import__("conftest").make_official(
        f"c{code[-4:]}", petition.matter.owner, ["handler"]
    )
    petition_accept(actor=clerk, petition=petition, accepted_on=timezone.localdate())
    petition = Petition.objects.select_related("matter").get(matter__code=code)
    petition_resolve(
        actor=clerk, petition=petition, resolved_on=timezone.localdate(), outcome=outcome
    )


def test_tracking_shows_history_and_answer_and_nothing_personal(f: Any) -> None:
    data = file_one(f, petitioner=CITIZEN)
    _close(f, data["code"])
    r = client().get(f"/api/v1/public/petitions/{data['code']}", {"pin": data["receipt_pin"]})
    assert r.status_code == 200
    out = r.json()
    assert out["answer"] == "Đã thay đèn mới."
    assert [s["status"] for s in out["history"]] == ["received", "accepted", "resolved"]
    assert all(s["unit"] == "Ban Tiếp công dân tỉnh" for s in out["history"])
    text = r.content.decode()
    for bit in SECRETS:
        assert bit not in text


def test_feedback_only_after_closing_then_once(f: Any) -> None:
    data = file_one(f)
    url = f"petitions/{data['code']}/feedback"
    r = post(url, {"pin": data["receipt_pin"], "rating": 4})
    assert r.status_code == 409
    _close(f, data["code"])
    r = post(url, {"pin": data["receipt_pin"], "rating": 6})
    assert r.status_code == 422 and "rating" in r.json()["errors"]
    r = post(url, {"pin": data["receipt_pin"], "rating": 4, "comment": "Nhanh"})
    assert r.status_code == 201 and r.json()["reopened"] is False
    assert Feedback.objects.get().rating == 4
    r = post(url, {"pin": data["receipt_pin"], "rating": 5})
    assert r.status_code == 409


def test_not_resolved_reopens_a_proposal_with_the_same_owner_and_a_new_clock(f: Any) -> None:
    data = file_one(f)
    _close(f, data["code"])
    matter = matter_of(data["code"])
    old_rule = matter.rule_id
    later = timezone.now() + timedelta(days=10)
    with time_machine.travel(later):
        r = post(
            f"petitions/{data['code']}/feedback",
            {"pin": data["receipt_pin"], "rating": 1, "reopen": True},
        )
        assert r.status_code == 201, r.content
        assert r.json()["reopened"] is True and r.json()["status"] == "accepted"
        matter.refresh_from_db()
        assert matter.is_open and matter.owner.code == "TCD" and matter.closed_on is None
        assert matter.clock_start == later.date() and matter.rule_id == old_rule
        assert Reopening.objects.get().unit.code == "TCD"
        assert Message.objects.filter(order_key=data["code"], key__contains="-reopen-").exists()


def test_reopening_after_30_days_is_refused(f: Any) -> None:
    data = file_one(f)
    _close(f, data["code"])
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        r = post(
            f"petitions/{data['code']}/feedback",
            {"pin": data["receipt_pin"], "rating": 1, "reopen": True},
        )
    assert r.status_code == 422 and "reopen" in r.json()["errors"]
    assert not Feedback.objects.exists() and not Reopening.objects.exists()


def test_a_complaint_not_resolved_is_told_the_second_complaint_and_its_date(f: Any) -> None:
    data = file_one(f, kind="complaint", public=False, petitioner=CITIZEN)
    petition = Petition.objects.select_related("matter").get(matter__code=data["code"])
    clerk = __import__("conftest").make_official("kn", petition.matter.owner, ["handler"])
    petition_accept(actor=clerk, petition=petition, accepted_on=timezone.localdate())
    petition = Petition.objects.select_related("matter").get(matter__code=data["code"])
    petition_resolve(
        actor=clerk,
        petition=petition,
        resolved_on=timezone.localdate(),
        outcome="Giữ nguyên quyết định.",
        decision_no="12/QĐ",
    )
    r = post(
        f"petitions/{data['code']}/feedback",
        {"pin": data["receipt_pin"], "rating": 2, "reopen": True},
    )
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["reopened"] is False and "Điều 33" in out["next_step"] and out["due_on"]
    assert matter_of(data["code"]).is_open is False


def test_every_public_post_is_rate_limited_per_address(f: Any) -> None:
    for _ in range(services.CONTACT_LIMIT.limit):
        post("contacts", {"email": "x@"})
    r = post("contacts", {"email": EMAIL})
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert not ContactCode.objects.filter(address=EMAIL).exists()
    # Another address is not held up.
    assert post("contacts", {"email": EMAIL}, "198.51.100.99").status_code == 202
    for _ in range(services.FILING_LIMIT.limit):
        post("petitions", body(f, contact={"email": EMAIL, "code": "1"}), "203.0.113.50")
    r = post("petitions", body(f, contact={"email": EMAIL, "code": "1"}), "203.0.113.50")
    assert r.status_code == 429 and r["Retry-After"]


def test_the_honeypot_refuses_and_stores_nothing(f: Any) -> None:
    contact = verified()
    r = post("petitions", {**body(f, contact=contact), "website": "http://spam.example"})
    assert r.status_code == 422 and "website" in r.json()["errors"]
    assert not PublicFiling.objects.exists()
    assert ContactCode.objects.filter(used_at__isnull=True).count() == 1


def test_bad_input_names_the_field(f: Any) -> None:
    contact = verified()
    r = post("petitions", body(f, kind="wish", contact=contact))
    assert r.status_code == 422 and "kind" in r.json()["errors"]
    r = post("petitions", body(f, area="99999", contact=contact))
    assert r.status_code == 422 and "area" in r.json()["errors"]
    r = post("petitions", body(f, location={"lat": 48.0, "lon": 2.0}, contact=contact))
    assert r.status_code == 422 and "location" in r.json()["errors"]
    r = post("petitions", body(f, summary="", contact=contact))
    assert r.status_code == 422 and "summary" in r.json()["errors"]
    assert not Matter.objects.exists()


def test_data_request_is_tracked_with_its_clock(f: Any) -> None:
    data = file_one(f, petitioner=CITIZEN)
    r = post("data-requests", {"code": data["code"], "pin": data["receipt_pin"]})
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["request"].startswith("YC") and out["due_on"] and out["unit"]
    # The API answers in Vietnamese by default, in English when asked.
    assert "địa chỉ thư điện tử để báo tình hình xử lý" in out["held"]
    for bit in SECRETS:
        assert bit not in r.content.decode()
    asked = client().post(
        "/api/v1/public/data-requests",
        json.dumps({"code": data["code"], "pin": data["receipt_pin"]}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert asked.status_code == 201, asked.content
    assert "e-mail address for the status messages" in asked.json()["held"]
    r = post("data-requests", {"code": data["code"], "pin": "999999"})
    assert r.status_code == 404


def test_communes_and_nearby_help_the_form(f: Any) -> None:
    from areas.models import Area

    area = Area.objects.get(code=f.commune)
    r = client().get("/api/v1/public/communes", {"q": area.name[-4:]})
    assert r.status_code == 200 and any(row["code"] == f.commune for row in r.json())
    data = file_one(f)
    r = client().get(
        "/api/v1/public/nearby", {"lat": "20.6463", "lon": "106.0512", "category": f.category}
    )
    rows = r.json()
    assert [row["code"] for row in rows] == [data["code"]]
    assert set(rows[0]) == {"code", "summary", "status", "category", "distance_m"}
    far = client().get("/api/v1/public/nearby", {"lat": "21.5", "lon": "105.0"})
    assert far.json() == []


def test_endpoints_are_in_the_openapi_schema(f: Any) -> None:
    paths = client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/public/contacts",
        "/api/v1/public/petitions",
        "/api/v1/public/petitions/{code}/media",
        "/api/v1/public/petitions/{code}/feedback",
        "/api/v1/public/data-requests",
    ):
        assert path in paths, path
    assert ADDRESS


def test_ratings_and_reopenings_show_in_the_scorecards(f: Any) -> None:
    from matters.selectors import scorecards

    data = file_one(f)
    _close(f, data["code"])
    post(
        f"petitions/{data['code']}/feedback",
        {"pin": data["receipt_pin"], "rating": 2, "reopen": True},
    )
    rows = {r["unit"]: r for r in scorecards(f.world.admin, f.world.p, timezone.localdate())}
    assert rows["TCD"]["ratings"] == 1 and rows["TCD"]["rating_mean"] == 2
    assert rows["TCD"]["reopened"] == 1
    assert rows["A"]["ratings"] == 0 and rows["A"]["reopened"] == 0
