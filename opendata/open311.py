"""Open311 GeoReport v2 at /open311/v2/ (no login), after the specification at
wiki.open311.org/GeoReport_v2: discovery, services (the categories that take public
proposals), requests (the proposals their senders let appear publicly) and filing one.

Every answer is ``.json`` or ``.xml``; errors are the specification's list of
``{"code", "description"}`` with the HTTP status as code. Nothing personal is ever returned:
a request shows its code, category, summary, stage, owner unit, deadline, commune and the
point rounded to about 100 m, as the public map does."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from common.errors import DomainError, Invalid, NotFound
from common.throttle import TooMany, client_address
from opendata import selectors

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
REQUESTS_LIMIT = 1000
DEFAULT_DAYS = 90

REQUEST_COLUMNS = (
    *selectors.LISTING_COLUMNS,
    "petition__matter__owner__name",
    "petition__matter__due_on",
    "petition__matter__created_at",
    "petition__matter__updated_at",
    "petition__matter__area__parent__name",
    "petition__matter__area__kind",
)


class Open311Error(DomainError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


# ---- rendering -------------------------------------------------------------------------------


def _xml_value(parent: ET.Element, tag: str, value: Any, item_tags: dict[str, str]) -> None:
    node = ET.SubElement(parent, tag)
    if isinstance(value, list):
        for item in value:
            _xml_value(node, item_tags.get(tag, "item"), item, item_tags)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(node, key, inner, item_tags)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)


def render(
    fmt: str, data: Any, root: str, item: str, status: int = 200, **item_tags: str
) -> HttpResponse:
    """``data`` (a list of dicts, or one dict) as JSON, or as XML under ``<root>`` with one
    ``<item>`` per element; nested lists take their item tags from ``item_tags``."""
    if fmt == "xml":
        top = ET.Element(root)
        rows = data if isinstance(data, list) else [data]
        for row in rows:
            node = ET.SubElement(top, item) if isinstance(data, list) else top
            for key, value in row.items():
                _xml_value(node, key, value, item_tags)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
        return HttpResponse(body, status=status, content_type=FORMATS["xml"])
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type=FORMATS["json"]
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    response = render(
        fmt if fmt in FORMATS else "json",
        [{"code": status, "description": description}],
        "errors",
        "error",
        status=status,
    )
    return response


def endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Checks the format and the jurisdiction, and turns refusals into Open311 errors."""

    def wrapped(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            return error("json", 404, "format: only .json and .xml are served")
        jurisdiction = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
        if (
            jurisdiction
            and settings.OPEN311_JURISDICTION
            and jurisdiction != settings.OPEN311_JURISDICTION
        ):
            return error(fmt, 404, f"jurisdiction_id: {jurisdiction} is not served here")
        try:
            return view(request, fmt, **kwargs)
        except TooMany as exc:
            response = error(fmt, 429, exc.message)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except Invalid as exc:
            return error(fmt, 400, exc.message)
        except NotFound as exc:
            return error(fmt, 404, exc.message)
        except DomainError as exc:
            return error(fmt, exc.status, exc.message)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# ---- services --------------------------------------------------------------------------------


def service_rows() -> list[dict[str, Any]]:
    from opendata.services import open311_categories

    return [
        {
            "service_code": c.code,
            "service_name": c.label,
            "description": c.label,
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "",
        }
        for c in open311_categories()
    ]


@endpoint
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Where the endpoint is, what it speaks, and whom to ask."""
    base = request.build_absolute_uri(reverse("open311:discovery", args=["json"])).rsplit("/", 1)[0]
    data = {
        "changeset": "2026-12-01T00:00:00+07:00",
        "contact": str(getattr(settings, "SITE_URL", "") or base),
        "key_service": "api_key" if settings.OPEN311_API_KEYS else "",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-12-01T00:00:00+07:00",
                "type": "production",
                "formats": list(FORMATS_MIME),
            }
        ],
    }
    return render(fmt, data, "discovery", "discovery", endpoints="endpoint", formats="format")


FORMATS_MIME = ("application/json", "text/xml")


@endpoint
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """The categories that take public proposals."""
    return render(fmt, service_rows(), "services", "service")


@endpoint
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    """A service's extra attributes: none (every service has ``metadata: false``)."""
    if not any(row["service_code"] == code for row in service_rows()):
        raise NotFound(f"service_code: no service {code}")
    data = {"service_code": code, "attributes": []}
    return render(fmt, data, "service_definition", "service_definition", attributes="attribute")


# ---- requests --------------------------------------------------------------------------------


def _moment(raw: str, field: str, end: bool = False) -> datetime:
    """An ISO 8601 moment (or a bare date: its start, or its end for ``end``), aware."""
    problem = {field: "must be a date and time as in ISO 8601, e.g. 2026-03-01T00:00:00+07:00"}
    try:
        parsed = parse_datetime(raw)
        if parsed is None:
            day = parse_date(raw) if len(raw) == 10 else None
            if day is None:
                raise Invalid(problem)
            parsed = datetime.combine(day, time.max if end else time.min)
    except ValueError:
        raise Invalid(problem) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _listed(ids: list[str] | None = None) -> Any:
    return selectors.listed_proposals()


def request_row(
    row: dict[str, Any], labels: dict[str, str], answers: dict[str, str]
) -> dict[str, Any]:
    code = row["petition__matter__code"]
    category = row["petition__matter__category_id"]
    due = row["petition__matter__due_on"]
    commune = selectors.commune_of(row)
    place = [commune[1]] if commune else []
    parent = row["petition__matter__area__parent__name"]
    place.append(parent or row["petition__matter__area__name"])
    expected = (
        timezone.make_aware(datetime.combine(due, time(23, 59, 59))) if due is not None else None
    )
    return {
        "service_request_id": code,
        "status": "open" if row["petition__matter__is_open"] else "closed",
        "status_notes": answers.get(code, ""),
        "service_name": labels.get(category, category),
        "service_code": category,
        "description": row["petition__summary"],
        "agency_responsible": row["petition__matter__owner__name"],
        "service_notice": "",
        "requested_datetime": _iso(row["petition__matter__created_at"]),
        "updated_datetime": _iso(row["petition__matter__updated_at"]),
        "expected_datetime": _iso(expected),
        "address": ", ".join(place),
        "address_id": "",
        "zipcode": "",
        "lat": row["public_lat"],
        "long": row["public_lon"],
        "media_url": "",
    }


def request_rows(qs: Any) -> list[dict[str, Any]]:
    from opendata.services import published_answers

    rows = list(qs.values(*REQUEST_COLUMNS))
    answers = published_answers([r["petition__matter__code"] for r in rows])
    labels = selectors.category_labels()
    return [request_row(r, labels, answers) for r in rows]


def _codes(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def _search(request: HttpRequest) -> list[dict[str, Any]]:
    """GET requests: ``service_request_id`` (a comma list; the other filters then do not
    apply), ``service_code`` (a comma list), ``start_date`` and ``end_date`` (ISO 8601, on
    the time of filing; by default the last 90 days), ``status`` (open, closed or both)."""
    params = request.GET
    qs = selectors.listed_proposals()
    ids = _codes(params.get("service_request_id", ""))
    if ids:
        qs = qs.filter(petition__matter__code__in=ids[:REQUESTS_LIMIT])
        return request_rows(qs.order_by("petition__matter__code"))
    statuses = _codes(params.get("status", ""))
    if any(s not in ("open", "closed") for s in statuses):
        raise Invalid({"status": "must be open, closed, or both separated by a comma"})
    if len(set(statuses)) == 1:
        qs = qs.filter(petition__matter__is_open=statuses[0] == "open")
    service_codes = _codes(params.get("service_code", ""))
    if service_codes:
        qs = qs.filter(petition__matter__category_id__in=service_codes)
    start_raw, end_raw = params.get("start_date", ""), params.get("end_date", "")
    end = _moment(end_raw, "end_date", end=True) if end_raw else None
    start = _moment(start_raw, "start_date") if start_raw else None
    if start is None and end is None:
        start = timezone.now() - timedelta(days=DEFAULT_DAYS)
    if start and end and start > end:
        raise Invalid({"start_date": "must not be after end_date"})
    if start:
        qs = qs.filter(petition__matter__created_at__gte=start)
    if end:
        qs = qs.filter(petition__matter__created_at__lte=end)
    return request_rows(qs.order_by("-petition__matter__created_at")[:REQUESTS_LIMIT])


@csrf_exempt
@endpoint
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: the public proposals (filters in ``_search``). POST: file a proposal."""
    if request.method == "POST":
        return _post(request, fmt)
    if request.method not in ("GET", "HEAD"):
        return error(fmt, 405, "method: only GET and POST")
    return render(fmt, _search(request), "service_requests", "request")


@endpoint
def request_detail(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    """One public proposal, as a list of one (the specification's shape); 404 for a code
    that is unknown or not public."""
    rows = request_rows(selectors.listed_proposals().filter(petition__matter__code=code))
    if not rows:
        raise NotFound(f"service_request_id: no public request {code}")
    return render(fmt, rows, "service_requests", "request")


@endpoint
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """Requests are filed at once, so a token is the request's own id: the answer names it
    while it is public; 404 otherwise."""
    found = selectors.listed_proposals().filter(petition__matter__code=token).exists()
    if not found:
        raise NotFound(f"token: no request with token {token}")
    return render(
        fmt, [{"service_request_id": token, "token": token}], "service_requests", "request"
    )


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    from opendata.services import open311_file

    keys = settings.OPEN311_API_KEYS
    if keys and request.POST.get("api_key", "") not in keys:
        return error(fmt, 403, "api_key: missing or not valid")
    code, notice = open311_file(request.POST, client_address(request))
    return render(
        fmt,
        [{"service_request_id": code, "service_notice": notice}],
        "service_requests",
        "request",
        status=201,
    )
