import re
from datetime import date
from html import unescape

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from calendars.models import CalendarDay
from common.text import fold, nfc
from units.models import Unit


def test_dates_parse_day_first_in_vietnamese():
    class F(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = F({"day": "03/04/2026"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == date(2026, 4, 3)
        assert formats.date_format(date(2026, 4, 3), "SHORT_DATE_FORMAT") == "03/04/2026"


def test_thousands_are_grouped_with_dots():
    with translation.override("vi"):
        assert formats.number_format(1234567, force_grouping=True) == "1.234.567"


def test_nfc_and_folding():
    decomposed = "Nguye\u0302\u0303n"  # e + circumflex + tilde, decomposed
    assert nfc(decomposed) == "Nguyễn"
    assert fold("Nguyễn Đức Thắng") == "nguyen duc thang"


@pytest.mark.django_db(databases=["default", "vault"])
def test_health_endpoints():
    client = Client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json() == {"default": "ok", "vault": "ok"}


def test_pages_need_login(db):
    response = Client().get(reverse("web:matters"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["web:matters", "web:units", "web:calendar", "web:scorecards"])
def test_pages_render_in_vietnamese(world, name):
    client = Client()
    client.force_login(world.head_a)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    assert "Đăng xuất" in html


def test_admin_creates_a_unit_from_the_page(world):
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        reverse("web:units"),
        {
            "form": "unit",
            "unit-code": "NEW",
            "unit-name": "Sở Mới",
            "unit-kind": "department",
            "unit-parent": "P",
            "unit-area": "33",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="NEW").parent == world.p


def test_bad_unit_form_shows_the_error_and_stores_nothing(world):
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        reverse("web:units"),
        {
            "form": "unit",
            "unit-code": "NEW",
            "unit-name": "Sở Mới",
            "unit-kind": "department",
            "unit-parent": "NOPE",
        },
    )
    assert response.status_code == 200
    assert "NOPE" in response.content.decode()
    assert not Unit.objects.filter(code="NEW").exists()


def test_non_admin_cannot_post_units(world):
    client = Client()
    client.force_login(world.head_a)
    response = client.post(reverse("web:units"), {"form": "unit", "unit-code": "NEW"})
    assert response.status_code == 403


def test_calendar_page_takes_day_first_dates(world):
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        reverse("web:calendar"), {"day": "03/04/2026", "kind": "off", "note": "Nghỉ"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get().day == date(2026, 4, 3)
    page = client.get(reverse("web:calendar") + "?year=2027").content.decode()
    assert "05/02/2027" in page  # Tết 2027 listed among the weekdays off


def test_api_input_is_stored_in_nfc(world):
    decomposed = "Sở Nông nghie\u0302\u0323p"
    response = world.api(world.admin).post(
        "units", {"code": "NFC1", "name": decomposed, "kind": "department", "parent": "P"}
    )
    assert response.status_code == 201
    assert Unit.objects.get(code="NFC1").name == "Sở Nông nghiệp"


def test_form_input_is_stored_in_nfc(world):
    client = Client()
    client.force_login(world.admin)
    client.post(
        reverse("web:units"),
        {
            "form": "unit",
            "unit-code": "NFC2",
            "unit-name": "Xa\u0303 Mo\u031b\u0301i",
            "unit-kind": "department",
        },
    )
    assert Unit.objects.get(code="NFC2").name == "Xã Mới"


def test_openapi_schema_is_served(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/areas" in paths and "/api/v1/matters" in paths and "/api/v1/auth/token" in paths


def test_vietnamese_whatever_the_browser_asks_english_only_when_chosen(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(world.clerk_a)
    page = client.get("/matters/")
    assert '<html lang="vi"' in page.content.decode() and "Đăng xuất" in page.content.decode()
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/matters/"})
    assert chosen.status_code == 302 and chosen.url == "/matters/"
    english = client.get("/matters/").content.decode()
    assert '<html lang="en"' in english and "Sign out" in english
    client.post("/i18n/setlang/", {"language": "vi", "next": "/matters/"})
    assert "Đăng xuất" in client.get("/matters/").content.decode()
    # A language we do not have falls back to Vietnamese.
    client.cookies["django_language"] = "fr"
    assert '<html lang="vi"' in client.get("/matters/").content.decode()


def test_the_api_still_honours_accept_language(world):
    """Other systems may ask the API for English; the UI's Vietnamese default is not theirs."""
    english = world.api(world.clerk_a)
    english.headers["Accept-Language"] = "en"
    vietnamese = world.api(world.clerk_a)
    from petitions.tests.helpers import body

    bad = body(world, received_on="2099-01-01")
    answers = [c.post("petitions", bad) for c in (english, vietnamese)]
    assert [a.status_code for a in answers] == [422, 422]
    en, vi = (a.json()["errors"]["received_on"] for a in answers)
    assert en != vi and "future" in en


def test_matters_list_opens_on_open_matters_most_urgent_first(world):
    from datetime import date

    from matters.models import Category, Matter

    def matter(code, due, is_open=True, closed=None):
        return Matter.objects.create(
            code=code,
            kind="case",
            title=code,
            area=world.commune,
            category=Category.objects.first(),
            owner=world.a,
            status="open" if is_open else "closed",
            is_open=is_open,
            opened_on=date(2024, 1, 2),
            due_on=due,
            closed_on=closed,
        )

    matter("A-2024-CLOSED", date(2024, 2, 1), is_open=False, closed=date(2024, 2, 1))
    matter("Z-LATER", date(2030, 5, 1))
    matter("Y-SOONER", date(2030, 1, 1))
    client = Client()
    client.force_login(world.head_a)
    html = client.get(reverse("web:matters")).content.decode()
    assert html.index("Y-SOONER") < html.index("Z-LATER")
    # Closed matters wait behind a link; asked for, they come after the open ones.
    assert "A-2024-CLOSED" not in html
    assert "2 việc chưa xong" in html
    toggle = re.search(r'<a id="closed-toggle" href="([^"]+)">Hiện cả việc đã xong</a>', html)
    assert toggle, html
    html = client.get(reverse("web:matters") + unescape(toggle.group(1))).content.decode()
    assert html.index("Y-SOONER") < html.index("Z-LATER") < html.index("A-2024-CLOSED")
    assert "3 việc" in html and html.count('<code><a href="/cases/') == 3
    assert re.search(r'<a id="closed-toggle" href="\?">Chỉ hiện việc chưa xong</a>', html)
    # Filters are kept by the toggle; a closed state shows closed matters without asking.
    html = client.get(reverse("web:matters") + "?q=Z-LATER").content.decode()
    assert 'href="?q=Z-LATER&amp;all=1"' in html
    html = client.get(reverse("web:matters") + "?state=done_on_time").content.decode()
    assert "A-2024-CLOSED" in html and "closed-toggle" not in html


def test_help_has_a_guide_for_every_role_and_links_only_real_pages(world):
    from accounts.models import Role
    from web.help import COMMON, GUIDES

    assert set(GUIDES) == set(Role.values)
    for item in [*COMMON, *(i for items in GUIDES.values() for i in items)]:
        reverse(item.page)  # NoReverseMatch if the page is gone
    client = Client()
    client.force_login(world.clerk_a)
    index = client.get(reverse("web:help")).content.decode()
    assert 'href="/help/clerk/"' in index and "Hướng dẫn" in index
    for role in Role.values:
        assert client.get(reverse("web:help_role", args=[role])).status_code == 200
    assert client.get("/help/unknown/").status_code == 404
