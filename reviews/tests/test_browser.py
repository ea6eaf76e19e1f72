"""The review pages in a real browser (Debian chromium): register a dossier, consult, answer,
see deemed consent, the scorecard and the map. Screenshots go to var/screenshots/."""

from __future__ import annotations

import pytest

from calendars.selectors import get_calendar
from common.clock import today
from common.testing.browser import login, screenshot
from conftest import PASSWORD
from reviews import services
from reviews.models import Consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _past_review(rw):
    """A sensitive review valid 12 working days ago, the military consulted the next day and
    silent since: its consent is deemed."""
    cal = get_calendar()
    valid_on = cal.add(today(), -12, "working")
    review = services.review_register(
        actor=rw.w.clerk_a,
        project="Cảng cá và khu hậu cần nghề cá Đông Tiền Hải",
        investor="Công ty CP Thủy sản Hồng Hà",
        nationality="Việt Nam",
        area=rw.w.commune.code,
        flags=["coastal", "defence_zone"],
        flag_documents={"defence_zone": "Quyết định 12/QĐ-BQP"},
        land_area_m2=54000,
        lease_years=50,
        received_on=cal.add(valid_on, -1, "working"),
        valid_on=valid_on,
        latitude=20.4,
        longitude=106.55,
    )
    sent = cal.add(valid_on, 1, "working")
    services.consultation_send(actor=rw.w.clerk_a, review=review, unit="M", sent_on=sent)
    police = services.consultation_send(actor=rw.w.clerk_a, review=review, unit="Q", sent_on=sent)
    services.consultation_answer(
        actor=rw.head_q,
        consultation=police,
        answered_on=cal.add(sent, 3, "working"),
        opinion="agree_with_conditions",
        note="Bố trí lối thoát hiểm ra biển",
    )
    return review


def test_register_consult_and_see_the_clocks(page, rw):
    login(page, "clerk_a", PASSWORD)
    page.goto("/reviews/new/")
    page.fill("input[name=project]", "Khu nghỉ dưỡng ven biển Nam Cường")
    page.fill("input[name=investor]", "Công ty TNHH Sun Coast")
    page.fill("input[name=nationality]", "Singapore")
    page.fill("input[name=foreign_share]", "100")
    page.fill("input[name=area]", rw.w.commune.code)
    page.check("input[name=flags][value=coastal]")
    page.fill("input[name=land_area_m2]", "250000")
    page.fill("input[name=lease_years]", "50")
    day = today().strftime("%d/%m/%Y")
    page.fill("input[name=received_on]", day)
    page.fill("input[name=valid_on]", day)
    screenshot(page, "reviews-new")
    page.click("form.review-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/reviews/TD" in page.url
    body = page.inner_text("main")
    assert "Khu nghỉ dưỡng ven biển Nam Cường" in body
    assert "Báo cáo thẩm định" in body and "Nghị định 96/2026/NĐ-CP" in body
    assert "bắt buộc" in body  # the military command and police are proposed as mandatory
    page.locator("ul.proposed li", has_text="Bộ CHQS tỉnh").locator("button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table").nth(1).locator("tbody tr", has_text="Bộ CHQS tỉnh").count() == 1
    screenshot(page, "reviews-detail")
    page.goto("/reviews/")
    assert "Khu nghỉ dưỡng ven biển Nam Cường" in page.inner_text("main")
    screenshot(page, "reviews-list")


def test_consulted_unit_answers_and_deemed_consent_shows(page, rw):
    review = _past_review(rw)
    military = Consultation.objects.get(review=review, unit=rw.m).matter.code
    login(page, "head_m", PASSWORD)
    page.goto("/reviews/consultations/")
    assert military in page.inner_text("main")
    page.goto(f"/reviews/consultations/{military}/")
    body = page.inner_text("main")
    assert "Coi như đồng ý" in body or "coi như đồng ý" in body
    assert "Nghị định 96/2026/NĐ-CP" in body
    screenshot(page, "reviews-consultation-deemed")
    page.select_option("select[name=opinion]", "disagree")
    page.fill("input[name=answered_on]", today().strftime("%d/%m/%Y"))
    page.click("form.answer-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".errorlist").count() >= 1  # a disagreement needs its reasons
    screenshot(page, "reviews-answer-error")
    page.fill("textarea[name=note]", "Khu vực giáp trận địa phòng thủ ven biển")
    page.click("form.answer-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("main")
    assert "không đồng ý" in body and page.locator("dd .badge.warn").count() == 1
    screenshot(page, "reviews-consultation-answered-late")
    saved = Consultation.objects.get(matter__code=military)
    assert saved.late and saved.matter.status == "deemed_consent"
    response = page.goto(f"/reviews/{review.matter.code}/")
    assert response.status == 404


def test_scorecard_and_map(page, rw):
    _past_review(rw)
    # Commune centres come from a data migration of plans (a transactional flush empties them).
    import importlib

    from django.apps import apps

    try:
        importlib.import_module("plans.migrations.0002_commune_coordinates").fill(apps, None)
    except ModuleNotFoundError:
        pass
    login(page, "leader_p", PASSWORD)
    page.goto("/reviews/scorecard/?parent=P")
    body = page.inner_text("main")
    assert "Bộ CHQS tỉnh" in body
    screenshot(page, "reviews-scorecard")
    page.goto("/reviews/map/")
    # Review points are focusable markers (role=button); the grey commune dots are not.
    page.wait_for_selector("#review-map .dd-marker[role=button]")
    assert page.locator("#review-map .dd-marker[role=button]").count() == 1
    screenshot(page, "reviews-map")


def test_the_map_shows_a_project_name_as_text(page, rw):
    """A project name holding markup is shown as those characters in the map's tooltip and
    popup: no element is made from it, nothing in it runs."""
    import importlib

    from django.apps import apps

    try:
        importlib.import_module("plans.migrations.0002_commune_coordinates").fill(apps, None)
    except ModuleNotFoundError:
        pass
    planted = '<img src=x onerror="window.planted=1"><b>Cảng</b> cá'
    cal = get_calendar()
    services.review_register(
        actor=rw.w.clerk_a,
        project=planted,
        investor="Công ty CP Thủy sản Hồng Hà",
        nationality="Việt Nam",
        area=rw.w.commune.code,
        flags=["coastal"],
        land_area_m2=54000,
        lease_years=50,
        received_on=cal.add(today(), -1, "working"),
        valid_on=today(),
        latitude=20.4,
        longitude=106.55,
    )
    login(page, "leader_p", PASSWORD)
    page.goto("/reviews/map/")
    point = page.locator("#review-map .dd-marker[role=button]")
    point.wait_for()
    assert planted in (point.get_attribute("title") or "")
    assert point.locator("img, b").count() == 0
    point.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert planted in popup.inner_text() and popup.locator("img, b").count() == 0
    assert page.locator(".leaflet-container img[src='x'], .leaflet-container b").count() == 0
    assert page.evaluate("window.planted") is None
    screenshot(page, "reviews-map-markup-as-text")
