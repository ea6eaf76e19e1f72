"""The petition pages in a real browser (Debian chromium): intake with a bad field, the
petition page, the decision step, an action through htmx, the inbox, reception."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from common.clock import today
from common.testing.browser import login, screenshot
from conftest import PASSWORD
from matters.models import Matter
from petitions.models import Petition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "vault"]),
]


def test_clerk_registers_processes_and_accepts_a_petition(page, world):
    login(page, "clerk_a", PASSWORD)
    page.goto("/petitions/new/")
    page.select_option("select[name=kind]", "complaint")
    page.select_option("select[name=channel]", "in_person")
    page.fill("input[name=received_on]", "01/01/2099")
    page.select_option("select[name=area]", world.commune.code)
    page.select_option("select[name=category]", "land")
    page.fill("input[name=summary]", "Khiếu nại quyết định thu hồi đất")
    page.fill("textarea[name=content]", "Gia đình không đồng ý với quyết định thu hồi đất.")
    page.fill("input[name=p-0-full_name]", "Nguyễn Văn An")
    page.fill("input[name=p-0-id_number]", "12345")
    page.click("form.pt-intake button[type=submit]")
    page.wait_for_load_state("networkidle")
    screenshot(page, "petitions-intake-errors")
    errors = page.locator(".pt-error").all_inner_texts()
    assert any("01/01/2099" in e for e in errors), errors
    assert any("12" in e for e in errors), errors

    page.fill("input[name=received_on]", f"{today():%d/%m/%Y}")
    page.fill("input[name=p-0-id_number]", "034080001234")
    page.click("form.pt-intake button[type=submit]")
    page.wait_for_selector(".messages .msg")
    page.wait_for_load_state("networkidle")
    code = page.locator("h1 code").inner_text()
    assert page.url.endswith(f"/petitions/{code}/")
    assert "PIN" in page.locator(".messages").inner_text()
    screenshot(page, "petitions-detail-received")

    # The decision step: out of competence -> guide, then back to accept.
    page.uncheck("input[name=competent]")
    page.wait_for_selector(".pt-advice[data-decision=guide]")
    assert page.locator("#advice .pt-advice").get_attribute("data-branch") == "3.not-competent"
    page.check("input[name=competent]")
    page.wait_for_selector(".pt-advice[data-decision=accept]")
    page.click("a.pt-suggest")
    # Accept with a date in the future: the error shows on the form, nothing changes.
    page.fill("input[name=accept-accepted_on]", "01/01/2099")
    page.click("#action-accept button[type=submit]")
    page.wait_for_selector("#action-accept .pt-error")
    screenshot(page, "petitions-accept-error")
    assert "01/01/2099" in page.locator("#action-accept .pt-error").inner_text()
    page.fill("input[name=accept-accepted_on]", f"{today():%d/%m/%Y}")
    page.click("#action-accept button[type=submit]")
    # htmx reloads the page after the action: the clock becomes the resolution one (K3).
    expect(page.locator(".pt-clock")).to_contain_text("K3")
    page.wait_for_load_state("networkidle")
    assert page.locator(".pt-clock").inner_text().startswith("K3")
    assert "đã thụ lý" in page.locator(".pt-summary").inner_text()
    screenshot(page, "petitions-detail-accepted")

    page.goto("/petitions/")
    assert code in page.locator("#petition-rows").inner_text()
    page.click(".pt-tabs a[data-state=overdue]")
    expect(page.locator("#petition-rows")).not_to_contain_text(code)
    screenshot(page, "petitions-inbox")
    page.wait_for_load_state("networkidle")
    assert Matter.objects.get(code=code).status == "accepted"


def test_head_records_reception_and_a_visit_with_a_petition(page, world):
    login(page, "head_c", PASSWORD)
    page.goto("/petitions/reception/")
    page.fill("input[name=place]", "Trụ sở UBND xã")
    page.click("#session-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=full_name]", "Đoàn Văn Hùng")
    page.fill("input[name=people]", "8")
    page.fill("textarea[name=content]", "Đoàn 8 hộ đề nghị giải quyết tranh chấp lối đi chung")
    page.select_option("select[name=petition_kind]", "proposal")
    page.select_option("select[name=petition_area]", world.commune.code)
    page.select_option("select[name=petition_category]", "land")
    page.click("form.pt-intake button[type=submit]")
    page.wait_for_selector(".messages .msg")
    page.wait_for_load_state("networkidle")
    assert "PIN" in page.locator(".messages").inner_text()
    assert "Đoàn Văn Hùng" in page.locator("table").first.inner_text()
    screenshot(page, "petitions-reception-session")
    page.goto("/petitions/reception/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "petitions-reception")
    assert Petition.objects.get().channel == "in_person"
