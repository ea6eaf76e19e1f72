"""The press pages in a real browser (Debian chromium): record an incident, see its 24-hour
clock, give the statement, find it on the public page; the spokesperson register."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from common.clock import now
from common.testing.browser import login, screenshot
from conftest import PASSWORD
from statements import services
from statements.models import Statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_incident_statement_from_due_item_to_public_page(page, world):
    services.statement_open(
        actor=world.clerk_a,
        unit="A",
        trigger="press_request",
        triggered_at=now() - timedelta(days=1),
        press_agency="Báo Hưng Yên",
        subject="Tiến độ giải phóng mặt bằng khu công nghiệp",
    )
    login(page, "clerk_a", PASSWORD)
    page.goto("/statements/new/")
    page.select_option("select[name=trigger]", "event")
    assert page.locator("select[name=duty]").is_hidden()
    started = timezone.localtime(now() - timedelta(hours=2))
    page.fill("input[name=triggered_at]", started.strftime("%H:%M %d/%m/%Y"))
    page.fill("textarea[name=subject]", "Cháy kho hàng tại cảng cá Diêm Điền")
    screenshot(page, "statements-new")
    page.click("form.review-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    due = (started + timedelta(hours=24)).strftime("%H:%M %d/%m/%Y")
    assert due in body and "Nghị định 244/2026/NĐ-CP, Điều 7 khoản 3" in body
    screenshot(page, "statements-detail-open")
    page.fill("textarea[name=text]", "Đám cháy đã được khống chế lúc 22 giờ; không có thương vong.")
    page.select_option("select[name=form]", "written")
    page.click("form[action$='/deliver/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Đám cháy đã được khống chế" in page.inner_text("main")
    screenshot(page, "statements-detail-given")
    page.goto("/statements/")
    assert "Tiến độ giải phóng mặt bằng" in page.inner_text("main")
    screenshot(page, "statements-list")
    statement = Statement.objects.get(trigger="event")
    assert statement.delivered_at is not None and statement.delivered_at <= statement.due_at

    anonymous = page.context.browser.new_context(
        base_url=page.url.split("/statements")[0],
        locale="vi-VN",
        viewport={"width": 1366, "height": 900},
    )
    public = anonymous.new_page()
    public.goto("/statements/public/")
    text = public.inner_text("main")
    assert "Cháy kho hàng tại cảng cá Diêm Điền" in text and "Tiến độ giải phóng" not in text
    screenshot(public, "statements-public")
    anonymous.close()


def test_spokesperson_register_page(page, world):
    login(page, "clerk_a", PASSWORD)
    page.goto("/statements/spokespersons/")
    page.select_option("select[name=role]", "regular")
    page.fill("input[name=full_name]", "Trần Thị Phát")
    page.fill("input[name=title]", "Phó Giám đốc Sở")
    page.fill("input[name=phone]", "0227 3831 000")
    page.fill("input[name=email]", "phatngon.so-a@hungyen.gov.vn")
    page.fill("input[name=decision_no]", "15/QĐ-SA")
    decided = timezone.localtime(now() - timedelta(hours=30))
    page.fill("input[name=decided_at]", decided.strftime("%H:%M %d/%m/%Y"))
    page.click("section.actions button[type=submit]")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert "Trần Thị Phát" in body
    assert page.locator(".state-overdue").count() == 1  # not posted within 24 hours
    screenshot(page, "statements-register")
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".badge.warn").count() == 1
    screenshot(page, "statements-register-posted")
