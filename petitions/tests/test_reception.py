"""The reception book's service: every bad field at once, a petition registered with the
visit (its errors named under ``petition.``), a denouncer kept out of the book."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from common.errors import Invalid
from petitions.models import Petition, ReceptionSession, Visit
from petitions.services.reception import visit_record
from petitions.tests.helpers import travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _now():
    with travel(), translation.override("en"):
        yield


def test_a_visit_names_every_bad_field_at_once(world):
    other = ReceptionSession.objects.create(
        unit=world.b, head_id=world.b.head_id, held_on=date(2026, 3, 2), place="B", kind="regular"
    )
    with pytest.raises(Invalid) as caught:
        visit_record(actor=world.head_c, visited_on=date(2099, 1, 1), content=" ", people=0)
    assert caught.value.errors == {
        "visited_on": "01/01/2099 is in the future",
        "content": "required",
        "people": "must be 1 or more",
    }
    with pytest.raises(Invalid) as caught:
        visit_record(actor=world.official_b, visited_on=None, content="x", session=other)
    assert caught.value.errors == {"visited_on": "required"}
    assert not Visit.objects.exists()


def test_a_visit_registers_its_petition_or_names_its_errors(world):
    with pytest.raises(Invalid) as caught:
        visit_record(
            actor=world.head_c,
            visited_on=date(2026, 3, 2),
            content="Đề nghị sửa đường",
            petition={"kind": "complaint", "category": "land"},
        )
    assert caught.value.errors and all(k.startswith("petition.") for k in caught.value.errors)
    assert not Visit.objects.exists() and not Petition.objects.exists()
    visit = visit_record(
        actor=world.head_c,
        visited_on=date(2026, 3, 2),
        content="Khiếu nại việc thu hồi đất của gia đình",
        full_name="Đoàn Văn Hùng",
        address="Thôn Tây",
        id_document="034 080 007777",
        people=3,
        petition={"kind": "complaint", "area": world.commune.code, "category": "land"},
    )
    petition = visit.petition
    assert petition is not None and petition.summary == "Khiếu nại việc thu hồi đất của gia đình"
    assert (petition.channel, petition.signers, petition.received_on) == (
        "in_person",
        3,
        date(2026, 3, 2),
    )
    person = petition.petitioners.get()
    assert (person.full_name, person.address, person.id_number) == (
        "Đoàn Văn Hùng",
        "Thôn Tây",
        "034080007777",
    )
    assert (visit.full_name, visit.id_document, visit.sealed, visit.vault_ref) == (
        "Đoàn Văn Hùng",
        "034 080 007777",
        False,
        "",
    )
    assert visit.receipt_pin == petition.receipt_pin
    sealed = visit_record(
        actor=world.head_c,
        visited_on=date(2026, 3, 2),
        content="Tố cáo cán bộ thu tiền",
        full_name="Người Tố",
        id_document="12",
        petition={"kind": "denunciation", "area": world.commune.code, "category": "corruption"},
    )
    assert (sealed.number, sealed.full_name, sealed.id_document, sealed.sealed) == (2, "", "", True)
    assert sealed.vault_ref and sealed.vault_ref == sealed.petition.vault_ref
