"""The sign-in page in a real browser when an address has failed too often (issue 13,
finding 9): a clear Vietnamese message, status 429, and the form still there."""

from __future__ import annotations

from typing import Any

import pytest

from common.testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sign_in_page_says_when_an_address_has_failed_too_often(
    world: Any, page: Any, settings: Any
) -> None:
    settings.LOGIN_FAILURES_PER_ADDRESS = 2
    for name in ("someone", "someone-else"):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", "not-the-password")
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "Sai tên đăng nhập hoặc mật khẩu" in page.content()
    page.fill("input[name=username]", "clerk_a")
    page.fill("input[name=password]", "not-the-password")
    with page.expect_response(lambda r: r.url.endswith("/accounts/login/")) as answer:
        page.click("main button[type=submit]")
    assert answer.value.status == 429
    page.wait_for_load_state("networkidle")
    alert = page.locator("[role=alert]").inner_text()
    assert "Quá nhiều lần đăng nhập sai từ kết nối này" in alert
    assert page.locator("input[name=username]").is_visible()
    screenshot(page, "accounts-login-throttled")
