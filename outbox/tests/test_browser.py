"""The outbox page in a real browser (Debian chromium): an administrator sees what waits and
what was given up, and sends a given-up record again."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from common.testing.browser import login, screenshot
from conftest import PASSWORD
from outbox.models import Message
from outbox.services import outbox_put

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "vault"]),
]


def test_administrator_requeues_a_given_up_record(page: Any, world: Any, settings: Any) -> None:
    with transaction.atomic():
        for version in (1, 2):
            key = f"D2026-33-000001:{version}"
            outbox_put(
                channel="national", key=key, payload={"version": version}, order_key=key[:15]
            )
    Message.objects.filter(key="D2026-33-000001:1").update(
        status="dead", attempts=30, last_error="HTTP 422: trường summary quá dài"
    )
    login(page, world.admin.username, PASSWORD)
    page.goto("/outbox/")
    page.wait_for_selector("text=HTTP 422")
    assert "Hộp thư đi" in page.locator("nav.sidebar").inner_text()
    screenshot(page, "outbox-dead-letter")
    page.click("button:has-text('Gửi lại')")
    page.wait_for_selector(".msg")
    assert "sẽ được gửi lại" in page.locator(".messages").inner_text()
    assert Message.objects.get(key="D2026-33-000001:1").status == "pending"
    screenshot(page, "outbox-requeued")
    page.goto("/registry/export/")
    screenshot(page, "registry-export-books")
    assert page.locator("select[name=book] option").count() == 3
