"""The citizens' pages: reached from the login page, in Vietnamese, the form files with
photos, the honeypot and the rate limit, the routing rules page for administrators."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.models import AuditEvent
from citizens import services
from citizens.models import Photo, PublicFiling, RoutingRule
from citizens.tests.helpers import ADDRESS, EMAIL, client, front, jpeg, last_code

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def f(world: Any, settings: Any, tmp_path: Any) -> Any:
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "vi"
    return front(world)


def form(f: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "proposal",
        "area_name": "",
        "area": f.commune,
        "category": f.category,
        "summary": "Rác thải ùn ứ ở chợ",
        "content": "Rác không được thu gom ba ngày.",
        "lat": "20.65",
        "lon": "106.05",
        "public": "on",
        "contact": EMAIL,
        "code": "",
        "consent": "on",
        "website": "",
        "action": "file",
    }
    data.update(overrides)
    return data


def test_the_front_door_is_linked_from_the_login_page_and_speaks_vietnamese(f: Any) -> None:
    login = Client().get("/accounts/login/")
    assert b'href="/cong-dan/"' in login.content
    home = Client().get("/cong-dan/")
    text = home.content.decode()
    assert home.status_code == 200 and "Gửi đơn trực tuyến" in text
    assert "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15" in text
    for path in ("/cong-dan/gui/", "/cong-dan/danh-gia/", "/cong-dan/du-lieu-ca-nhan/"):
        assert path in text
        page = Client().get(path)
        assert page.status_code == 200 and 'lang="vi"' in page.content.decode()


def test_the_form_sends_a_code_then_files_with_photos(f: Any) -> None:
    c = client()
    r = c.post("/cong-dan/gui/", form(f, action="send_code"))
    assert r.status_code == 200 and "Đã gửi mã" in r.content.decode()
    code = last_code(EMAIL)
    photo = SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg")
    r = c.post("/cong-dan/gui/", {**form(f, code=code), "photos": [photo]})
    text = r.content.decode()
    assert r.status_code == 201, text
    assert "Đã tiếp nhận đơn" in text and "Ban Tiếp công dân tỉnh" in text
    filing = PublicFiling.objects.get()
    assert filing.public and Photo.objects.get().filing == filing


def test_a_bad_photo_names_the_field_and_stores_nothing(f: Any) -> None:
    c = client()
    c.post("/cong-dan/gui/", form(f, action="send_code"))
    bad = SimpleUploadedFile("p.jpg", b"not an image at all", "image/jpeg")
    r = c.post("/cong-dan/gui/", {**form(f, code=last_code(EMAIL)), "photos": [bad]})
    assert r.status_code == 422 and "không phải ảnh" in r.content.decode()
    assert not PublicFiling.objects.exists()


def test_the_honeypot_and_the_rate_limit_on_the_form(f: Any) -> None:
    r = client().post("/cong-dan/gui/", form(f, website="x"))
    assert r.status_code == 422 and not PublicFiling.objects.exists()
    for _ in range(services.FILING_LIMIT.limit):
        client("203.0.113.77").post("/cong-dan/gui/", form(f, code="123456"))
    r = client("203.0.113.77").post("/cong-dan/gui/", form(f, code="123456"))
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert ADDRESS


def test_administrators_edit_routing_rules_and_every_change_is_audited(f: Any) -> None:
    admin = Client()
    admin.force_login(f.world.admin)
    page = admin.get("/cong-dan/quan-tri/dinh-tuyen/")
    assert page.status_code == 200
    r = admin.post(
        "/cong-dan/quan-tri/dinh-tuyen/", {"area": "33", "category": "", "unit": "B", "note": ""}
    )
    assert r.status_code == 302
    rule = RoutingRule.objects.get()
    bad = admin.post("/cong-dan/quan-tri/dinh-tuyen/", {"area": "33", "unit": "NOPE"})
    assert bad.status_code == 422 and RoutingRule.objects.count() == 1
    admin.post(f"/cong-dan/quan-tri/dinh-tuyen/{rule.pk}/xoa/")
    assert not RoutingRule.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="citizens.routing_rule").count() == 2
    clerk = Client()
    clerk.force_login(f.world.clerk_a)
    assert clerk.get("/cong-dan/quan-tri/dinh-tuyen/").status_code == 403
