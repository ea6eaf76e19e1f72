"""The petition page carries what an official needs (receipt, sealed identity, duplicates),
the intake form follows the kind of petition, errors name fields as people know them, and
a rule's unchecked source is said once, on the rules page, until an administrator confirms
it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEvent
from matters.models import DeadlineRule
from petitions.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

SENTINEL = "Trần Thị Bí Mật"


@pytest.fixture(autouse=True)
def _now():
    with travel():
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _denunciation(world: Any) -> str:
    return file(
        world,
        user=world.handler_a,
        kind="denunciation",
        category="corruption",
        petitioners=[{"full_name": SENTINEL, "id_number": "079199000123"}],
    )["code"]


def test_the_petition_page_loads_its_panels_and_links_the_receipt(world: Any) -> None:
    code = _denunciation(world)
    owner = client_for(world.handler_a).get(f"/petitions/{code}/").content.decode()
    assert f'hx-get="/registry/petition/{code}/identity/"' in owner
    assert f'hx-get="/registry/petition/{code}/duplicates/"' in owner
    assert f'href="/registry/petition/{code}/receipt/"' in owner
    assert SENTINEL not in owner
    # A reader of another unit sees the duplicates, neither the receipt nor who sent it.
    reader = client_for(world.leader_p).get(f"/petitions/{code}/").content.decode()
    assert f'hx-get="/registry/petition/{code}/duplicates/"' in reader
    assert "/receipt/" not in reader
    # The complaint's petitioners are on the page itself: no sealed-identity panel.
    complaint = file(world)["code"]
    page = client_for(world.clerk_a).get(f"/petitions/{complaint}/").content.decode()
    assert "/identity/" not in page and "Nguyễn Văn An" in page


@pytest.mark.parametrize(
    ("persona", "can_reveal"),
    [("handler_a", True), ("head_a", True), ("clerk_a", False), ("leader_p", False)],
)
def test_only_the_handler_and_the_owners_head_are_offered_the_reveal(
    world: Any, persona: str, can_reveal: bool
) -> None:
    code = _denunciation(world)
    panel = client_for(getattr(world, persona)).get(f"/registry/petition/{code}/identity/")
    html = panel.content.decode()
    assert panel.status_code == 200 and SENTINEL not in html
    assert ('name="reason"' in html) is can_reveal
    assert ("Xem thông tin</button>" in html) is can_reveal


def test_the_intake_form_follows_the_kind_of_petition(world: Any) -> None:
    client = client_for(world.clerk_a)
    page = client.get("/petitions/new/").content.decode()
    # A complaint by default: its own fields shown, the denouncers' words hidden.
    assert re.search(r'<label data-kinds="complaint">[^<]*<input[^>]*name="first_instance"', page)
    assert re.search(r'<h2 data-kinds="denunciation" hidden>Người tố cáo</h2>', page)
    assert re.search(
        r'<p class="pt-sealed" id="sealed-note" data-kinds="denunciation" hidden>', page
    )
    # A denunciation sent back with an error: the complaint's fields hidden, the seal said.
    refused = client.post(
        "/petitions/new/", {"kind": "denunciation", "p-TOTAL_FORMS": "0", "p-INITIAL_FORMS": "0"}
    )
    html = refused.content.decode()
    assert re.search(
        r'<label data-kinds="complaint" hidden>[^<]*<input[^>]*name="first_instance"', html
    )
    assert re.search(r'<h2 data-kinds="denunciation">Người tố cáo</h2>', html)
    assert re.search(r'<h2 data-kinds="complaint" hidden>Người khiếu nại</h2>', html)
    assert re.search(r'id="sealed-note" data-kinds="denunciation">[^<]*niêm phong', html)


def test_errors_name_fields_as_people_know_them(world: Any) -> None:
    response = client_for(world.clerk_a).post(
        "/petitions/new/",
        {
            "kind": "complaint",
            "channel": "post",
            "received_on": "01/03/2027",
            "area": world.commune.code,
            "category": "land",
            "summary": "Khiếu nại không có tên người khiếu nại",
            "signers": "1",
            "p-TOTAL_FORMS": "3",
            "p-INITIAL_FORMS": "0",
            "p-MIN_NUM_FORMS": "0",
            "p-MAX_NUM_FORMS": "20",
        },
    )
    html = response.content.decode()
    assert "Người gửi đơn:" in html  # the service's "petitioners" error, by its name
    assert "petitioners:" not in html


def test_an_unchecked_source_is_said_once_to_administrators_until_confirmed(world: Any) -> None:
    code = file(world)["code"]  # a complaint received after 1 July 2026: rule K2 (Decree 155)
    rule = DeadlineRule.objects.get(key="petitions.K2", effective_from="2026-07-01")
    assert rule.needs_confirmation and rule.confirmed_at is None
    petition_page = client_for(world.clerk_a).get(f"/petitions/{code}/").content.decode()
    assert "Nghị định 155/2026" in petition_page
    assert "kiểm chứng" not in petition_page and "OCR" not in petition_page
    assert "cần đối chiếu" not in petition_page
    clerk_rules = client_for(world.clerk_a).get("/petitions/rules/").content.decode()
    assert "cần đối chiếu" not in clerk_rules and 'name="confirmation"' not in clerk_rules
    admin = client_for(world.admin)
    admin_rules = admin.get("/petitions/rules/").content.decode()
    assert "căn cứ cần đối chiếu với văn bản chính thức" in admin_rules
    assert 'name="confirmation"' in admin_rules
    # Nobody but an administrator confirms; an empty confirmation is refused.
    body = {"rule": rule.pk, "action": "confirm", "confirmation": "Công báo số 123, Điều 16"}
    assert client_for(world.head_a).post("/petitions/rules/", body).status_code == 403
    assert admin.post("/petitions/rules/", {**body, "confirmation": " "}).status_code == 422
    rule.refresh_from_db()
    assert rule.confirmed_at is None
    assert admin.post("/petitions/rules/", body).status_code == 302
    rule.refresh_from_db()
    assert rule.confirmed_by == world.admin and rule.confirmation == "Công báo số 123, Điều 16"
    event = AuditEvent.objects.get(action="rule.confirm")
    assert (
        event.data["key"] == "petitions.K2" and event.data["confirmation"] == body["confirmation"]
    )
    page = client_for(world.clerk_a).get("/petitions/rules/").content.decode()
    assert "Công báo số 123, Điều 16" in page and "xác nhận ngày" in page
    assert admin.post("/petitions/rules/", body).status_code == 422  # once


def test_rules_page_names_variants_not_codes(world: Any) -> None:
    page = client_for(world.admin).get("/petitions/rules/").content.decode()
    assert "remote_complex" not in page and "especially_complex" not in page
    assert "vùng sâu, vùng xa, vụ việc phức tạp" in page
    assert "LAW-PETITIONS" not in page
