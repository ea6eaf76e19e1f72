"""The register's pages in a real browser (Debian chromium): public tracking on a phone,
the printable receipt, a register upload with its progress, the export form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from common.testing.browser import login, screenshot
from conftest import PASSWORD
from registry import register as reg
from registry.tests.helpers import register, row

pytestmark = [
    pytest.mark.browser,
    # Reference data comes back through conftest's ensure_reference_data(), as for the other
    # browser tests (a serialized rollback here clashed with the content types that a
    # preceding transactional test's flush re-creates).
    pytest.mark.django_db(transaction=True, databases=["default", "vault"]),
]


def _file(world: Any, **extra: Any) -> Any:
    from datetime import date

    from petitions.services import petition_receive

    fields: dict[str, Any] = {
        "kind": "complaint",
        "channel": "post",
        "received_on": date(2026, 3, 2),
        "area": "33",
        "category": "land",
        "summary": "Khiếu nại quyết định thu hồi đất",
        "content": "Gia đình tôi không đồng ý với quyết định thu hồi đất số 12/QĐ-UBND.",
        "petitioners": [{"full_name": "Nguyễn Văn An", "id_number": "034080001234"}],
    }
    fields.update(extra)
    with transaction.atomic():
        return petition_receive(actor=world.clerk_a, **fields)


def test_citizen_follows_a_petition_on_a_phone(page: Any, world: Any) -> None:
    petition = _file(world)
    code, pin = petition.matter.code, petition.receipt_pin
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/registry/track/")
    page.fill("input[name=code]", code)
    page.fill("input[name=pin]", "000000" if pin != "000000" else "111111")
    page.click("main button[type=submit]")
    page.wait_for_selector(".rg-error")
    screenshot(page, "registry-track-wrong-pin-phone")
    page.fill("input[name=pin]", pin)
    page.click("main button[type=submit]")
    page.wait_for_selector(".rg-result")
    text = page.locator(".rg-result").inner_text()
    assert code in text and "Sở A" in text
    assert "Nguyễn Văn An" not in page.content()
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "registry-track-phone")


def test_clerk_prints_a_receipt_with_a_new_pin(page: Any, world: Any) -> None:
    petition = _file(world)
    login(page, "clerk_a", PASSWORD)
    page.goto(f"/registry/petition/{petition.matter.code}/receipt/")
    screenshot(page, "registry-receipt-ask")
    page.click("input[name=reissue] ~ button")
    page.wait_for_selector(".rg-receipt")
    pin = page.locator(".rg-receipt dd.rg-big code").nth(1).inner_text()
    assert len(pin) == 6 and pin.isdigit()
    screenshot(page, "registry-receipt")
    page.emulate_media(media="print")
    assert not page.locator(".sidebar").is_visible()
    screenshot(page, "registry-receipt-print")


def test_clerk_imports_a_register_and_watches_it(page: Any, world: Any, tmp_path: Path) -> None:
    path = register(
        tmp_path / "so-don.xlsx",
        [row(**{reg.SUMMARY: f"Khiếu nại số {i}"}) for i in range(40)]
        + [row(**{reg.KIND: "Đơn thư", reg.AREA: "99"})],
    )
    login(page, "clerk_a", PASSWORD)
    page.goto("/registry/import/")
    screenshot(page, "registry-import")
    page.set_input_files("input[name=file]", str(path))
    page.click("form.rg-upload button[type=submit]")
    page.wait_for_selector(".rg-progress .rg-error")
    assert "Loại đơn" in page.locator(".rg-errors").inner_text()
    screenshot(page, "registry-import-refused")
    page.goto("/registry/import/")
    page.set_input_files("input[name=file]", str(path))
    page.check("input[name=valid_only]")
    page.click("form.rg-upload button[type=submit]")
    page.wait_for_selector(".rg-ok", timeout=60000)
    assert "40" in page.locator(".rg-ok").inner_text()
    screenshot(page, "registry-import-done")


def test_export_form(page: Any, world: Any) -> None:
    _file(world)
    login(page, "head_a", PASSWORD)
    page.goto("/registry/export/")
    screenshot(page, "registry-export")
    with page.expect_download() as download:
        page.click("form.filters button[type=submit]")
    assert download.value.suggested_filename.endswith(".xlsx")
