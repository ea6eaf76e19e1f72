"""Statements to the press through the HTTP API: clocks in hours and days, refusal grounds,
access, bad input, periodic duties, the public list and the annual indicators."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from audit.models import AuditEvent
from matters.models import Category, DeadlineRule, Matter
from matters.services import matter_new
from statements.models import Statement

pytestmark = pytest.mark.django_db


def open_statement(world, user=None, **fields):
    body = {
        "unit": "A",
        "trigger": "event",
        "triggered_at": "2026-09-01T21:30:00+07:00",
        "subject": "Sự cố sạt lở đê biển tại xã Đồng Châu",
    }
    body.update(fields)
    response = world.api(user or world.clerk_a).post("statements", body)
    assert response.status_code == 201, response.json()
    return response.json()


def deliver(world, code, at, user=None, **fields):
    body = {"delivered_at": at, "form": "written", "text": "Thông cáo báo chí", "speaker": "Head_A"}
    body.update(fields)
    return world.api(user or world.clerk_a).post(f"statements/{code}/deliver", body)


# -- clocks in hours ---------------------------------------------------------------------------
@time_machine.travel("2026-09-03 08:00 +0700", tick=False)
def test_event_gives_24_hours_across_midnight_and_the_national_day(world):
    body = open_statement(world)
    assert body["kind"] == "statement" and body["owner"] == "A"
    assert body["code"].startswith("PN2026-33-")
    # 21:30 on 1/9 (a holiday) + 24 hours = 21:30 on 2/9 (a holiday too): hours do not stop.
    assert body["due_at"] == "2026-09-02T21:30:00+07:00"
    assert body["due_on"] == "2026-09-02"
    deadline = body["deadline"]
    assert deadline["unit"] == "hours" and deadline["hours"] == 24
    assert deadline["rule"]["source"] == "Nghị định 244/2026/NĐ-CP, Điều 7 khoản 3"
    assert deadline["through"] == ["2026-09-01", "2026-09-02"]
    matter = Matter.objects.get(code=body["code"])
    assert matter.due_at == datetime.fromisoformat("2026-09-02T21:30:00+07:00")
    assert matter.due_on == date(2026, 9, 2) and matter.rule.unit == "hours"
    assert body["state"] == "overdue"


@time_machine.travel("2026-08-03 08:00 +0700", tick=False)
def test_due_day_is_the_local_day_whatever_the_offset_given(world):
    # 20:00 UTC on 29/7 is 03:00 on 30/7 in Hanoi; 24 hours later is 03:00 on 31/7.
    body = open_statement(world, triggered_at="2026-07-29T20:00:00Z", trigger="divided_opinion")
    assert body["due_at"] == "2026-07-31T03:00:00+07:00"
    assert body["due_on"] == "2026-07-31"
    assert body["deadline"]["rule"]["source"] == "Nghị định 244/2026/NĐ-CP, Điều 7 khoản 4"


def test_hour_clock_states_to_the_minute(world):
    with time_machine.travel("2026-10-09 23:00 +0700", tick=False):
        code = open_statement(world, triggered_at="2026-10-09T22:00:00+07:00")["code"]
    api = world.api(world.clerk_a)
    with time_machine.travel("2026-10-10 14:59 +0700", tick=False):
        assert api.get(f"statements/{code}").json()["state"] == "in_time"
    with time_machine.travel("2026-10-10 16:01 +0700", tick=False):
        assert api.get(f"statements/{code}").json()["state"] == "due_soon"
    with time_machine.travel("2026-10-10 22:01 +0700", tick=False):
        body = api.get(f"statements/{code}").json()
        assert body["state"] == "overdue"
        # Given a minute late on the due day: late, though the day is the same.
        r = deliver(world, code, "2026-10-10T22:01:00+07:00")
        assert r.status_code == 200, r.json()
        body = r.json()
        assert body["state"] == "done_late" and body["on_time"] is False
        assert body["status"] == "delivered" and body["speaker_registered"] is True


@time_machine.travel("2026-10-10 22:00 +0700", tick=False)
def test_given_at_the_last_minute_is_on_time(world):
    code = open_statement(world, triggered_at="2026-10-09T22:00:00+07:00")["code"]
    body = deliver(world, code, "2026-10-10T22:00:00+07:00", form="press_conference").json()
    assert body["on_time"] is True and body["state"] == "done_on_time"


@time_machine.travel("2026-07-10 08:00 +0700", tick=False)
def test_before_1_july_2026_the_old_decree_governs(world):
    body = open_statement(world, triggered_at="2026-06-30T10:00:00+07:00")
    assert body["deadline"]["rule"]["source"] == "Nghị định 09/2017/NĐ-CP, Điều 6 khoản 3 điểm a"
    assert body["due_at"] == "2026-07-01T10:00:00+07:00"
    # Decree 09 set no clock for divided opinion.
    body = open_statement(
        world, triggered_at="2026-06-30T10:00:00+07:00", trigger="divided_opinion"
    )
    assert body["due_at"] is None and body["due_on"] is None and body["deadline"] is None


# -- clocks in days ----------------------------------------------------------------------------
@time_machine.travel("2026-09-20 08:00 +0700", tick=False)
def test_forwarded_petition_gives_15_working_days_then_5_after_the_conclusion(world):
    petition = matter_new(
        kind="petition",
        title="Đơn kiến nghị",
        area=world.commune,
        category=Category.objects.get(code="land"),
        owner=world.a,
        opened_on=date(2026, 8, 20),
        status="received",
    )
    body = open_statement(
        world,
        trigger="forwarded_petition",
        triggered_at="2026-08-20T09:00:00+07:00",
        petition=petition.code,
        press_agency="Báo Hưng Yên",
        subject="Báo chuyển đơn phản ánh về bồi thường",
    )
    # 15 WD from Thu 20/8: 21/8, 22/8 (make-up Saturday), 24-28/8, then 31/8, 1-2/9 off, 3/9 ...
    assert body["deadline"]["unit"] == "working" and body["deadline"]["days"] == 15
    assert body["due_on"] == "2026-09-14" and body["due_at"] is None
    assert body["petition"] == petition.code
    assert "2026-09-01" in body["deadline"]["skipped"]
    follow = open_statement(
        world,
        trigger="forwarded_conclusion",
        parent=body["code"],
        triggered_at="2026-09-18T15:00:00+07:00",
        subject="Kết luận giải quyết",
    )
    assert follow["petition"] == petition.code and follow["parent"] == body["code"]
    assert follow["due_on"] == "2026-09-25"
    assert follow["deadline"]["rule"]["source"] == "Nghị định 237/2026/NĐ-CP, Điều 18 khoản 2"
    r = world.api(world.clerk_a).post(
        "statements",
        {
            "unit": "A",
            "trigger": "forwarded_petition",
            "triggered_at": "2026-09-18T15:00:00+07:00",
            "subject": "x",
            "petition": "D2026-33-999999",
        },
    )
    assert r.status_code == 422 and "petition" in r.json()["errors"]


@time_machine.travel("2026-12-20 08:00 +0700", tick=False)
def test_press_answer_30_days_rolls_off_a_weekend_and_a_press_question_has_no_clock(world):
    body = open_statement(world, trigger="press_answer", triggered_at="2026-11-05T10:00:00+07:00")
    assert body["due_on"] == "2026-12-07"  # 5/12 is a Saturday
    body = open_statement(
        world,
        trigger="press_request",
        triggered_at="2026-11-05T10:00:00+07:00",
        press_agency="Báo Thái Bình",
        question="Tiến độ dự án?",
    )
    assert body["due_on"] is None and body["deadline"] is None and body["state"] == "in_time"


# -- refusal -----------------------------------------------------------------------------------
@pytest.mark.parametrize("ground", ["secret", "under_investigation", "no_conclusion"])
@time_machine.travel("2026-09-10 08:00 +0700", tick=False)
def test_refusal_on_each_legal_ground(world, ground):
    code = open_statement(world, trigger="press_request", triggered_at="2026-09-09T10:00:00+07:00")[
        "code"
    ]
    r = world.api(world.clerk_a).post(
        f"statements/{code}/refuse", {"ground": ground, "reason": "Vụ việc đang được thanh tra"}
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (
        body["status"] == "refused"
        and body["ground"] == ground
        and not Matter.objects.get(code=code).is_open
    )
    event = AuditEvent.objects.get(matter=code, action="statement.refuse")
    assert "Luật Báo chí 126/2025/QH15" in event.data["source"]
    assert world.api(None).get("public/statements").json()["count"] == 0


@time_machine.travel("2026-09-10 08:00 +0700", tick=False)
def test_refusal_on_other_grounds_is_422_and_changes_nothing(world):
    code = open_statement(world, trigger="press_request", triggered_at="2026-09-09T10:00:00+07:00")[
        "code"
    ]
    api = world.api(world.clerk_a)
    for ground in ("inconvenient", "unpublished_draft", ""):
        r = api.post(f"statements/{code}/refuse", {"ground": ground, "reason": "Không tiện"})
        assert r.status_code == 422 and "ground" in r.json()["errors"], ground
        assert "secret" in r.json()["errors"]["ground"]
    r = api.post(f"statements/{code}/refuse", {"ground": "secret", "reason": "  "})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = api.post(f"statements/{code}/refuse", {"ground": "secret"})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    statement = Statement.objects.get(matter__code=code)
    assert statement.ground == "" and statement.refused_at is None
    assert Matter.objects.get(code=code).status == "open"
    periodic = open_statement(
        world,
        trigger="periodic",
        duty="monthly_information",
        triggered_at="2026-09-01T00:00:00+07:00",
        subject="Thông tin tháng 9",
    )
    r = api.post(f"statements/{periodic['code']}/refuse", {"ground": "secret", "reason": "x"})
    assert r.status_code == 422 and "định kỳ" in r.json()["errors"]["ground"]


@time_machine.travel("2026-09-10 08:00 +0700", tick=False)
def test_unpublished_drafts_were_a_ground_only_under_the_2016_law(world):
    code = open_statement(world, trigger="press_request", triggered_at="2026-06-20T10:00:00+07:00")[
        "code"
    ]
    r = world.api(world.clerk_a).post(
        f"statements/{code}/refuse",
        {"ground": "unpublished_draft", "reason": "Dự thảo chưa công bố"},
    )
    assert r.status_code == 200
    event = AuditEvent.objects.get(matter=code, action="statement.refuse")
    assert event.data["source"] == "Luật Báo chí 2016, Điều 38 khoản 2"


# -- bad input and access ----------------------------------------------------------------------
@time_machine.travel("2026-09-10 08:00 +0700", tick=False)
def test_bad_input_names_the_field_and_changes_nothing(world):
    api = world.api(world.clerk_a)
    base = {
        "unit": "A",
        "trigger": "event",
        "triggered_at": "2026-09-09T10:00:00+07:00",
        "subject": "S",
    }
    for change, field in (
        ({"trigger": "rumour"}, "trigger"),
        ({"triggered_at": "2026-09-09T10:00:00"}, "triggered_at"),
        ({"triggered_at": "2026-09-11T10:00:00+07:00"}, "triggered_at"),
        ({"triggered_at": "09/09/2026"}, "triggered_at"),
        ({"subject": ""}, "subject"),
        ({"unit": "NOPE"}, "unit"),
        ({"duty": "monthly_information"}, "duty"),
        ({"trigger": "periodic"}, "duty"),
    ):
        r = api.post("statements", {**base, **change})
        assert r.status_code == 422, change
        assert field in r.json()["errors"], (change, r.json())
    assert Statement.objects.count() == 0 and Matter.objects.count() == 0
    code = open_statement(world, triggered_at="2026-09-09T10:00:00+07:00")["code"]
    for change, field in (
        ({"delivered_at": "2026-09-09T09:00:00+07:00"}, "delivered_at"),
        ({"delivered_at": "2026-09-12T09:00:00+07:00"}, "delivered_at"),
        ({"delivered_at": "2026-09-09T12:00:00"}, "delivered_at"),
        ({"form": "tweet"}, "form"),
        ({"text": ""}, "text"),
        ({"speaker": ""}, "speaker"),
        ({"correction_published": True}, "correction_published"),
    ):
        r = deliver(world, code, "2026-09-09T12:00:00+07:00", **change)
        assert r.status_code == 422, change
        assert field in r.json()["errors"], (change, r.json())
    assert Statement.objects.get(matter__code=code).delivered_at is None


@time_machine.travel("2026-09-10 08:00 +0700", tick=False)
def test_owner_acts_viewer_403_outsider_404(world):
    code = open_statement(world, triggered_at="2026-09-09T10:00:00+07:00")["code"]
    refusal = {"ground": "secret", "reason": "Bí mật nhà nước"}
    for user, status in ((world.leader_p, 403), (world.auditor_p, 403), (world.official_b, 404)):
        api = world.api(user)
        assert api.get(f"statements/{code}").status_code == (200 if status == 403 else 404)
        assert deliver(world, code, "2026-09-09T12:00:00+07:00", user=user).status_code == status
        assert api.post(f"statements/{code}/refuse", refusal).status_code == status
    # Opening a statement for another unit: visible 403, out of sight 404.
    body = {
        "unit": "A",
        "trigger": "event",
        "triggered_at": "2026-09-09T10:00:00+07:00",
        "subject": "S",
    }
    assert world.api(world.leader_p).post("statements", body).status_code == 403
    assert world.api(world.official_b).post("statements", body).status_code == 404
    assert world.api(None).post("statements", body).status_code == 401
    assert Statement.objects.count() == 1 and Statement.objects.get().delivered_at is None
    assert deliver(world, code, "2026-09-09T12:00:00+07:00").status_code == 200
    assert deliver(world, code, "2026-09-09T12:00:00+07:00").status_code == 409


@time_machine.travel("2026-09-10 08:00 +0700", tick=False)
def test_a_speaker_outside_the_register_is_flagged(world):
    code = open_statement(world, triggered_at="2026-09-09T10:00:00+07:00")["code"]
    body = deliver(world, code, "2026-09-09T12:00:00+07:00", speaker="Nguyễn Văn Ngoài").json()
    assert body["speaker_registered"] is False


# -- the public page ---------------------------------------------------------------------------
@time_machine.travel("2026-09-10 08:00 +0700", tick=False)
def test_public_statements_are_the_delivered_ones_newest_first(world):
    first = open_statement(world, triggered_at="2026-09-08T10:00:00+07:00", subject="Thứ nhất")[
        "code"
    ]
    second = open_statement(world, triggered_at="2026-09-08T11:00:00+07:00", subject="Thứ hai")[
        "code"
    ]
    open_statement(world, triggered_at="2026-09-08T12:00:00+07:00", subject="Chưa phát ngôn")
    refused = open_statement(
        world,
        trigger="press_request",
        question="Câu hỏi riêng",
        triggered_at="2026-09-08T12:00:00+07:00",
    )["code"]
    deliver(world, first, "2026-09-09T09:00:00+07:00", text='=HYPERLINK("x")')
    deliver(world, second, "2026-09-08T18:00:00+07:00")
    world.api(world.clerk_a).post(
        f"statements/{refused}/refuse", {"ground": "secret", "reason": "r"}
    )
    anonymous = world.api(None)
    r = anonymous.get("public/statements")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2 and [i["code"] for i in body["items"]] == [first, second]
    assert set(body["items"][0]) == {
        "code",
        "unit",
        "unit_name",
        "trigger",
        "subject",
        "delivered_at",
        "form",
        "text",
        "speaker",
    }
    assert "Câu hỏi riêng" not in r.content.decode()
    assert (
        anonymous.get("public/statements", page_size=1, page=2).json()["items"][0]["code"] == second
    )
    assert anonymous.get("public/statements", page_size=0).status_code == 422


# -- periodic duties ---------------------------------------------------------------------------
def test_periodic_duties_appear_as_due_items_and_a_conference_fulfils_its_duty(world):
    with time_machine.travel("2026-11-26 09:00 +0700", tick=False):
        call_command("statement_duties")
        call_command("statement_duties")
        duties = Statement.objects.filter(matter__owner=world.p).order_by("duty")
        assert [(s.duty, s.matter.due_on) for s in duties] == [
            ("monthly_information", date(2026, 11, 30)),
            ("press_conference", date(2027, 1, 1)),
        ]
        listed = world.api(world.leader_p).get("statements", status="open", unit="P").json()
        assert listed["count"] == 2
        monthly = next(i for i in listed["items"] if i["duty"] == "monthly_information")
        assert monthly["deadline"]["unit"] == "months" and monthly["period_start"] == "2026-11-01"
        held = (
            world.api(world.leader_p)
            .post(
                "statements",
                {
                    "unit": "P",
                    "trigger": "event",
                    "triggered_at": "2026-11-25T10:00:00+07:00",
                    "subject": "Họp báo về dự án ven biển",
                },
            )
            .json()["code"]
        )
        r = deliver(
            world,
            held,
            "2026-11-26T08:00:00+07:00",
            user=world.leader_p,
            form="press_conference",
            speaker="Leader_P",
        )
        assert r.status_code == 200
        conference = Statement.objects.get(matter__owner=world.p, duty="press_conference")
        assert conference.matter.status == "delivered" and conference.parent.matter.code == held
        public = world.api(None).get("public/statements").json()
        assert [i["code"] for i in public["items"]] == [held]
    with time_machine.travel("2026-12-02 09:00 +0700", tick=False):
        call_command("statement_duties")
        nxt = Statement.objects.filter(
            matter__owner=world.p, duty="press_conference", matter__is_open=True
        ).get()
        assert nxt.matter.due_on == date(2027, 2, 26)  # 3 months after the one held
        assert Statement.objects.filter(duty="monthly_information").count() == 2
        assert not Statement.objects.filter(matter__owner=world.a).exists()


# -- the spokesperson register -----------------------------------------------------------------
def test_spokesperson_register_posting_rule_and_public_list(world):
    api = world.api(world.clerk_a)
    with time_machine.travel("2026-09-10 08:00 +0700", tick=False):
        r = api.post(
            "spokespersons",
            {
                "unit": "A",
                "role": "regular",
                "full_name": "Trần Thị Phát",
                "title": "Phó Giám đốc",
                "phone": "0221 3862 000",
                "email": "phatngon@hungyen.gov.vn",
                "decision_no": "15/QĐ-STC",
                "decided_at": "2026-09-09T16:00:00+07:00",
            },
        )
        assert r.status_code == 201, r.json()
        regular = r.json()
        assert regular["posting_due_at"] == "2026-09-10T16:00:00+07:00"
        assert regular["posting_rule"]["source"] == "Nghị định 244/2026/NĐ-CP, Điều 3 khoản 3"
        assert regular["posting_state"] == "in_time"
        bad = api.post(
            "spokespersons",
            {
                "unit": "A",
                "role": "authorised",
                "full_name": "Lê Văn Ủy",
                "title": "Trưởng phòng",
                "email": "not-an-email",
            },
        )
        assert bad.status_code == 422
        assert {"decision_no", "decided_at", "scope", "valid_from", "valid_to", "email"} <= set(
            bad.json()["errors"]
        )
        r = api.post(
            "spokespersons",
            {
                "unit": "A",
                "role": "authorised",
                "full_name": "Lê Văn Ủy",
                "title": "Trưởng phòng",
                "decision_no": "02/UQ-STC",
                "decided_at": "2026-09-10T07:00:00+07:00",
                "scope": "Dự án khu du lịch Đồng Châu",
                "valid_from": "2026-09-10",
                "valid_to": "2026-09-30",
            },
        )
        assert r.status_code == 201
        authorised = r.json()
        assert authorised["posting_due_at"] is None
        assert (
            api.post(
                "spokespersons", {"unit": "A", "role": "head", "full_name": "Head_A"}
            ).status_code
            == 201
        )
        assert (
            api.post("spokespersons", {"unit": "A", "role": "head", "full_name": "X"}).status_code
            == 409
        )
        assert (
            world.api(world.leader_p)
            .post("spokespersons", {"unit": "A", "role": "head", "full_name": "Y"})
            .status_code
            == 403
        )
        assert (
            world.api(world.official_b)
            .post(f"spokespersons/{regular['id']}/publish", {})
            .status_code
            == 404
        )
        assert (
            world.api(world.leader_p).post(f"spokespersons/{regular['id']}/publish", {}).status_code
            == 403
        )
        assert world.api(None).get("public/spokespersons").json() == []
    with time_machine.travel("2026-09-10 17:00 +0700", tick=False):
        r = api.post(f"spokespersons/{regular['id']}/publish", {})
        assert r.status_code == 200 and r.json()["posting_state"] == "done_late"
        api.post(f"spokespersons/{authorised['id']}/publish", {})
        names = [p["full_name"] for p in world.api(None).get("public/spokespersons").json()]
        assert names == ["Lê Văn Ủy", "Trần Thị Phát"]
    with time_machine.travel("2026-10-02 09:00 +0700", tick=False):
        names = [p["full_name"] for p in world.api(None).get("public/spokespersons").json()]
        assert names == ["Trần Thị Phát"]  # the authorisation has lapsed
        assert (
            api.post(f"spokespersons/{regular['id']}/end", {"ended_on": "2026-10-02"}).status_code
            == 200
        )
        assert world.api(None).get("public/spokespersons").json() == []


# -- annual indicators -------------------------------------------------------------------------
@time_machine.travel("2026-12-16 09:00 +0700", tick=False)
def test_annual_indicators_workbook(world):
    on_time = open_statement(world, triggered_at="2026-09-01T10:00:00+07:00")["code"]
    late = open_statement(world, triggered_at="2026-09-02T10:00:00+07:00")["code"]
    open_statement(world, triggered_at="2026-12-15T10:00:00+07:00")  # next year's period
    asked = open_statement(
        world,
        trigger="press_request",
        triggered_at="2026-10-01T10:00:00+07:00",
        subject="=1+2 tiến độ",
    )["code"]
    open_statement(world, trigger="press_request", triggered_at="2026-10-02T10:00:00+07:00")
    false_info = open_statement(
        world, trigger="false_information", triggered_at="2026-11-02T10:00:00+07:00"
    )["code"]
    deliver(world, on_time, "2026-09-01T20:00:00+07:00", form="press_conference")
    deliver(world, late, "2026-09-04T10:00:00+07:00", text="-1+1", form="briefing")
    deliver(world, asked, "2026-10-01T15:00:00+07:00")
    deliver(world, false_info, "2026-11-03T10:00:00+07:00", correction_published=True)
    r = world.api(world.head_a).get("statements/indicators.xlsx", unit="A", year=2026)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(r.content))
    sheet = book.worksheets[0]
    values = {
        row[0]: (row[2], row[3]) for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]
    }
    assert values == {1: (1, None), 2: (1, None), 3: (1, 2), 4: (3, 4), 5: (1, 2), 6: (1, 1)}
    register = book.worksheets[1]
    texts = [c.value for c in register["K"]]
    assert "'=1+2 tiến độ" in texts
    assert all(not str(t).startswith(("=", "+", "-", "@")) for t in texts if t)
    assert (
        world.api(world.official_b).get("statements/indicators.xlsx", unit="A").status_code == 404
    )
    assert (
        world.api(world.head_a).get("statements/indicators.xlsx", unit="A", year=1990).status_code
        == 422
    )


# -- the rules ---------------------------------------------------------------------------------
def test_every_limit_of_section_b1_is_a_rule_row_with_a_source(db):
    rows = DeadlineRule.objects.filter(key__startswith="statements.")
    have = {(r.key, r.variant, r.length, r.unit, r.effective_to is None) for r in rows}
    assert have == {
        ("statements.spokesperson_posting", "regular", 24, "hours", True),
        ("statements.spokesperson_posting", "authorised", 12, "hours", False),
        ("statements.event", "normal", 24, "hours", True),
        ("statements.event", "normal", 24, "hours", False),
        ("statements.divided_opinion", "normal", 24, "hours", True),
        ("statements.periodic", "monthly_information", 1, "calendar", True),
        ("statements.periodic", "press_conference", 3, "calendar", True),
        ("statements.periodic", "press_conference", 3, "calendar", False),
        ("statements.press_answer", "normal", 30, "calendar", True),
        ("statements.press_answer", "normal", 30, "calendar", False),
        ("statements.forwarded_petition", "normal", 15, "working", True),
        ("statements.forwarded_petition", "normal", 30, "calendar", False),
        ("statements.forwarded_conclusion", "normal", 5, "working", True),
        ("statements.periodic", "annual_report", 12, "calendar", True),
        ("statements.internal_regulation", "normal", 45, "calendar", True),
    }
    assert all(r.source and r.label and r.event for r in rows)


@time_machine.travel("2026-09-10 08:00 +0700", tick=False)
def test_statement_lists_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    api = world.api(world.clerk_a)
    triggers = ("event", "forwarded_petition", "press_request")
    for trigger in triggers:
        open_statement(world, trigger=trigger, triggered_at="2026-09-09T10:00:00+07:00")
    with django_assert_max_num_queries(20) as few:
        assert api.get("statements").json()["count"] == 3
    baseline = len(few.captured_queries)
    for trigger in triggers * 3:
        open_statement(world, trigger=trigger, triggered_at="2026-09-09T10:00:00+07:00")
    with django_assert_max_num_queries(baseline):
        assert api.get("statements").json()["count"] == 12
