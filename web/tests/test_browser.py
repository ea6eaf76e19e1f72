import pytest

from common.testing.browser import login, screenshot
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_walk_the_shell(page, world):
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "Đăng nhập"
    screenshot(page, "login")
    login(page, "leader_p", PASSWORD)
    assert "/accounts/login/" not in page.url
    assert page.locator("nav.sidebar").get_by_text("Đơn vị, cán bộ").is_visible()
    screenshot(page, "home")
    page.get_by_role("link", name="Việc theo dõi").click()
    assert page.locator("h1").inner_text() == "Việc theo dõi"
    page.get_by_role("link", name="Đơn vị, cán bộ").click()
    assert page.get_by_role("cell", name="Sở A").is_visible()
    page.get_by_role("link", name="Lịch làm việc").click()
    assert "Lịch ngày làm việc năm" in page.locator("h1").inner_text()
    screenshot(page, "calendar")


def test_wrong_password_says_so(page, world):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "leader_p")
    page.fill("input[name=password]", "not-the-password")
    page.click("main button[type=submit]")
    assert page.get_by_role("alert").inner_text().startswith("Sai tên đăng nhập")


def test_admin_adds_a_unit_and_sees_the_error_for_a_bad_parent(page, world):
    login(page, "root", PASSWORD)
    page.goto("/units/")
    page.fill("input[name=unit-code]", "S-MOI")
    page.fill("input[name=unit-name]", "Sở Văn hóa")
    page.select_option("select[name=unit-kind]", "department")
    page.fill("input[name=unit-parent]", "KHONG-CO")
    page.get_by_role("button", name="Tạo đơn vị").click()
    assert page.get_by_text("KHONG-CO").first.is_visible()
    page.fill("input[name=unit-parent]", "P")
    page.get_by_role("button", name="Tạo đơn vị").click()
    assert page.get_by_role("status").inner_text() == "Đã tạo đơn vị S-MOI."
    screenshot(page, "units")
