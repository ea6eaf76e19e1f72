"""The officials' page of personal data requests (Law 91/2025): the owner unit's officials
see their requests with the legal clock, read what is held (a sealed identity never
shown), and record the answer; anybody else gets 404, as for a code that does not exist."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from citizens.models import DataRequest, RoutingRule
from citizens.tests.helpers import CITIZEN, SECRETS, file_one, front, post

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

LIST = "/cong-dan/quan-tri/yeu-cau-du-lieu/"


@pytest.fixture
def f(world: Any, settings: Any, tmp_path: Any) -> Any:
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "vi"
    fr = front(world)
    # Online filings of the province go to unit A.
    RoutingRule.objects.create(area_id="33", category=None, unit=world.a)
    return fr


def ask(f: Any, **filing: Any) -> DataRequest:
    """File a petition online, then ask with its code and PIN what is held."""
    data = file_one(f, **filing)
    answer = post("data-requests", {"code": data["code"], "pin": data["receipt_pin"]})
    assert answer.status_code == 201, answer.content
    return DataRequest.objects.select_related("petition__matter").get(code=answer.json()["request"])


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_the_requests_of_the_unit_with_their_clock(f: Any) -> None:
    request = ask(f, petitioner=CITIZEN)
    assert request.unit == f.world.a and request.due_on
    handler = as_user(f.world.handler_a)
    page = handler.get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert request.code in text and f"{request.due_on:%d/%m/%Y}" in text
    assert "state-overdue" not in text
    # Linked from the officials' navigation.
    assert LIST in handler.get("/petitions/").content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        late = as_user(f.world.handler_a).get(LIST).content.decode()
    assert "state-overdue" in late and "quá hạn" in late
    # Nothing about the citizen on the list.
    for bit in SECRETS:
        assert bit not in late


def test_another_unit_gets_404_and_changes_nothing(f: Any) -> None:
    request = ask(f, petitioner=CITIZEN)
    detail = f"{LIST}{request.code}/"
    w = f.world
    # An auditor acts on nothing: the list is not theirs (403, not in their menu).
    assert as_user(w.auditor_p).get(LIST).status_code == 403
    for outsider in (w.official_b, w.head_b, w.auditor_p):
        client = as_user(outsider)
        if outsider != w.auditor_p:
            assert request.code not in client.get(LIST).content.decode()
        assert client.get(detail).status_code == 404
        assert client.post(f"{detail}tra-loi/").status_code == 404
        # The same answer as for a code that does not exist.
        assert client.get(f"{LIST}YC2026-33-999999/").status_code == 404
    request.refresh_from_db()
    assert request.status == DataRequest.Status.OPEN
    assert not AuditEvent.objects.filter(action="citizens.data_request_answer").exists()
    assert as_user(w.handler_a).get(detail).status_code == 200


def test_the_detail_shows_what_is_held_and_a_sealed_identity_never(f: Any) -> None:
    open_one = ask(f, petitioner=CITIZEN)
    text = as_user(f.world.handler_a).get(f"{LIST}{open_one.code}/").content.decode()
    assert CITIZEN["full_name"] in text and CITIZEN["id_number"] in text
    sealed = ask(f, kind="denunciation", public=False, petitioner=CITIZEN)
    assert sealed.petition.sealed
    for reader in (f.world.handler_a, f.world.head_a):
        page = as_user(reader).get(f"{LIST}{sealed.code}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "niêm phong" in text
        for bit in SECRETS:
            assert bit not in text


def test_answering_sets_the_state_and_is_audited(f: Any) -> None:
    request = ask(f, petitioner=CITIZEN)
    client = as_user(f.world.handler_a)
    answer = f"{LIST}{request.code}/tra-loi/"
    assert client.get(answer).status_code == 405
    done = client.post(answer)
    assert done.status_code == 302 and done["Location"] == f"{LIST}{request.code}/"
    request.refresh_from_db()
    assert request.status == DataRequest.Status.ANSWERED
    assert request.answered_on == timezone.localdate()
    event = AuditEvent.objects.get(action="citizens.data_request_answer")
    assert event.matter == request.petition.matter.code
    assert event.data["request"] == request.code
    page = client.get(f"{LIST}{request.code}/").content.decode()
    assert "state-done_on_time" in page and "tra-loi/" not in page
    again = client.post(answer)
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="citizens.data_request_answer").count() == 1


def test_the_public_forms_by_code_and_pin(f: Any) -> None:
    """The citizen's side: the request made on the page (201), a wrong PIN (404), the
    honeypot (422, nothing made), and a rating before closing (409)."""
    data = file_one(f, petitioner=CITIZEN)
    page = Client(REMOTE_ADDR="198.51.100.30")
    form = {"code": data["code"], "pin": data["receipt_pin"], "website": ""}
    robot = page.post("/cong-dan/du-lieu-ca-nhan/", {**form, "website": "x"})
    assert robot.status_code == 422 and not DataRequest.objects.exists()
    wrong = page.post("/cong-dan/du-lieu-ca-nhan/", {**form, "pin": "000000"})
    assert wrong.status_code == 404 and not DataRequest.objects.exists()
    made = page.post("/cong-dan/du-lieu-ca-nhan/", form)
    assert made.status_code == 201
    assert DataRequest.objects.get().code in made.content.decode()
    early = page.post("/cong-dan/danh-gia/", {**form, "rating": "5", "comment": ""})
    assert early.status_code == 409
