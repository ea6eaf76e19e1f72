"""The HTML pages: who sees them, who may use their forms, and what bad input does."""

from __future__ import annotations

import time_machine
from django.test import Client

from matters.models import Matter
from plans.models import Briefing, ProgressReport
from plans.tests.conftest import DAY, make_task


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_plan_pages_by_persona(pw):
    w = pw.w
    with time_machine.travel(DAY, tick=False):
        code = make_task(w.api(w.leader_p), pw.plan, "A", "2026-04-30", ["B"])
        for user in (w.leader_p, w.head_a, w.head_c):
            r = browser(user).get(f"/plans/{pw.plan}/")
            assert r.status_code == 200
        assert "Kế hoạch của P" in browser(w.head_c).get("/plans/").content.decode()
        assert browser(pw.official_d).get(f"/plans/{pw.plan}/").status_code == 404
        assert browser(w.official_b).get(f"/plans/tasks/{code}/").status_code == 200
        assert browser(w.head_c).get(f"/plans/tasks/{code}/").status_code == 404


def test_task_form_on_page(pw):
    w = pw.w
    data = {
        "t-title": "Rà soát địa bàn",
        "t-lead": "A",
        "t-cooperating": ["B"],
        "t-opened_on": "02/03/2026",
        "t-due_on": "30/04/2026",
        "t-area": "33",
        "t-category": "public_order",
        "t-reporting": "monthly",
        "t-weight": "1",
        "t-description": "",
    }
    with time_machine.travel(DAY, tick=False):
        assert browser(w.head_a).post(f"/plans/{pw.plan}/tasks/new/", data).status_code == 403
        assert browser(pw.official_d).post(f"/plans/{pw.plan}/tasks/new/", data).status_code == 404
        r = browser(w.leader_p).post(
            f"/plans/{pw.plan}/tasks/new/", {**data, "t-due_on": "01/03/2026"}
        )
        assert r.status_code == 422 and not Matter.objects.exists()
        r = browser(w.leader_p).post(f"/plans/{pw.plan}/tasks/new/", data)
        assert r.status_code == 302
        matter = Matter.objects.get()
        # 30/04 is read day first.
        assert str(matter.due_on) == "2026-04-30"


def test_a_deadline_long_past_or_years_ahead_is_confirmed_on_the_form(pw):
    """A slip of the year (2062 for 2026) or a deadline long gone is refused once, with a box
    to confirm it; ticked, the task is made. The API takes such dates as before."""
    w = pw.w
    data = {
        "t-title": "Rà soát địa bàn",
        "t-lead": "A",
        "t-opened_on": "02/03/2026",
        "t-due_on": "30/04/2062",
        "t-area": "33",
        "t-category": "public_order",
        "t-reporting": "monthly",
        "t-weight": "1",
    }
    url = f"/plans/{pw.plan}/tasks/new/"
    with time_machine.travel(DAY, tick=False):
        page = browser(w.leader_p).get(f"/plans/{pw.plan}/")
        assert 'name="t-confirm_due"' in page.content.decode()
        assert 'type="checkbox" name="t-confirm_due"' not in page.content.decode()
        r = browser(w.leader_p).post(url, data)
        html = r.content.decode()
        assert r.status_code == 422 and not Matter.objects.exists()
        assert "30/04/2062 là hơn hai năm nữa" in html
        assert 'type="checkbox" name="t-confirm_due"' in html
        r = browser(w.leader_p).post(url, {**data, "t-confirm_due": "on"})
        assert r.status_code == 302
        assert str(Matter.objects.get().due_on) == "2062-04-30"
        # An ordinary deadline is not asked about.
        r = browser(w.leader_p).post(url, {**data, "t-due_on": "30/04/2027"})
        assert r.status_code == 302 and Matter.objects.count() == 2
        # The API is not asked.
        make_task(w.api(w.leader_p), pw.plan, "A", "2070-01-01")
        assert Matter.objects.count() == 3
    with time_machine.travel("2026-06-15", tick=False):
        past = {**data, "t-opened_on": "03/02/2026", "t-due_on": "10/02/2026"}
        r = browser(w.leader_p).post(url, past)
        assert r.status_code == 422 and Matter.objects.count() == 3
        assert "10/02/2026 là 125 ngày trước" in r.content.decode()
        r = browser(w.leader_p).post(url, {**past, "t-confirm_due": "on"})
        assert r.status_code == 302 and Matter.objects.count() == 4


def test_the_units_are_checkboxes_with_a_filter_and_post_as_before(pw):
    """Cooperating and target units are a list of labelled checkboxes (no Ctrl-click) with a
    nameless filter box; ticking two posts the same values a multi-select did."""
    import re

    from matters.models import Participant

    w = pw.w
    with time_machine.travel(DAY, tick=False):
        html = browser(w.leader_p).get(f"/plans/{pw.plan}/").content.decode()
        assert '<select name="t-cooperating"' not in html
        boxes = re.findall(r'<input type="checkbox" name="t-cooperating" value="(\w+)"[^>]*>', html)
        assert {"A", "B", "C"} <= set(boxes)
        assert re.search(r'<label for="id_t-cooperating_\d+"><input type="checkbox"', html)
        assert 'data-checklist-filter hidden autocomplete="off"' in html
        assert re.search(r'<input type="search" class="checklist-filter"(?![^>]*name=)', html)
        assert "Lọc danh sách đơn vị" in html
        assert 'src="/static/js/app.js"' in html or "js/app." in html
        data = {
            "t-title": "Rà soát địa bàn",
            "t-lead": "A",
            "t-cooperating": ["B", "C"],
            "t-opened_on": "02/03/2026",
            "t-due_on": "30/04/2026",
            "t-area": "33",
            "t-category": "public_order",
            "t-reporting": "monthly",
            "t-weight": "1",
        }
        r = browser(w.leader_p).post(f"/plans/{pw.plan}/tasks/new/", data)
        assert r.status_code == 302
        cooperating = Participant.objects.filter(role="cooperating").values_list(
            "unit__code", flat=True
        )
        assert sorted(cooperating) == ["B", "C"]


def test_progress_by_htmx_and_briefing_form(pw):
    w = pw.w
    with time_machine.travel(DAY, tick=False):
        code = make_task(w.api(w.leader_p), pw.plan, "A", "2026-04-30")
        r = browser(w.handler_a).post(
            f"/plans/tasks/{code}/progress/",
            {"progress": "35", "reported_on": "02/03/2026", "note": "Đang triển khai"},
            headers={"HX-Request": "true"},
        )
        assert r.status_code == 200 and "35%" in r.content.decode()
        assert ProgressReport.objects.count() == 1
        r = browser(w.handler_a).post(
            f"/plans/tasks/{code}/progress/", {"progress": "135", "reported_on": "02/03/2026"}
        )
        assert r.status_code == 422 and ProgressReport.objects.count() == 1
        assert (
            browser(w.leader_p)
            .post(f"/plans/tasks/{code}/progress/", {"progress": "5"})
            .status_code
            == 403
        )
        assert browser(w.head_c).get(f"/plans/{pw.plan}/briefings/new/").status_code == 200
        assert browser(w.leader_p).get(f"/plans/{pw.plan}/briefings/new/").status_code == 403
        r = browser(w.head_c).post(
            f"/plans/{pw.plan}/briefings/new/",
            {"unit": "C", "held_on": "20/02/2026", "attendees": "40", "chair": "Bí thư"},
        )
        assert r.status_code == 302 and Briefing.objects.get().attendees == 40


def test_scorecard_page_shows_plan_columns(pw):
    w = pw.w
    with time_machine.travel(DAY, tick=False):
        r = browser(w.leader_p).get("/scorecards/?parent=P")
        assert r.status_code == 200
        page = r.content.decode()
        assert "Hội nghị quán triệt chưa tổ chức" in page and "Báo cáo tiến độ chậm" in page
        rows = w.api(w.leader_p).get("scorecards", parent="P").json()
        c = next(row for row in rows if row["unit"] == "C")
        assert c["briefings_missing"] == 1 and c["reports_late"] == 0
