"""GET /api/v1/public/petitions/<code>?pin=: no login, nothing personal, wrong PIN 404,
throttled per address (and per address and petition) with a clear 429; receipts and the public page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEvent
from common.throttle import Limit
from notifications.models import Notification
from registry.models import PublicThrottle
from registry.services import tracking
from registry.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

SECRET_BITS = ("Nguyễn Văn An", "034080001234", "0912345678", "Thôn Đông", "thu hồi đất")


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def lookup(code: str, pin: str, address: str = "203.0.113.7") -> Any:
    return Client(REMOTE_ADDR=address).get(f"/api/v1/public/petitions/{code}", {"pin": pin})


def wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def test_the_citizen_sees_where_it_stands_and_nothing_personal(world: Any) -> None:
    data = file(world)
    response = lookup(data["code"], data["receipt_pin"])
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "code": data["code"],
        "status": "received",
        "owner_name": "Sở A",
        "due_on": data["due_on"],
        "state": data["state"],
        "history": [{"on": "2026-03-02", "status": "received", "unit": "Sở A"}],
        "answer": None,
    }
    for bit in SECRET_BITS:
        assert bit not in response.content.decode()


def test_wrong_pin_and_unknown_code_are_the_same_404(world: Any) -> None:
    data = file(world)
    for code, pin in (
        (data["code"], wrong(data["receipt_pin"])),
        ("D2026-33-999999", "123456"),
        (data["code"], ""),
        (data["code"], "12ab56"),
    ):
        response = lookup(code, pin)
        assert response.status_code == 404
        assert response.json()["detail"] == "không có đơn nào với mã tiếp nhận và mã PIN này"


def test_too_many_lookups_from_one_address_429(world: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(tracking, "LOOKUPS", Limit("lookup", 3, 600))
    data = file(world)
    for _ in range(3):
        assert lookup(data["code"], data["receipt_pin"]).status_code == 200
    response = lookup(data["code"], data["receipt_pin"])
    assert response.status_code == 429
    assert "too many lookups; try again in" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    # Another address is not held back.
    assert lookup(data["code"], data["receipt_pin"], address="198.51.100.9").status_code == 200


def test_wrong_pins_from_strangers_never_lock_the_citizen_out(world: Any) -> None:
    """Issue 13, finding 9: 20 wrong PINs used to lock a petition's tracking for a day for
    everyone. Now they hold back the addresses that sent them, and tell the owner unit."""
    data = file(world)
    bad = wrong(data["receipt_pin"])
    for i in range(25):
        assert lookup(data["code"], bad, address=f"10.0.0.{i}").status_code == 404
    # The citizen, from their own connection, still sees their petition.
    assert lookup(data["code"], data["receipt_pin"], address="10.0.1.1").status_code == 200
    # The handler hears of the guessing once (at the 20th wrong PIN of the day).
    notes = Notification.objects.filter(kind="petition.pin_guessed", matter=data["code"])
    assert [n.user.username for n in notes] == ["clerk_a"]
    # One address that keeps guessing at one petition is stopped there, not elsewhere.
    other = file(world, summary="Đơn khác", content="Nội dung khác hẳn về việc khác")
    for _ in range(4):
        assert lookup(data["code"], bad, address="10.0.0.1").status_code == 404
    assert lookup(data["code"], data["receipt_pin"], address="10.0.0.1").status_code == 429
    assert lookup(other["code"], other["receipt_pin"], address="10.0.0.1").status_code == 200


def test_wrong_pins_from_one_address(world: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(tracking, "FAILED_BY_ADDRESS", Limit("failed_addr", 2, 3600))
    data = file(world)
    other = file(world, summary="Đơn khác", content="Nội dung khác hẳn về việc khác")
    assert lookup(data["code"], wrong(data["receipt_pin"])).status_code == 404
    assert lookup(other["code"], wrong(other["receipt_pin"])).status_code == 404
    assert lookup(other["code"], other["receipt_pin"]).status_code == 429
    assert PublicThrottle.objects.filter(scope="failed_addr").get().hits == 2


def test_the_proxy_address_is_used_behind_the_reverse_proxy(world: Any, settings: Any) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = Client().get("/").wsgi_request
    request.META["HTTP_X_FORWARDED_FOR"] = "1.2.3.4, 203.0.113.50"
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    assert tracking.client_address(request) == "203.0.113.50"
    settings.SECURE_PROXY_SSL_HEADER = None
    assert tracking.client_address(request) == "127.0.0.1"


def test_public_page_works_without_login(world: Any) -> None:
    data = file(world)
    client = Client(REMOTE_ADDR="203.0.113.8")
    page = client.get("/registry/track/")
    assert page.status_code == 200 and 'name="pin"' in page.content.decode()
    found = client.post(
        "/registry/track/", {"code": data["code"].lower(), "pin": data["receipt_pin"]}
    )
    assert found.status_code == 200
    html = found.content.decode()
    assert data["code"] in html and "Sở A" in html
    for bit in SECRET_BITS:
        assert bit not in html
    missed = client.post(
        "/registry/track/", {"code": data["code"], "pin": wrong(data["receipt_pin"])}
    )
    assert missed.status_code == 404
    bad = client.post("/registry/track/", {"code": data["code"], "pin": "12"})
    assert bad.status_code == 200 and "6" in bad.content.decode()


def test_receipt_with_the_pin_given_at_intake_or_a_new_one(world: Any) -> None:
    data = file(world)
    client = Client()
    client.force_login(world.clerk_a)
    url = f"/registry/petition/{data['code']}/receipt/"
    assert client.get(url).status_code == 200
    printed = client.post(url, {"pin": data["receipt_pin"]})
    assert printed.status_code == 200 and data["receipt_pin"] in printed.content.decode()
    refused = client.post(url, {"pin": wrong(data["receipt_pin"])})
    assert data["receipt_pin"] not in refused.content.decode()
    reissued = client.post(url, {"reissue": "1"})
    assert reissued.status_code == 200
    assert (
        AuditEvent.objects.filter(action="petition.receipt_reissue", matter=data["code"]).count()
        == 1
    )
    # The old PIN stops working.
    assert lookup(data["code"], data["receipt_pin"]).status_code == 404


def test_receipt_access(world: Any) -> None:
    data = file(world)
    url = f"/registry/petition/{data['code']}/receipt/"
    outsider = Client()
    outsider.force_login(world.official_b)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"reissue": "1"}).status_code == 404
    reader = Client()
    reader.force_login(world.leader_p)
    assert reader.get(url).status_code == 200
    assert reader.post(url, {"reissue": "1"}).status_code == 403
    assert not AuditEvent.objects.filter(action="petition.receipt_reissue").exists()
    assert Client().get(url).status_code == 302  # to the login page
