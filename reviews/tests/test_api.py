"""Project reviews through the HTTP API: registration, clocks by rule, consultations, deemed
consent at the boundary, answers, access and bad input."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from audit.models import AuditEvent
from matters.models import DeadlineRule, Matter
from reviews.models import Consultation, Review

pytestmark = pytest.mark.django_db

NOON = "12:00 +0700"


def register(rw, user=None, **overrides):
    response = rw.w.api(user or rw.w.clerk_a).post("reviews", rw.review_body(**overrides))
    assert response.status_code == 201, response.json()
    return response.json()


def consult(rw, code, unit, sent_on, user=None):
    response = rw.w.api(user or rw.w.clerk_a).post(
        f"reviews/{code}/consultations", {"unit": unit, "sent_on": sent_on}
    )
    assert response.status_code == 201, response.json()
    return response.json()


# -- registration ------------------------------------------------------------------------------
@time_machine.travel(f"2026-04-06 {NOON}", tick=False)
def test_register_gives_a_review_owned_by_the_callers_unit(rw):
    body = register(rw)
    assert body["kind"] == "review"
    assert body["owner"] == "A"
    assert body["code"].startswith("TD2026-33-")
    assert body["status"] == "appraising"
    assert body["law"] == "law_2025"
    assert body["flags"] == ["coastal"] and body["sensitive"] is True
    assert body["foreign_share"] == 70.0 and body["lease_years"] == 50
    # Valid on Fri 3 April: 2 WD to send (7/4), 14 WD to report (23/4); the matter's clock is
    # the report's until the report is sent.
    assert body["send_due_on"] == "2026-04-07"
    assert body["report_due_on"] == "2026-04-23"
    assert body["due_on"] == "2026-04-23"
    # Decision 3 WD after the report, projected: 24/4, then 26-27/4 Hùng Kings, 28/4, 29/4.
    assert body["decision_due_on"] == "2026-04-29"
    report = next(c for c in body["clocks"] if c["step"] == "report")
    assert report["rule"]["source"].startswith("Nghị định 96/2026/NĐ-CP, Điều 35 khoản 7")
    assert "2026-04-04" in report["skipped"]
    proposed = {p["unit"]: p for p in body["proposed_consultations"]}
    assert proposed["M"]["mandatory"] and proposed["Q"]["mandatory"]
    assert set(proposed) == {"M", "Q"} | ({"C"} if rw.w.c.area_id == body["area"] else set())
    matter = Matter.objects.get(code=body["code"])
    assert matter.due_on == date(2026, 4, 23)
    assert AuditEvent.objects.filter(matter=body["code"], action="review.register").exists()


@time_machine.travel(f"2026-04-06 {NOON}", tick=False)
def test_register_bad_input_names_every_field_and_stores_nothing(rw):
    response = rw.w.api(rw.w.clerk_a).post(
        "reviews",
        rw.review_body(
            flags=["coastal", "volcano"],
            area="99999",
            foreign_share=150,
            received_on="2026-04-10",
            valid_on="2026-04-02",
            lease_years=0,
            project=" ",
        ),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"flags", "area", "foreign_share", "received_on", "lease_years", "project"} <= set(
        errors
    )
    assert "volcano" in errors["flags"]
    assert Review.objects.count() == 0 and Matter.objects.count() == 0


@time_machine.travel(f"2026-04-06 {NOON}", tick=False)
def test_register_rejects_valid_before_received_and_bad_dates(rw):
    api = rw.w.api(rw.w.clerk_a)
    response = api.post("reviews", rw.review_body(received_on="2026-04-03", valid_on="2026-04-01"))
    assert response.status_code == 422 and "valid_on" in response.json()["errors"]
    response = api.post("reviews", rw.review_body(received_on="03/04/2026"))
    assert response.status_code == 422 and "received_on" in response.json()["errors"]
    assert Review.objects.count() == 0


@time_machine.travel(f"2026-04-06 {NOON}", tick=False)
def test_only_a_registration_agency_registers(rw):
    for user in (rw.w.head_c, rw.w.auditor_p, rw.head_m):
        response = rw.w.api(user).post("reviews", rw.review_body())
        assert response.status_code == 403, user
    assert rw.w.api(None).post("reviews", rw.review_body()).status_code == 401
    assert Review.objects.count() == 0


# -- the old law -------------------------------------------------------------------------------
@time_machine.travel(f"2026-06-01 {NOON}", tick=False)
def test_dossier_received_before_1_march_2026_keeps_the_2020_timings(rw):
    body = register(rw, received_on="2026-02-10", valid_on="2026-02-11")
    assert body["law"] == "law_2020"
    # 3 WD to send (12, 13, then 23/2 after Tết), 28 WD to report, 35 WD in all.
    assert body["send_due_on"] == "2026-02-23"
    steps = {c["step"]: c for c in body["clocks"]}
    assert steps["send"]["rule"]["length"] == 3
    assert steps["report"]["rule"]["length"] == 28
    assert steps["total"]["rule"]["length"] == 35
    assert steps["report"]["rule"]["configurable"] is True
    # A consultation sent after 1 March still follows the old rule: 15 days (calendar).
    c = consult(rw, body["code"], "M", "2026-03-05")
    assert c["deadline"]["length"] == 15 and c["deadline"]["unit"] == "calendar"
    assert c["due_on"] == "2026-03-20"
    # The same consultation on a dossier of the new law: 7 working days.
    new = register(rw, received_on="2026-03-02", valid_on="2026-03-03")
    c = consult(rw, new["code"], "M", "2026-03-05")
    assert c["deadline"]["length"] == 7 and c["due_on"] == "2026-03-16"


# -- consultations -----------------------------------------------------------------------------
@time_machine.travel(f"2026-04-24 {NOON}", tick=False)
def test_consultation_is_a_matter_of_the_consulted_unit_due_by_rule(rw):
    review = register(rw)
    c = consult(rw, review["code"], "M", "2026-04-24")
    assert c["kind"] == "consultation" and c["owner"] == "M"
    assert c["code"].startswith("YK2026-33-")
    # Fri 24/4 + 7 WD: 28, 29/4 (27/4 Hùng Kings observed), 4-8/5 (30/4, 1/5 holidays).
    assert c["due_on"] == "2026-05-08"
    assert c["status"] == "awaiting_answer"
    assert c["deadline"]["key"] == "reviews.reply" and c["deadline"]["length"] == 7
    assert c["review"] == review["code"]
    assert c["project"]["flags"] == ["coastal"]
    detail = rw.w.api(rw.w.clerk_a).get(f"reviews/{review['code']}").json()
    assert [x["code"] for x in detail["consultations"]] == [c["code"]]
    assert detail["consultations"][0]["sent_late"] is True  # send was due on 7/4


@time_machine.travel(f"2026-04-24 {NOON}", tick=False)
def test_consultation_bad_input(rw):
    review = register(rw)
    api = rw.w.api(rw.w.clerk_a)
    path = f"reviews/{review['code']}/consultations"
    r = api.post(path, {"unit": "NOPE", "sent_on": "2026-04-24"})
    assert r.status_code == 422 and "unit" in r.json()["errors"]
    r = api.post(path, {"unit": "A", "sent_on": "2026-04-24"})
    assert r.status_code == 422 and "unit" in r.json()["errors"]
    r = api.post(path, {"unit": "M", "sent_on": "2026-04-01"})
    assert r.status_code == 422 and "sent_on" in r.json()["errors"]
    r = api.post(path, {"unit": "M", "sent_on": "2026-05-01"})
    assert r.status_code == 422 and "sent_on" in r.json()["errors"]
    r = api.post(path, {"unit": "M"})
    assert r.status_code == 422 and "sent_on" in r.json()["errors"]
    assert Consultation.objects.count() == 0
    consult(rw, review["code"], "M", "2026-04-24")
    assert api.post(path, {"unit": "M", "sent_on": "2026-04-24"}).status_code == 409
    assert Consultation.objects.count() == 1
    pending = register(rw, valid_on=None)
    r = api.post(f"reviews/{pending['code']}/consultations", {"unit": "M", "sent_on": "2026-04-24"})
    assert r.status_code == 422 and "sent_on" in r.json()["errors"]


def test_deemed_consent_at_the_deadline_boundary(rw):
    with time_machine.travel(f"2026-04-24 {NOON}", tick=False):
        review = register(rw)
        code = consult(rw, review["code"], "M", "2026-04-24")["code"]
    api = rw.w.api(rw.head_m)
    # The last minute of the due day (local time): still awaited, due soon.
    with time_machine.travel("2026-05-08 23:59:59 +0700", tick=False):
        body = api.get(f"consultations/{code}").json()
        assert body["status"] == "awaiting_answer" and body["deemed_consent"] is None
        assert body["state"] == "due_soon"
        call_command("deem_consents")
        assert Matter.objects.get(code=code).status == "awaiting_answer"
    # The first minute of the next day (17:00 UTC is midnight in Hanoi): deemed consent, with
    # the rule that made it so, even before the daily job runs.
    with time_machine.travel("2026-05-08 17:00:00 +0000", tick=False):
        body = api.get(f"consultations/{code}").json()
        assert body["status"] == "deemed_consent"
        assert body["state"] == "done_late"
        assert body["deemed_consent"]["on"] == "2026-05-09"
        assert body["deemed_consent"]["recorded"] is False
        assert body["deemed_consent"]["rule"]["source"].endswith("Điều 6 khoản 6 điểm b")
        listed = api.get("consultations", status="deemed_consent").json()
        assert [i["code"] for i in listed["items"]] == [code]
        assert Matter.objects.get(code=code).status == "awaiting_answer"
        call_command("deem_consents")
        matter = Matter.objects.get(code=code)
        assert matter.status == "deemed_consent" and not matter.is_open
        assert matter.closed_on == date(2026, 5, 9)
        assert Consultation.objects.get(matter=matter).deemed_on == date(2026, 5, 9)
        assert api.get(f"consultations/{code}").json()["deemed_consent"]["recorded"] is True
        # The job is idempotent: a second run records nothing more.
        call_command("deem_consents")
        assert (
            AuditEvent.objects.filter(matter=code, action="consultation.deemed_consent").count()
            == 1
        )


def test_answer_on_the_last_day_is_in_time(rw):
    with time_machine.travel(f"2026-04-24 {NOON}", tick=False):
        review = register(rw)
        code = consult(rw, review["code"], "Q", "2026-04-24")["code"]
    with time_machine.travel("2026-05-08 16:30 +0700", tick=False):
        r = rw.w.api(rw.officer_q).post(
            f"consultations/{code}/answer",
            {
                "answered_on": "2026-05-08",
                "opinion": "agree_with_conditions",
                "note": "Không xây dựng công trình cao tầng trong phạm vi 500 m",
                "documents": [{"number": "125/CAT-PA03", "title": "Ý kiến về an ninh"}],
            },
        )
        assert r.status_code == 200, r.json()
        body = r.json()
        assert body["status"] == "answered" and body["late"] is False
        assert body["state"] == "done_on_time"
        assert body["documents"][0]["number"] == "125/CAT-PA03"
    with time_machine.travel("2026-05-20 09:00 +0700", tick=False):
        assert rw.w.api(rw.officer_q).get(f"consultations/{code}").json()["status"] == "answered"
        call_command("deem_consents")
        assert Matter.objects.get(code=code).status == "answered"


@pytest.mark.parametrize("job_ran", [True, False])
def test_late_answer_is_recorded_and_does_not_undo_deemed_consent(rw, job_ran):
    with time_machine.travel(f"2026-04-24 {NOON}", tick=False):
        review = register(rw)
        code = consult(rw, review["code"], "M", "2026-04-24")["code"]
    with time_machine.travel("2026-05-12 09:00 +0700", tick=False):
        if job_ran:
            call_command("deem_consents")
        r = rw.w.api(rw.head_m).post(
            f"consultations/{code}/answer",
            {"answered_on": "2026-05-12", "opinion": "disagree", "note": "Gần khu vực phòng thủ"},
        )
        assert r.status_code == 200, r.json()
        body = r.json()
        assert body["status"] == "deemed_consent"
        assert body["late"] is True and body["opinion"] == "disagree"
        assert body["deemed_consent"]["on"] == "2026-05-09"
        assert Matter.objects.get(code=code).status == "deemed_consent"
        assert AuditEvent.objects.filter(matter=code, action="consultation.answer_late").exists()
        assert (
            AuditEvent.objects.filter(matter=code, action="consultation.deemed_consent").count()
            == 1
        )
        # A second answer is refused.
        again = rw.w.api(rw.head_m).post(
            f"consultations/{code}/answer", {"answered_on": "2026-05-12", "opinion": "agree"}
        )
        assert again.status_code == 409


def test_an_answer_dated_in_time_but_entered_later_is_in_time(rw):
    with time_machine.travel(f"2026-04-24 {NOON}", tick=False):
        review = register(rw)
        code = consult(rw, review["code"], "M", "2026-04-24")["code"]
    with time_machine.travel("2026-05-12 09:00 +0700", tick=False):
        call_command("deem_consents")
        r = rw.w.api(rw.head_m).post(
            f"consultations/{code}/answer", {"answered_on": "2026-05-07", "opinion": "agree"}
        )
        body = r.json()
        assert body["status"] == "answered" and body["late"] is False
        assert body["deemed_consent"] is None and body["state"] == "done_on_time"
        event = AuditEvent.objects.get(matter=code, action="consultation.answer")
        assert event.data["replaced_deemed_consent"] is True


@time_machine.travel(f"2026-04-27 {NOON}", tick=False)
def test_answer_bad_input_changes_nothing(rw):
    review = register(rw)
    code = consult(rw, review["code"], "M", "2026-04-24")["code"]
    api = rw.w.api(rw.head_m)
    path = f"consultations/{code}/answer"
    r = api.post(path, {"answered_on": "2026-04-27", "opinion": "maybe"})
    assert r.status_code == 422 and "opinion" in r.json()["errors"]
    r = api.post(path, {"answered_on": "2026-04-20", "opinion": "agree"})
    assert r.status_code == 422 and "answered_on" in r.json()["errors"]
    r = api.post(path, {"answered_on": "2026-04-28", "opinion": "agree"})
    assert r.status_code == 422 and "answered_on" in r.json()["errors"]
    r = api.post(path, {"answered_on": "2026-04-27", "opinion": "disagree", "note": ""})
    assert r.status_code == 422 and "note" in r.json()["errors"]
    r = api.post(
        path,
        {
            "answered_on": "2026-04-27",
            "opinion": "agree",
            "documents": [{"number": "", "title": "x"}],
        },
    )
    assert r.status_code == 422 and "documents.0.number" in r.json()["errors"]
    c = Consultation.objects.get(matter__code=code)
    assert c.answered_on is None and c.opinion == ""
    assert Matter.objects.get(code=code).status == "awaiting_answer"


# -- access ------------------------------------------------------------------------------------
@time_machine.travel(f"2026-04-27 {NOON}", tick=False)
def test_consulted_unit_sees_only_its_consultation(rw):
    review = register(rw)
    code_m = consult(rw, review["code"], "M", "2026-04-24")["code"]
    code_q = consult(rw, review["code"], "Q", "2026-04-24")["code"]
    w = rw.w
    military = w.api(rw.head_m)
    assert military.get(f"consultations/{code_m}").status_code == 200
    # Not the review, not the other consultation, not the list of reviews.
    assert military.get(f"reviews/{review['code']}").status_code == 404
    assert military.get(f"consultations/{code_q}").status_code == 404
    assert military.get("reviews").json()["count"] == 0
    assert [i["code"] for i in military.get("consultations").json()["items"]] == [code_m]
    assert (
        military.post(
            f"reviews/{review['code']}/consultations", {"unit": "C", "sent_on": "2026-04-27"}
        ).status_code
        == 404
    )
    # The registration agency follows it but may not answer for the consulted unit.
    dof = w.api(w.clerk_a)
    assert dof.get(f"consultations/{code_m}").status_code == 200
    body = {"answered_on": "2026-04-27", "opinion": "agree"}
    assert dof.post(f"consultations/{code_m}/answer", body).status_code == 403
    # The province's leader sees everything and acts on nothing of another unit.
    leader = w.api(w.leader_p)
    assert leader.get(f"reviews/{review['code']}").status_code == 200
    assert leader.post(f"consultations/{code_m}/answer", body).status_code == 403
    assert (
        leader.post(
            f"reviews/{review['code']}/consultations", {"unit": "C", "sent_on": "2026-04-27"}
        ).status_code
        == 403
    )
    # An outsider sees nothing at all.
    outsider = w.api(w.official_b)
    assert outsider.get(f"reviews/{review['code']}").status_code == 404
    assert outsider.get(f"consultations/{code_m}").status_code == 404
    assert outsider.post(f"consultations/{code_m}/answer", body).status_code == 404
    assert (
        outsider.post(
            f"reviews/{review['code']}/consultations", {"unit": "C", "sent_on": "2026-04-27"}
        ).status_code
        == 404
    )
    assert Consultation.objects.count() == 2
    assert Consultation.objects.filter(answered_on__isnull=False).count() == 0
    # The owner acts.
    assert military.post(f"consultations/{code_m}/answer", body).status_code == 200


# -- corrections, report, decision -------------------------------------------------------------
@time_machine.travel(f"2026-04-20 {NOON}", tick=False)
def test_one_written_request_for_corrections_pauses_the_clock(rw):
    api = rw.w.api(rw.w.clerk_a)
    body = register(rw, received_on="2026-04-01", valid_on=None)
    code = body["code"]
    assert body["status"] == "checking" and body["due_on"] is None
    r = api.post(
        f"reviews/{code}/corrections", {"requested_on": "2026-04-02", "note": "Thiếu bản vẽ"}
    )
    assert r.status_code == 200 and r.json()["status"] == "correcting"
    r = api.post(f"reviews/{code}/valid", {"valid_on": "2026-04-03"})
    assert r.status_code == 422
    r = api.post(f"reviews/{code}/corrections/received", {"received_on": "2026-04-09"})
    assert r.status_code == 200 and r.json()["status"] == "checking"
    r = api.post(f"reviews/{code}/corrections", {"requested_on": "2026-04-10", "note": "Lần hai"})
    assert r.status_code == 422 and "một lần" in r.json()["errors"]["requested_on"]
    r = api.post(f"reviews/{code}/valid", {"valid_on": "2026-04-08"})
    assert r.status_code == 422 and "valid_on" in r.json()["errors"]
    r = api.post(f"reviews/{code}/valid", {"valid_on": "2026-04-10"})
    assert r.status_code == 200
    # The pause was before the clocks started: 14 WD from 10/4 (27/4, 30/4, 1/5 off).
    assert r.json()["report_due_on"] == "2026-05-05"


def test_corrections_after_the_valid_dossier_stop_the_report_clock(rw):
    with time_machine.travel(f"2026-04-06 {NOON}", tick=False):
        code = register(rw)["code"]  # valid 3/4, report due 23/4
        api = rw.w.api(rw.w.clerk_a)
        r = api.post(
            f"reviews/{code}/corrections",
            {"requested_on": "2026-04-06", "note": "Giải trình quy mô"},
        )
        assert r.status_code == 200
        report = next(c for c in r.json()["clocks"] if c["step"] == "report")
        assert report["paused"] is True
    with time_machine.travel(f"2026-04-13 {NOON}", tick=False):
        r = api.post(f"reviews/{code}/corrections/received", {"received_on": "2026-04-13"})
        assert r.status_code == 200
        body = r.json()
        # 23/4 + 7 days paused = 30/4, a holiday: the next working day is 4/5.
        assert body["report_due_on"] == "2026-05-04"
        assert body["due_on"] == "2026-05-04"
        assert body["status"] == "appraising"


def test_report_needs_military_and_police_and_their_answers(rw):
    with time_machine.travel(f"2026-04-06 {NOON}", tick=False):
        code = register(rw)["code"]
        api = rw.w.api(rw.w.clerk_a)
        military = consult(rw, code, "M", "2026-04-06")["code"]
        r = api.post(f"reviews/{code}/report", {"sent_on": "2026-04-06"})
        assert r.status_code == 422 and "Công an tỉnh" in r.json()["errors"]["consultations"]
        consult(rw, code, "Q", "2026-04-06")
        r = api.post(f"reviews/{code}/report", {"sent_on": "2026-04-06"})
        assert r.status_code == 422 and "còn chờ ý kiến" in r.json()["errors"]["consultations"]
        r = rw.w.api(rw.head_m).post(
            f"consultations/{military}/answer", {"answered_on": "2026-04-06", "opinion": "agree"}
        )
        assert r.status_code == 200
    with time_machine.travel(f"2026-04-16 {NOON}", tick=False):
        # Police silent past 15/4: deemed consent, so the report may go.
        r = api.post(f"reviews/{code}/report", {"sent_on": "2026-04-16"})
        assert r.status_code == 200, r.json()
        body = r.json()
        assert body["status"] == "reported"
        assert body["decision_due_on"] == "2026-04-21"
        assert body["due_on"] == "2026-04-21"
        statuses = {c["unit"]: c["status"] for c in body["consultations"]}
        assert statuses == {"M": "answered", "Q": "deemed_consent"}
        assert Matter.objects.get(kind="consultation", owner__code="Q").status == "deemed_consent"


def test_refusal_states_reasons_and_approval_closes_on_time(rw):
    with time_machine.travel(f"2026-04-06 {NOON}", tick=False):
        api = rw.w.api(rw.w.clerk_a)
        code = register(rw, flags=[])["code"]
        r = api.post(
            f"reviews/{code}/decision",
            {"decided_on": "2026-04-06", "decision": "refused", "decision_no": "1/QĐ"},
        )
        assert r.status_code == 422  # no report yet
        assert api.post(f"reviews/{code}/report", {"sent_on": "2026-04-06"}).status_code == 200
        r = api.post(
            f"reviews/{code}/decision",
            {"decided_on": "2026-04-06", "decision": "refused", "decision_no": "1/QĐ"},
        )
        assert r.status_code == 422 and "reasons" in r.json()["errors"]
        r = api.post(
            f"reviews/{code}/decision",
            {"decided_on": "2026-04-06", "decision": "maybe", "decision_no": "1/QĐ"},
        )
        assert r.status_code == 422 and "decision" in r.json()["errors"]
        assert (
            rw.w.api(rw.w.leader_p)
            .post(
                f"reviews/{code}/decision",
                {"decided_on": "2026-04-06", "decision": "approved", "decision_no": "1/QĐ"},
            )
            .status_code
            == 403
        )
        r = api.post(
            f"reviews/{code}/decision",
            {
                "decided_on": "2026-04-06",
                "decision": "refused",
                "decision_no": "12/QĐ-UBND",
                "reasons": "Vị trí trùng quy hoạch đất quốc phòng",
            },
        )
        assert r.status_code == 200
        body = r.json()
        assert body["status"] == "refused" and body["state"] == "done_on_time"
        assert body["decision_reasons"] == "Vị trí trùng quy hoạch đất quốc phòng"
        again = api.post(
            f"reviews/{code}/decision",
            {"decided_on": "2026-04-06", "decision": "approved", "decision_no": "2"},
        )
        assert again.status_code == 409


@time_machine.travel(f"2026-04-06 {NOON}", tick=False)
def test_the_other_tracks_follow_their_rules(rw):
    fc = register(rw, procedure="foreign_capital", flags=[])
    steps = {c["step"]: c for c in fc["clocks"]}
    assert set(steps) == {"send", "decide"}
    assert steps["send"]["due_on"] == "2026-04-07"  # 2 WD from 3/4
    assert steps["decide"]["due_on"] == "2026-04-17"  # 10 WD from 3/4
    assert fc["due_on"] == "2026-04-17"
    assert all(p["mandatory"] for p in fc["proposed_consultations"] if p["unit"] in "MQ")
    c = consult(rw, fc["code"], "Q", "2026-04-06")
    assert c["deadline"]["length"] == 5 and c["due_on"] == "2026-04-13"
    pm = register(rw, procedure="pm")
    lengths = {c["step"]: c["rule"]["length"] for c in pm["clocks"]}
    assert lengths == {"send": 3, "report": 20, "decide": 5}
    assert consult(rw, pm["code"], "M", "2026-04-06")["deadline"]["length"] == 10
    zone = register(rw, procedure="zone")
    assert {c["step"]: c["rule"]["length"] for c in zone["clocks"]} == {"send": 2, "decide": 17}
    investor = register(rw, procedure="investor_approval")
    assert {c["step"]: c["rule"]["length"] for c in investor["clocks"]} == {
        "send": 2,
        "report": 14,
        "decide": 3,
    }


# -- lists, scorecards, map ---------------------------------------------------------------------
def test_scorecard_counts_deemed_consents_late_answers_and_overdue_reviews(rw):
    with time_machine.travel(f"2026-04-06 {NOON}", tick=False):
        first = register(rw)["code"]
        second = register(rw)["code"]
        c1 = consult(rw, first, "M", "2026-04-06")["code"]
        consult(rw, second, "M", "2026-04-06")
        c3 = consult(rw, first, "Q", "2026-04-06")["code"]
        rw.w.api(rw.head_q).post(
            f"consultations/{c3}/answer", {"answered_on": "2026-04-06", "opinion": "agree"}
        )
    with time_machine.travel(f"2026-04-24 {NOON}", tick=False):
        rw.w.api(rw.head_m).post(
            f"consultations/{c1}/answer", {"answered_on": "2026-04-24", "opinion": "agree"}
        )
        rows = {
            r["unit"]: r
            for r in rw.w.api(rw.w.leader_p).get("review-scorecards", parent="P").json()
        }
        assert rows["M"]["consultations"] == 2
        assert rows["M"]["deemed_consents"] == 2 and rows["M"]["answered_late"] == 1
        assert rows["Q"]["answered_on_time"] == 1 and rows["Q"]["deemed_consents"] == 0
        assert rows["A"]["reviews_open"] == 2 and rows["A"]["reviews_overdue"] == 2
        assert rw.w.api(rw.w.official_b).get("review-scorecards", parent="P").status_code == 404
        overdue = rw.w.api(rw.w.clerk_a).get("reviews", state="overdue").json()
        assert overdue["count"] == 2


@time_machine.travel(f"2026-04-06 {NOON}", tick=False)
def test_map_places_sensitive_reviews_by_site_else_area(rw):
    from areas.models import Area

    placed, bare = Area.objects.filter(parent_id="33").order_by("code")[:2]
    Area.objects.filter(code=placed.code).update(latitude=20.5, longitude=106.3)
    Area.objects.filter(code=bare.code).update(latitude=None, longitude=None)
    site = register(rw, area=bare.code, latitude=20.33, longitude=106.6)["code"]
    by_area = register(rw, area=placed.code)["code"]
    nowhere = register(rw, area=bare.code)["code"]
    register(rw, area=placed.code, flags=[])
    body = rw.w.api(rw.w.clerk_a).get("review-map").json()
    points = {p["code"]: p for p in body["points"]}
    assert set(points) == {site, by_area}
    assert points[site]["source"] == "site" and points[site]["lat"] == 20.33
    assert points[by_area]["source"] == "area" and points[by_area]["lon"] == 106.3
    assert [m["code"] for m in body["missing"]] == [nowhere]
    outsider = rw.w.api(rw.w.official_b).get("review-map").json()
    assert outsider["points"] == [] and outsider["missing"] == []
    assert {"name": placed.name, "lat": 20.5, "lon": 106.3} in body["context"]
    r = rw.w.api(rw.w.clerk_a).post("reviews", rw.review_body(latitude=20.3))
    assert r.status_code == 422 and "longitude" in r.json()["errors"]


# -- the rules ---------------------------------------------------------------------------------
def test_every_limit_of_section_a1_is_a_rule_row_with_a_source(db):
    rows = DeadlineRule.objects.filter(key__startswith="reviews.")
    have = {(r.key, r.variant, r.length, r.unit, r.effective_to is None) for r in rows}
    expected = {
        ("reviews.send", "province", 2, "working", True),
        ("reviews.reply", "province", 7, "working", True),
        ("reviews.report", "province", 14, "working", True),
        ("reviews.decide", "province", 3, "working", True),
        ("reviews.send", "zone", 2, "working", True),
        ("reviews.reply", "zone", 7, "working", True),
        ("reviews.decide", "zone", 17, "working", True),
        ("reviews.send", "investor_approval", 2, "working", True),
        ("reviews.reply", "investor_approval", 7, "working", True),
        ("reviews.report", "investor_approval", 14, "working", True),
        ("reviews.decide", "investor_approval", 3, "working", True),
        ("reviews.send", "foreign_capital", 2, "working", True),
        ("reviews.reply", "foreign_capital", 5, "working", True),
        ("reviews.decide", "foreign_capital", 10, "working", True),
        ("reviews.send", "pm", 3, "working", True),
        ("reviews.reply", "pm", 10, "working", True),
        ("reviews.report", "pm", 20, "working", True),
        ("reviews.decide", "pm", 5, "working", True),
        ("reviews.send", "province", 3, "working", False),
        ("reviews.reply", "province", 15, "calendar", False),
        ("reviews.report", "province", 28, "working", False),
        ("reviews.decide", "province", 7, "working", False),
        ("reviews.total", "province", 35, "working", False),
    }
    assert have == expected
    assert all(r.source and r.label and r.event for r in rows)
    assert all(r.configurable for r in rows if r.effective_to is not None)
    assert rows.get(key="reviews.decide", variant="foreign_capital").configurable


@time_machine.travel(f"2026-04-06 {NOON}", tick=False)
@pytest.mark.parametrize(
    "action, body",
    [
        ("corrections", {"requested_on": "2026-04-06", "note": "Thiếu hồ sơ"}),
        ("valid", {"valid_on": "2026-04-06"}),
        ("report", {"sent_on": "2026-04-06"}),
        ("decision", {"decided_on": "2026-04-06", "decision": "approved", "decision_no": "1"}),
        ("consultations", {"unit": "C", "sent_on": "2026-04-06"}),
    ],
)
def test_every_review_action_is_the_owners(rw, action, body):
    code = register(
        rw,
        flags=[],
        valid_on=None if action == "valid" else "2026-04-03",
        procedure="zone" if action == "decision" else "province",
    )["code"]
    version = Matter.objects.get(code=code).version
    for user, status in (
        (rw.w.leader_p, 403),
        (rw.w.head_a, None),
        (rw.w.official_b, 404),
        (rw.head_m, 404),
        (rw.w.auditor_p, 403),
    ):
        if status is None:
            continue
        r = rw.w.api(user).post(f"reviews/{code}/{action}", body)
        assert r.status_code == status, (user, r.json())
    assert Matter.objects.get(code=code).version == version
    assert Consultation.objects.count() == 0
    r = rw.w.api(rw.w.head_a).post(f"reviews/{code}/{action}", body)
    assert r.status_code in (200, 201), r.json()


@time_machine.travel(f"2026-04-06 {NOON}", tick=False)
def test_lists_take_a_fixed_number_of_queries(rw, django_assert_max_num_queries):
    api = rw.w.api(rw.w.clerk_a)
    for _ in range(3):
        consult(rw, register(rw)["code"], "M", "2026-04-06")
    with django_assert_max_num_queries(16) as few:
        assert api.get("reviews").json()["count"] == 3
        assert api.get("consultations").json()["count"] == 3
    baseline = len(few.captured_queries)
    for _ in range(5):
        consult(rw, register(rw)["code"], "M", "2026-04-06")
    with django_assert_max_num_queries(baseline):
        assert api.get("reviews").json()["count"] == 8
        assert api.get("consultations").json()["count"] == 8
