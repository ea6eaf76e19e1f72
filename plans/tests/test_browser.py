"""The pages in a real browser: plan tree, plan status with the briefing map, task page with
progress by htmx, briefing form, case page with its timeline, scorecards. Screenshots go to
var/screenshots/ for a person to look at."""

from __future__ import annotations

from datetime import timedelta

import pytest

from common.clock import today
from common.testing.browser import login, screenshot
from conftest import PASSWORD
from plans.tests.conftest import make_directive, make_plan, make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def d(days: int) -> str:
    return (today() + timedelta(days=days)).isoformat()


@pytest.fixture
def cascade(world):
    w = world
    from units.models import Unit
    from units.services import unit_create

    communes = list(
        __import__("areas.models", fromlist=["Area"])
        .Area.objects.filter(parent_id="33")
        .order_by("code")[1:6]
    )
    extra = [
        unit_create(
            actor=w.admin,
            code=f"X{i}",
            name=f"UBND {a.name}",
            kind="peoples_committee",
            parent="P",
            area=a.code,
        )
        for i, a in enumerate(communes)
    ]
    api = w.api(w.leader_p)
    directive = make_directive(api, issued_on=d(-60))
    plan = make_plan(
        api,
        directive,
        "P",
        ["A", "C", *[u.code for u in extra]],
        issued_on=d(-40),
        briefing_due=d(-10),
        number="86-KH/TU",
        title="Kế hoạch triển khai thực hiện Kết luận 32-KL/TW",
    )
    child = make_plan(
        w.api(w.head_a),
        directive,
        "A",
        ["B"],
        parent=plan,
        issued_on=d(-35),
        briefing_due=d(5),
        number="12/KH-SA",
        title="Kế hoạch của Sở A",
    )
    tasks = [
        make_task(
            api,
            plan,
            "A",
            d(-3),
            ["B"],
            opened_on=d(-40),
            title="Rà soát, giải quyết dứt điểm vụ việc phức tạp tại cơ sở",
        ),
        make_task(
            api,
            plan,
            "B",
            d(2),
            opened_on=d(-40),
            title="Tuyên truyền chủ trương, chính sách về an ninh trật tự",
        ),
        make_task(
            api,
            plan,
            "C",
            d(40),
            opened_on=d(-40),
            title="Tiếp công dân, giải quyết đơn thư không để đùn đẩy",
        ),
        make_task(
            w.api(w.head_a),
            child,
            "A",
            d(20),
            opened_on=d(-30),
            title="Kiểm tra dự án FDI ở vị trí nhạy cảm",
        ),
    ]
    w.api(w.head_c).post(
        f"plans/{plan}/briefings",
        {"unit": "C", "held_on": d(-20), "attendees": 60, "chair": "Bí thư Đảng ủy xã"},
    )
    w.api(w.handler_a).post(
        f"tasks/{tasks[0]}/progress",
        {"progress": 40, "note": "Đã rà soát 12/20 vụ việc", "reported_on": d(-15)},
    )
    assert Unit.objects.filter(code="X0").exists()
    return {"plan": plan, "child": child, "tasks": tasks, "world": w}


def test_plan_tree_status_map_and_task_progress(page, cascade):
    login(page, "leader_p", PASSWORD)
    page.goto("/plans/")
    page.wait_for_selector("table.plan-tree")
    assert page.locator("table.plan-tree tbody tr").count() == 2
    screenshot(page, "plans-list")
    page.click("text=86-KH/TU")
    page.wait_for_selector("#briefing-map .dd-marker")
    assert page.locator("#briefing-map .dd-marker").count() >= 5
    first = page.locator("#briefing-map .dd-marker").first
    assert "(" in (first.get_attribute("title") or "")
    assert first.locator(".dd-name").count() == 1
    assert first.locator(".dd-name *").count() == 0  # the name is a text node, no HTML
    assert "Sở B" not in page.locator(".missing-list").inner_text()
    screenshot(page, "plans-detail")
    page.context.clear_cookies()
    login(page, "handler_a", PASSWORD)
    page.goto(f"/plans/tasks/{cascade['tasks'][0]}/")
    page.fill("input[name=progress]", "65")
    page.fill("textarea[name=note]", "Đã đối thoại với các hộ dân")
    page.click("#task-main form button[type=submit]")
    page.wait_for_selector("#progress-history >> text=Đã đối thoại với các hộ dân")
    assert "65%" in page.locator("#task-main").inner_text()
    screenshot(page, "plans-task")


def test_briefing_form(page, cascade):
    login(page, "head_a", PASSWORD)
    page.goto(f"/plans/{cascade['plan']}/")
    page.click("text=Ghi nhận hội nghị quán triệt của đơn vị")
    page.wait_for_selector("input[name=held_on]")
    page.fill(
        "input[name=held_on]", (today() - timedelta(days=50)).strftime("%d/%m/%Y")
    )  # before the plan
    page.fill("input[name=chair]", "Giám đốc Sở")
    page.fill("input[name=attendees]", "45")
    page.click("form.narrow button[type=submit]")
    page.wait_for_selector(".errorlist")
    screenshot(page, "plans-briefing-form")
    page.fill("input[name=held_on]", (today() - timedelta(days=1)).strftime("%d/%m/%Y"))
    page.set_input_files(
        "input[name=minutes_file]",
        files=[
            {
                "name": "bien-ban.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n%minutes\n",
            }
        ],
    )
    page.click("form.narrow button[type=submit]")
    page.wait_for_selector("text=bien-ban.pdf")
    screenshot(page, "plans-briefing-recorded")


def test_case_timeline_and_scorecards(page, cascade):
    w = cascade["world"]
    r = w.api(w.head_a).post(
        "cases",
        {
            "title": "Tranh chấp lao động tập thể tại doanh nghiệp FDI",
            "area": "33",
            "category": "labour",
            "lead": "A",
            "coordinating": ["B"],
            "risk": "high",
            "opened_on": d(-10),
            "due_on": d(20),
            "participants": 320,
        },
    )
    code = r.json()["code"]
    login(page, "official_b", PASSWORD)
    page.goto("/cases/")
    page.click(f"text={code}")
    page.wait_for_selector("#case-timeline")
    page.fill("#case-timeline textarea[name=note]", "Bảo đảm an ninh trật tự tại khu công nghiệp")
    page.click("#case-timeline button[type=submit]")
    page.wait_for_selector(".timeline >> text=Bảo đảm an ninh trật tự tại khu công nghiệp")
    screenshot(page, "cases-detail")
    page.context.clear_cookies()
    login(page, "leader_p", PASSWORD)
    page.goto("/scorecards/?parent=P")
    page.wait_for_selector("table")
    assert "Hội nghị quán triệt chưa tổ chức" in page.content()
    screenshot(page, "scorecards")
