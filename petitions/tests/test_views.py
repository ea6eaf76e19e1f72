"""The petition pages over HTTP: access, intake form, actions through htmx, reception,
rule settings, the daily job."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from matters.models import DeadlineRule, Matter
from notifications.models import Notification
from petitions.models import Petition, ReceptionSession, Visit
from petitions.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _now():
    with travel():
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inbox_lists_my_units_petitions_by_state(world):
    mine = file(world)["code"]
    theirs = file(world, user=world.official_b)["code"]
    page = client_for(world.clerk_a).get("/petitions/")
    assert page.status_code == 200
    html = page.content.decode()
    assert mine in html and theirs not in html
    assert "quá hạn" in html  # the state tab, in Vietnamese
    partial = client_for(world.clerk_a).get(
        "/petitions/", {"state": "in_time"}, headers={"HX-Request": "true"}
    )
    assert mine not in partial.content.decode()
    assert "<html" not in partial.content.decode()
    assert (
        theirs in client_for(world.leader_p).get("/petitions/", {"scope": "all"}).content.decode()
    )


def test_detail_access_and_deadline_explanation(world):
    code = file(world)["code"]
    assert client_for(world.official_b).get(f"/petitions/{code}/").status_code == 404
    page = client_for(world.leader_p).get(f"/petitions/{code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "K2" in html and "Nghị định 155/2026" in html
    assert 'id="action-accept"' not in html  # read-only for the leader of P
    owner_page = client_for(world.clerk_a).get(f"/petitions/{code}/").content.decode()
    assert 'id="action-accept"' in owner_page and 'id="action-transfer"' in owner_page
    assert 'data-branch="3.accept"' in owner_page  # the decision tree's applying branch


def test_intake_form_registers_and_shows_the_pin_once(world):
    client = client_for(world.clerk_a)
    assert client.get("/petitions/new/").status_code == 200
    response = client.post(
        "/petitions/new/",
        {
            "kind": "complaint",
            "channel": "in_person",
            "received_on": "02/03/2027",
            "area": world.commune.code,
            "category": "land",
            "summary": "Khiếu nại bồi thường",
            "content": "Nội dung",
            "signers": "1",
            "p-TOTAL_FORMS": "3",
            "p-INITIAL_FORMS": "0",
            "p-MIN_NUM_FORMS": "0",
            "p-MAX_NUM_FORMS": "20",
            "p-0-full_name": "Phạm Văn Cường",
            "p-0-id_number": "034080009999",
        },
        follow=True,
    )
    assert response.status_code == 200
    petition = Petition.objects.get()
    assert petition.received_on.isoformat() == "2027-03-02"  # dd/mm/yyyy, day first
    assert "PIN" in response.content.decode()
    assert petition.petitioners.get().full_name == "Phạm Văn Cường"


def test_intake_form_errors_name_the_field_and_store_nothing(world):
    response = client_for(world.clerk_a).post(
        "/petitions/new/",
        {
            "kind": "complaint",
            "channel": "post",
            "received_on": "20/03/2027",
            "area": world.commune.code,
            "category": "land",
            "summary": "X",
            "signers": "1",
            "p-TOTAL_FORMS": "1",
            "p-INITIAL_FORMS": "0",
            "p-MIN_NUM_FORMS": "0",
            "p-MAX_NUM_FORMS": "20",
            "p-0-full_name": "A",
            "p-0-id_number": "123",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "is in the future" in html or "tương lai" in html
    assert "12" in html
    assert not Matter.objects.exists()


def test_action_through_htmx_redirects_and_errors_are_shown(world):
    code = file(world)["code"]
    client = client_for(world.clerk_a)
    version = Matter.objects.get(code=code).version
    bad = client.post(
        f"/petitions/{code}/act/accept/",
        {"accept-accepted_on": "20/03/2027", "accept-complexity": "normal", "version": version},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 200
    assert "pt-error" in bad.content.decode()
    assert Matter.objects.get(code=code).status == "received"
    ok = client.post(
        f"/petitions/{code}/act/accept/",
        {"accept-accepted_on": "05/03/2027", "accept-complexity": "complex", "version": version},
        headers={"HX-Request": "true"},
    )
    assert ok.status_code == 204 and ok["HX-Redirect"] == f"/petitions/{code}/"
    assert Matter.objects.get(code=code).status == "accepted"
    stale = client.post(
        f"/petitions/{code}/act/suspend/",
        {"suspend-on": "06/03/2027", "suspend-reason": "x", "version": version},
        headers={"HX-Request": "true"},
    )
    assert "vừa được người khác cập nhật" in stale.content.decode()
    assert (
        client_for(world.leader_p)
        .post(
            f"/petitions/{code}/act/suspend/", {"suspend-on": "06/03/2027", "suspend-reason": "x"}
        )
        .status_code
        == 403
    )
    assert (
        client_for(world.official_b)
        .post(
            f"/petitions/{code}/act/suspend/", {"suspend-on": "06/03/2027", "suspend-reason": "x"}
        )
        .status_code
        == 404
    )


def test_advice_shows_the_branch(world):
    code = file(world, kind="denunciation", petitioners=[])["code"]
    response = client_for(world.clerk_a).post(
        f"/petitions/{code}/advice/",
        {"eligible": "on", "competent": "on", "conditions_met": "on", "signs_of_crime": "on"},
    )
    assert "4.crime" in response.content.decode()
    assert 'data-decision="transfer"' in response.content.decode()


def test_reception_session_visit_and_petition_in_one_step(world):
    client = client_for(world.head_c)
    response = client.post(
        "/petitions/reception/",
        {"held_on": "10/03/2027", "place": "Trụ sở UBND xã", "kind": "regular"},
    )
    session = ReceptionSession.objects.get()
    assert response.status_code == 302 and session.head == world.head_c
    response = client.post(
        f"/petitions/reception/{session.pk}/",
        {
            "visited_on": "10/03/2027",
            "full_name": "Đoàn Văn Hùng",
            "address": "Thôn Tây",
            "id_document": "034080007777",
            "people": "7",
            "content": "Đề nghị giải quyết dứt điểm tranh chấp ranh giới đất",
            "petition_kind": "complaint",
            "petition_area": world.commune.code,
            "petition_category": "land",
            "petition_summary": "Tranh chấp ranh giới đất",
        },
        follow=True,
    )
    assert response.status_code == 200
    visit = Visit.objects.get()
    assert visit.number == 1 and visit.is_group and visit.petition is not None
    petition = visit.petition
    assert (petition.channel, petition.matter.owner, petition.signers) == ("in_person", world.c, 7)
    assert petition.petitioners.get().id_number == "034080007777"
    # A denouncer who comes in person: the book keeps no identity.
    client.post(
        f"/petitions/reception/{session.pk}/",
        {
            "visited_on": "10/03/2027",
            "full_name": "SENTINEL Người Tố",
            "address": "SENTINEL",
            "people": "1",
            "content": "Tố cáo cán bộ thu tiền trái phép",
            "petition_kind": "denunciation",
            "petition_area": world.commune.code,
            "petition_category": "corruption",
        },
    )
    sealed = Visit.objects.get(number=2)
    assert sealed.sealed and sealed.full_name == "" and sealed.address == ""
    page = client.get(f"/petitions/reception/{session.pk}/").content.decode()
    assert "SENTINEL" not in page
    # Another unit's official cannot see the session.
    assert (
        client_for(world.official_b).get(f"/petitions/reception/{session.pk}/").status_code == 404
    )


def test_reception_compliance_shows_heads_behind(world):
    with travel("2027-03-31 09:00 +07:00"):
        client = client_for(world.head_c)
        client.post(
            "/petitions/reception/", {"held_on": "01/03/2027", "place": "Xã", "kind": "regular"}
        )
        page = (
            client_for(world.admin)
            .get("/petitions/reception/", {"month": "2027-03"})
            .content.decode()
        )
    # Commune C (weekly duty) held one session in March: the weeks from 08/03 on are behind.
    assert "08/03–14/03" in page
    assert "01/03–07/03" not in page


def test_rule_settings_for_administrators_only(world):
    rule = DeadlineRule.objects.get(key="petitions.R3")
    assert (
        client_for(world.head_a)
        .post("/petitions/rules/", {"rule": rule.pk, "length": "15", "unit": "working"})
        .status_code
        == 403
    )
    law = DeadlineRule.objects.get(key="petitions.T4", variant="normal")
    assert (
        client_for(world.admin)
        .post("/petitions/rules/", {"rule": law.pk, "length": "15", "unit": "working"})
        .status_code
        == 403
    )
    response = client_for(world.admin).post(
        "/petitions/rules/", {"rule": rule.pk, "length": "15", "unit": "working"}
    )
    assert response.status_code == 302
    rows = list(DeadlineRule.objects.filter(key="petitions.R3").order_by("effective_from"))
    assert [(r.length, r.unit) for r in rows] == [(10, "calendar"), (15, "working")]
    assert rows[0].effective_to == rows[1].effective_from
    # A proposal by post received today uses the new row; one received before keeps the old.
    new = file(world, kind="proposal", petitioners=[], received_on="2027-03-15")
    old = file(world, kind="proposal", petitioners=[], received_on="2027-03-01")
    assert new["due_on"] == "2027-04-05" and old["due_on"] == "2027-03-11"
    assert client_for(world.clerk_a).get("/petitions/rules/").status_code == 200


def test_daily_job_is_idempotent_per_day(world, capsys):
    code = file(world)["code"]  # due 10/03, overdue on 15/03
    soon = file(world, received_on="2027-03-12")["code"]  # due 23/03 -> not yet due soon
    call_command("notify_deadlines", "--as-of", "2027-03-15")
    overdue = Notification.objects.filter(kind="petition.overdue", matter=code)
    assert {n.user for n in overdue} == {world.head_a, world.clerk_a}
    call_command("notify_deadlines", "--as-of", "2027-03-15")
    assert Notification.objects.filter(kind="petition.overdue", matter=code).count() == 2
    call_command("notify_deadlines", "--as-of", "2027-03-20")
    assert Notification.objects.filter(kind="petition.due_soon", matter=soon).count() == 2
    assert Notification.objects.filter(kind="petition.overdue", matter=code).count() == 4
    assert "notifications sent" in capsys.readouterr().out


def test_daily_task_runs(world):
    from petitions.tasks import petitions_daily

    file(world)
    result = petitions_daily.enqueue("2027-03-15")
    assert result.return_value == {"due_soon": 0, "overdue": 2}
