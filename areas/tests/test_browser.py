"""In the browser: an old address typed at intake proposes the commune in force; the page
of closed units hands their open matters over."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from common.testing.browser import login, screenshot
from conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "vault"]),
]


def test_an_old_address_proposes_the_commune_in_force(page, world):
    login(page, "clerk_a", PASSWORD)
    page.goto("/petitions/new/")
    page.fill("input[name=area_old]", "xã Đông Hợp, huyện Đông Hưng, tỉnh Thái Bình")
    page.press("input[name=area_old]", "Tab")
    hint = page.locator("#id_area_old-hint")
    # The first conversion loads the address parser (seconds on a busy machine). Playwright's
    # expect polls without eval (the pages' CSP forbids it).
    expect(hint).to_contain_text("Xã Đông Hưng (12688)", timeout=60000)
    expect(page.locator("select[name=area]")).to_have_value("12688")
    screenshot(page, "areas-intake-old-address")
    page.fill("input[name=area_old]", "xã Ngọc Thanh, huyện Kim Động, tỉnh Hưng Yên")
    page.press("input[name=area_old]", "Tab")
    expect(hint).to_contain_text("11983")
    expect(page.locator("select[name=area]")).to_have_value("")
    screenshot(page, "areas-intake-split-commune")


def test_the_closed_units_page_hands_matters_over(page, world):
    from petitions.services import petition_receive
    from units.services import unit_close

    code = petition_receive(
        actor=world.official_b,
        kind="proposal",
        channel="post",
        received_on=date(2025, 6, 20),
        area="12751",
        category="land",
        summary="Kiến nghị về lối đi chung",
    ).matter.code
    unit_close(
        actor=world.admin,
        unit=world.b,
        successor="A",
        closed_on=date(2025, 6, 30),
    )
    login(page, "head_a", PASSWORD)
    page.goto("/units/closed/")
    assert code in page.content()
    screenshot(page, "units-closed")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Đã chuyển giao 1 việc" in page.content()
    screenshot(page, "units-closed-done")
