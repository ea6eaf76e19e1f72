"""The citizens' front door in a real browser (Debian chromium), on a phone (390 px) and on
a desk: the commune found by typing, a point on the map, the code by e-mail, a photo, the
receipt; then the tracking page with the steps and the answer. And the officials' side of
a citizen's request about their data: from the menu to the list with its clock, the request
with what is held, and the answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from citizens.models import DataRequest, RoutingRule
from citizens.tests.helpers import CITIZEN, EMAIL, front, jpeg, last_code
from common.testing.browser import login, screenshot
from conftest import PASSWORD
from petitions.models import Petition
from petitions.services import petition_accept, petition_resolve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "vault"]),
]


@pytest.fixture
def f(world: Any, settings: Any, tmp_path: Any) -> Any:
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    with transaction.atomic():
        return front(world)


@pytest.mark.parametrize("width", [390, 1366])
def test_a_citizen_files_on_a_phone_and_follows_the_answer(
    page: Any, f: Any, width: int, tmp_path: Any
) -> None:
    from areas.models import Area

    page.set_default_timeout(60000)  # the shared machine can be slow; nothing here is timed
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/login/")
    page.click("a[href='/cong-dan/']")
    page.wait_for_selector("h1")
    assert "Gửi đơn trực tuyến" in page.locator("h1").inner_text()
    screenshot(page, f"citizens-home-{width}")
    page.click("main a[role=button]")
    page.wait_for_selector("#cz-form")
    # Nothing wider than the screen on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    commune = Area.objects.get(code=f.commune)
    # The name without its "Xã"/"Phường" prefix, as a citizen types it.
    page.fill("input[name=area_name]", commune.name.split(" ", 1)[-1])
    page.wait_for_selector(f"#cz-commune-list button:has-text('{commune.name}')")
    page.click(f"#cz-commune-list button:has-text('{commune.name}')")
    assert page.input_value("input[name=area]") == f.commune
    page.select_option("select[name=category]", f.category)
    page.fill("input[name=summary]", "Đèn đường hỏng ở ngõ 5")
    page.fill("textarea[name=content]", "Ba cột đèn tắt đã hai tuần.")
    page.locator("#cz-map").scroll_into_view_if_needed()
    box = page.locator("#cz-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.input_value("input[name=lat]") != ""
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(jpeg())
    page.set_input_files("input[name=photos]", str(photo))
    page.fill("input[name=contact]", EMAIL)
    page.click("button[value=send_code]")
    page.wait_for_selector(".cz-ok")
    # The page came back with what was typed.
    assert page.input_value("input[name=summary]") == "Đèn đường hỏng ở ngõ 5"
    page.set_input_files("input[name=photos]", str(photo))
    page.fill("input[name=code]", last_code(EMAIL))
    page.check("input[name=consent]")
    screenshot(page, f"citizens-form-{width}")
    page.click("button[value=file]")
    page.wait_for_selector(".cz-receipt")
    text = page.locator(".cz-receipt").inner_text()
    assert "Ban Tiếp công dân tỉnh" in text
    code = page.locator(".cz-receipt code").first.inner_text()
    pin = page.locator(".cz-receipt code").nth(1).inner_text()
    screenshot(page, f"citizens-filed-{width}")

    petition = Petition.objects.select_related("matter__owner").get(matter__code=code)
    clerk = __import__("conftest").make_official(f"tcd{width}", f.office, ["handler"])
    petition_accept(actor=clerk, petition=petition, accepted_on=timezone.localdate())
    petition = Petition.objects.select_related("matter__owner").get(matter__code=code)
    petition_resolve(
        actor=clerk, petition=petition, resolved_on=timezone.localdate(), outcome="Đã thay đèn."
    )
    page.click("main a[role=button]")
    page.wait_for_selector("input[name=pin]")
    page.fill("input[name=pin]", pin)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".rg-history")
    result = page.locator(".rg-result").inner_text()
    assert "Đã thay đèn." in result and "đã giải quyết" in result.lower()
    assert EMAIL not in page.content()
    screenshot(page, f"citizens-track-{width}")
    page.click("a:has-text('Đánh giá kết quả')")
    page.fill("input[name=pin]", pin)
    page.check("input[name=rating][value='5']")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".cz-receipt")
    assert "đã được ghi nhận" in page.locator(".cz-receipt").inner_text()


@pytest.fixture
def asked(f: Any) -> DataRequest:
    """A proposal filed online for unit A, and its citizen's request about their data."""
    with transaction.atomic():
        RoutingRule.objects.create(area_id="33", category=None, unit=f.world.a)
    api = Client(REMOTE_ADDR="198.51.100.40")

    def post(path: str, body: dict[str, Any]) -> Any:
        return api.post(f"/api/v1/public/{path}", json.dumps(body), content_type="application/json")

    email = "hoi.du.lieu@example.vn"
    assert post("contacts", {"email": email}).status_code == 202
    filed = post(
        "petitions",
        {
            "kind": "proposal",
            "area": f.commune,
            "category": f.category,
            "summary": "Đèn đường hỏng",
            "petitioner": CITIZEN,
            "contact": {"email": email, "code": last_code(email)},
        },
    ).json()
    made = post("data-requests", {"code": filed["code"], "pin": filed["receipt_pin"]})
    assert made.status_code == 201, made.content
    return DataRequest.objects.get(code=made.json()["request"])


@pytest.mark.parametrize("width", [390, 1366])
def test_an_official_answers_a_data_request(page: Any, asked: DataRequest, width: int) -> None:
    page.set_default_timeout(60000)  # the shared machine can be slow; nothing here is timed
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "handler_a", PASSWORD)
    page.goto("/petitions/")
    page.click("nav.sidebar a:has-text('Yêu cầu về dữ liệu cá nhân')")
    page.wait_for_selector("table.cz-dr-table")
    row = page.locator("table.cz-dr-table tbody tr").first
    assert asked.code in row.inner_text() and f"{asked.due_on:%d/%m/%Y}" in row.inner_text()
    screenshot(page, f"citizens-data-requests-{width}")
    row.locator("a").first.click()
    page.wait_for_selector("dl.pt-facts")
    facts = page.locator("dl.pt-facts").inner_text()
    assert CITIZEN["full_name"] in facts
    screenshot(page, f"citizens-data-request-{width}")
    page.click("button:has-text('Ghi nhận đã trả lời')")
    page.wait_for_selector(".state-done_on_time")
    asked.refresh_from_db()
    assert asked.status == DataRequest.Status.ANSWERED
    screenshot(page, f"citizens-data-request-answered-{width}")
