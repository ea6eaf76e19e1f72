"""Open311 GeoReport v2 at /open311/v2/: discovery, services, requests (GET with the
standard filters, POST to file a proposal), one request, tokens; JSON and XML; errors as
the specification's list; never anything personal."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from common.testing.sentinel import ADDRESS, NAME, PHONE, Seen
from matters.models import Category, Matter
from opendata.tests.helpers import SECRET_CONTACT, proposal
from registry.tests.helpers import file, travel

pytest.importorskip("citizens.models", reason="the citizens' app keeps the online filings")
pytestmark = pytest.mark.django_db(databases=["default", "vault"])

BASE = "/open311/v2/"
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


@pytest.fixture
def routed(world: Any) -> Any:
    """Online filings of province 33 go to unit A."""
    from citizens.models import RoutingRule

    RoutingRule.objects.create(area_id="33", category=None, unit=world.a)
    return world


def get(path: str, **params: Any) -> Any:
    return Client(REMOTE_ADDR="203.0.113.5").get(BASE + path, params)


def post(data: dict[str, Any], fmt: str = "json", address: str = "203.0.113.5") -> Any:
    return Client(REMOTE_ADDR=address).post(f"{BASE}requests.{fmt}", data)


def errors_of(response: Any) -> list[dict[str, Any]]:
    body = response.json()
    assert isinstance(body, list) and set(body[0]) == {"code", "description"}
    assert body[0]["code"] == response.status_code
    return body


def test_discovery_and_services(world: Any) -> None:
    discovery = get("discovery.json").json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert discovery["endpoints"][0]["url"].endswith("/open311/v2")
    services = get("services.json").json()
    codes = [s["service_code"] for s in services]
    assert "environment" in codes
    env = next(s for s in services if s["service_code"] == "environment")
    assert env["service_name"] == Category.objects.get(code="environment").label
    assert env["metadata"] is False and env["type"] == "realtime"
    Category.objects.filter(code="environment").update(is_active=False)
    assert "environment" not in [s["service_code"] for s in get("services.json").json()]
    definition = get("services/land.json").json()
    assert definition == {"service_code": "land", "attributes": []}
    missing = get("services/nothing.json")
    assert missing.status_code == 404
    assert "service_code" in errors_of(missing)[0]["description"]


def test_xml_parses(world: Any) -> None:
    code = proposal(world)
    for path, root, item in (
        ("services.xml", "services", "service"),
        ("requests.xml", "service_requests", "request"),
        (f"requests/{code}.xml", "service_requests", "request"),
        ("discovery.xml", "discovery", None),
    ):
        response = get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/xml")
        tree = ET.fromstring(response.content)
        assert tree.tag == root
        if item:
            assert tree.findall(item), path
    request = ET.fromstring(get(f"requests/{code}.xml").content).find("request")
    assert request is not None
    assert request.findtext("service_request_id") == code
    assert request.findtext("status") == "open"
    error = ET.fromstring(get("requests/D2026-33-999999.xml").content)
    assert error.tag == "errors" and error.find("error/code").text == "404"  # type: ignore[union-attr]


def test_requests_show_only_public_proposals(world: Any) -> None:
    shown = proposal(world)
    hidden = proposal(world, public=False)
    complaint = file(world)["code"]
    body = get("requests.json").json()
    assert [r["service_request_id"] for r in body] == [shown]
    row = body[0]
    assert set(row) == REQUEST_FIELDS
    assert row["status"] == "open"
    assert row["service_code"] == "environment"
    assert row["description"] == "Đèn đường hỏng ở thôn Đông"
    assert row["agency_responsible"] == "Sở A"
    assert row["lat"] == 20.646 and row["long"] == 106.051
    assert row["address"].startswith(world.commune.name)
    assert row["expected_datetime"] is not None
    for code in (hidden, complaint):
        assert get(f"requests/{code}.json").status_code == 404
        assert get(f"tokens/{code}.json").status_code == 404
    assert get(f"requests/{shown}.json").json() == body
    assert get(f"tokens/{shown}.json").json() == [{"service_request_id": shown, "token": shown}]


def test_request_filters(world: Any) -> None:
    first = proposal(world)
    second = proposal(world, category="land")
    closed = proposal(world)
    Matter.objects.filter(code=closed).update(
        is_open=False, status="resolved", outcome="Đã sửa đèn."
    )

    def ids(**params: Any) -> set[str]:
        response = get("requests.json", **params)
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    assert ids() == {first, second, closed}
    assert ids(service_code="land") == {second}
    assert ids(service_code="land,environment") == {first, second, closed}
    assert ids(status="closed") == {closed}
    assert ids(status="open") == {first, second}
    assert ids(service_request_id=f"{first},{closed}", status="open") == {first, closed}
    assert ids(start_date="2026-03-17T00:00:00+07:00") == set()
    assert ids(start_date="2026-03-01T00:00:00Z", end_date="2026-03-31T00:00:00Z") == {
        first,
        second,
        closed,
    }
    assert ids(end_date="2026-03-01") == set()
    notes = {r["service_request_id"]: r["status_notes"] for r in get("requests.json").json()}
    assert notes[closed] == "Đã sửa đèn." and notes[first] == ""


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "pending"}, "status"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-02-30T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-03-10", "end_date": "2026-03-01"}, "start_date"),
    ],
)
def test_bad_filters_are_400_naming_the_field(
    world: Any, params: dict[str, str], field: str
) -> None:
    response = get("requests.json", **params)
    assert response.status_code == 400
    assert field in errors_of(response)[0]["description"]


def test_jurisdiction_and_format(world: Any, settings: Any) -> None:
    settings.OPEN311_JURISDICTION = "33"
    assert get("services.json", jurisdiction_id="33").status_code == 200
    assert get("services.json").status_code == 200
    wrong = get("services.json", jurisdiction_id="01")
    assert wrong.status_code == 404
    assert "jurisdiction_id" in errors_of(wrong)[0]["description"]
    assert get("services.csv").status_code == 404


FORM = {
    "service_code": "environment",
    "lat": "20.64612",
    "long": "106.05118",
    "description": "Cống thoát nước bị tắc trước nhà văn hoá\nNgập khi mưa to.",
    "email": SECRET_CONTACT,
    "first_name": "Sentinel Mật",
    "last_name": "Quách Thị",
    "media_url": "https://example.org/photo.jpg",
}


def test_post_files_a_public_proposal(routed: Any) -> None:
    response = post(FORM)
    assert response.status_code == 201, response.content
    [answer] = response.json()
    assert set(answer) == {"service_request_id", "service_notice"}
    code = answer["service_request_id"]
    matter = Matter.objects.select_related("petition").get(code=code)
    assert matter.owner == routed.a
    assert matter.petition.kind == "proposal" and matter.petition.channel == "online"
    assert matter.petition.summary == "Cống thoát nước bị tắc trước nhà văn hoá"
    assert matter.province == "33"
    [row] = get(f"requests/{code}.json").json()
    assert row["lat"] == 20.646 and row["long"] == 106.051
    assert row["agency_responsible"] == "Sở A"
    # The names and the contact are kept for the officials, never shown.
    assert matter.petition.petitioners.get().full_name == NAME
    seen = Seen()
    seen.add("post", response)
    seen.add("get", get(f"requests/{code}.json"))
    seen.add("list", get("requests.xml"))
    assert seen.leaks() == []
    for reply in (response, get("requests.json")):
        assert SECRET_CONTACT not in reply.content.decode()


def test_post_with_both_email_and_phone_keeps_the_email(routed: Any) -> None:
    from citizens.models import PublicFiling

    response = post({**FORM, "phone": "0912345678"})
    assert response.status_code == 201, response.content
    code = response.json()[0]["service_request_id"]
    filing = PublicFiling.objects.get(petition__matter__code=code)
    assert (filing.contact_kind, filing.contact) == ("email", SECRET_CONTACT)
    only_phone = post({**{k: v for k, v in FORM.items() if k != "email"}, "phone": "0912345678"})
    assert only_phone.status_code == 201, only_phone.content


def test_post_by_address_and_xml(routed: Any) -> None:
    data = {k: v for k, v in FORM.items() if k not in ("lat", "long")}
    data["address_string"] = routed.commune.code
    response = post(data, fmt="xml")
    assert response.status_code == 201, response.content
    tree = ET.fromstring(response.content)
    code = tree.findtext("request/service_request_id")
    assert Matter.objects.get(code=code).area_id == routed.commune.code


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service_code": ""}, "service_code"),
        ({"service_code": "nothing"}, "service_code"),
        ({"description": " "}, "description"),
        ({"lat": "", "long": ""}, "address_string"),
        ({"lat": "200"}, "lat"),
        ({"long": ""}, "long"),
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_post_bad_input_is_400_naming_the_field(
    routed: Any, change: dict[str, str], field: str
) -> None:
    before = Matter.objects.count()
    response = post({**FORM, **change})
    assert response.status_code == 400
    assert field in errors_of(response)[0]["description"]
    assert Matter.objects.count() == before


def test_post_keeps_the_contact_unverified_and_sends_it_nothing(routed: Any) -> None:
    """Open311's clients have no confirmation code: the contact is kept for the officials,
    marked unverified, and hears nothing, neither the receipt nor any change of status."""
    from django.utils import timezone

    from citizens.models import PublicFiling
    from outbox.models import Message
    from petitions.services import petition_accept

    response = post(FORM)
    assert response.status_code == 201, response.content
    code = response.json()[0]["service_request_id"]
    filing = PublicFiling.objects.select_related("petition").get(petition__matter__code=code)
    assert filing.contact == SECRET_CONTACT and not filing.contact_verified
    officer = __import__("conftest").make_official("o311", routed.a, ["clerk", "handler"])
    petition_accept(actor=officer, petition=filing.petition, accepted_on=timezone.localdate())
    assert Matter.objects.get(code=code).status == "accepted"
    from citizens.channels import EMAIL, SMS

    assert not Message.objects.filter(channel__in=(EMAIL, SMS)).exists()
    assert not Message.objects.filter(payload__to=SECRET_CONTACT).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        # The same checks as the public form: the honeypot, a point in Viet Nam.
        ({"website": "http://spam.example"}, "website"),
        ({"lat": "48.85", "long": "2.35"}, "lat"),
    ],
)
def test_post_refused_by_the_front_door_stores_nothing(
    routed: Any, change: dict[str, str], field: str
) -> None:
    from citizens.models import PublicFiling
    from outbox.models import Message

    before = (Matter.objects.count(), PublicFiling.objects.count(), Message.objects.count())
    response = post({**FORM, **change})
    assert response.status_code == 400
    assert field in errors_of(response)[0]["description"]
    after = (Matter.objects.count(), PublicFiling.objects.count(), Message.objects.count())
    assert after == before


def test_post_counts_against_the_same_limit_as_the_public_form(
    routed: Any, monkeypatch: Any
) -> None:
    """One path: a filing through Open311 and one through the public API share the
    address's allowance."""
    from citizens import services
    from common.throttle import Limit

    monkeypatch.setattr(services, "FILING_LIMIT", Limit("pub_filing", 1, 3600))
    assert post(FORM).status_code == 201
    refused = Client(REMOTE_ADDR="203.0.113.5").post(
        "/api/v1/public/petitions", "{}", content_type="application/json"
    )
    assert refused.status_code in (422, 429)
    again = Client(REMOTE_ADDR="203.0.113.5").post(
        "/api/v1/public/petitions",
        {
            "kind": "proposal",
            "area": routed.commune.code,
            "category": "environment",
            "summary": "x",
            "contact": {"email": "a@example.vn", "code": "123456"},
        },
        content_type="application/json",
    )
    assert again.status_code == 429


def test_post_api_key_when_the_deployment_asks(routed: Any, settings: Any) -> None:
    settings.OPEN311_API_KEYS = ["k-123"]
    refused = post(FORM)
    assert refused.status_code == 403
    assert "api_key" in errors_of(refused)[0]["description"]
    assert post({**FORM, "api_key": "wrong"}).status_code == 403
    assert post({**FORM, "api_key": "k-123"}).status_code == 201
    # Reading never needs a key.
    assert get("requests.json").status_code == 200


def test_post_is_rate_limited_per_address(routed: Any, monkeypatch: Any) -> None:
    from citizens import services
    from common.throttle import Limit

    # One limit for every door to filing: the public form's.
    monkeypatch.setattr(services, "FILING_LIMIT", Limit("pub_filing", 2, 3600))
    assert post(FORM).status_code == 201
    assert post(FORM).status_code == 201
    refused = post(FORM)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert errors_of(refused)
    assert post(FORM, address="198.51.100.4").status_code == 201


def test_sentinel_never_in_open311(world: Any) -> None:
    proposal(world, summary="Đèn đường hỏng")
    seen = Seen()
    for path in ("requests.json", "requests.xml", "services.json", "discovery.json"):
        seen.add(path, get(path))
    assert seen.leaks() == []
    assert PHONE not in get("requests.json").content.decode()
    assert ADDRESS not in get("requests.xml").content.decode()
