"""The "Check a digital signature" box on a matter's page: the verdict on an uploaded PDF, in
Vietnamese, for anyone who sees the matter; 404 for others; nothing kept."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from audit.models import AuditEvent
from common.testing.browser import login, screenshot
from conftest import PASSWORD
from registry.tests.helpers import file, travel
from signing import keys
from signing.pdf import sign_pdf
from signing.tests.test_sign_verify import UNIT, WHEN

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def signed(document_pdfa: bytes) -> bytes:
    config = keys.signer_for("HY-STC", UNIT)  # the demo authority, made now
    assert config is not None
    return sign_pdf(document_pdfa, config, unit_name=UNIT, when=WHEN)


def post(user: Any, code: str, data: bytes | None, htmx: bool = True) -> Any:
    client = Client()
    client.force_login(user)
    body = {} if data is None else {"file": io.BytesIO(data)}
    if data is not None:
        body["file"].name = "van-ban.pdf"
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/signing/matters/{code}/check/", body, headers=headers)


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def test_petition_page_checks_a_signed_pdf(world: Any, document_pdfa: bytes, settings: Any) -> None:
    with travel():
        code = file(world)["code"]
    client = Client()
    client.force_login(world.clerk_a)
    page = client.get(f"/petitions/{code}/").content.decode()
    assert f"/signing/matters/{code}/check/" in page
    assert "Kiểm tra chữ ký số" in page
    pdf = signed(document_pdfa)
    events = AuditEvent.objects.count()
    media = list(Path(settings.MEDIA_ROOT).rglob("*")) if Path(settings.MEDIA_ROOT).exists() else []

    good = post(world.clerk_a, code, pdf)
    assert good.status_code == 200
    html = good.content.decode()
    assert 'data-valid="true"' in html and UNIT in html
    assert "16/03/2026 09:30:05" in html
    assert vi("The signature is valid.") in html

    at = pdf.index(b"LibreOffice")
    bad = post(world.clerk_a, code, pdf[:at] + b"X" + pdf[at + 1 :])
    assert bad.status_code == 200
    html = bad.content.decode()
    reason = vi(
        "The document was changed after it was signed: its content no longer matches the signature."
    )
    assert 'data-valid="false"' in html and reason in html
    assert (
        reason
        != "The document was changed after it was signed: its content no longer matches the signature."
    )

    # Checked, not kept: no file written, no event recorded.
    after = list(Path(settings.MEDIA_ROOT).rglob("*")) if Path(settings.MEDIA_ROOT).exists() else []
    assert after == media
    assert AuditEvent.objects.count() == events
    # Without htmx, a whole page with a way back.
    whole = post(world.clerk_a, code, pdf, htmx=False)
    assert whole.status_code == 200 and f'href="/petitions/{code}/"' in whole.content.decode()


def test_who_may_check_and_bad_uploads(world: Any, document_pdfa: bytes) -> None:
    with travel():
        code = file(world)["code"]
    pdf = signed(document_pdfa)
    # Someone who sees the petition but does not act on it may still check a file.
    assert post(world.head_a, code, pdf).status_code == 200
    assert post(world.official_b, code, pdf).status_code == 404
    assert post(world.clerk_a, "KN-9999-999999", pdf).status_code == 404
    assert post(world.clerk_a, code, None).status_code == 422
    not_pdf = post(world.clerk_a, code, b"PK\x03\x04 a docx")
    assert not_pdf.status_code == 422 and vi("The file is not a PDF.") in not_pdf.content.decode()
    assert post(world.clerk_a, code, b"%PDF-1.7 broken").status_code == 200  # verdict: unreadable


def test_task_and_case_pages_carry_the_check(world: Any) -> None:
    client = Client()
    client.force_login(world.head_a)
    for template in ("plans/task.html", "cases/detail.html", "petitions/detail.html"):
        source = Path(__file__).parents[2] / template.split("/")[0] / "templates" / template
        assert '{% include "signing/_check.html" %}' in source.read_text(), template


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, databases=["default", "vault"])
def test_checking_in_the_browser(
    world: Any, page: Any, document_pdfa: bytes, tmp_path: Path
) -> None:
    with travel():
        code = file(world)["code"]
    pdf = tmp_path / "van-ban-ky-so.pdf"
    pdf.write_bytes(signed(document_pdfa))  # beside Playwright's running event loop
    login(page, "clerk_a", PASSWORD)
    page.goto(f"/petitions/{code}/")
    page.set_input_files("#sign-check input[type=file]", str(pdf))
    page.click("#sign-check button[type=submit]")
    page.wait_for_selector("#sign-check-result .sign-verdict")
    assert page.locator(".sign-verdict").get_attribute("data-valid") == "true"
    screenshot(page, "signing-check-valid")
    tampered = tmp_path / "sua.pdf"
    data = pdf.read_bytes()
    at = data.index(b"LibreOffice")
    tampered.write_bytes(data[:at] + b"X" + data[at + 1 :])
    page.set_input_files("#sign-check input[type=file]", str(tampered))
    page.click("#sign-check button[type=submit]")
    page.wait_for_selector(".sign-verdict[data-valid=false]")
    screenshot(page, "signing-check-tampered")
