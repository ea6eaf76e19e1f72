"""The officials' page of personal data requests in a real browser (Debian chromium): from
the menu to the list with its clock, the request with what is held, and the answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from citizens.models import DataRequest, RoutingRule
from citizens.tests.helpers import CITIZEN, front, last_code
from common.testing.browser import login, screenshot
from conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "vault"]),
]


@pytest.fixture
def asked(world: Any, settings: Any, tmp_path: Any) -> DataRequest:
    """A proposal filed online for unit A, and its citizen's request about their data."""
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    with transaction.atomic():
        f = front(world)
        RoutingRule.objects.create(area_id="33", category=None, unit=world.a)
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
