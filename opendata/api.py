"""Open data over the JSON API (no login): statistics per unit and the public map."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.responses import NinjaJSONEncoder

from common.schema import Schema
from opendata import mapcache, selectors

router = Router(tags=["open data"])


class StatsRow(Schema):
    unit: str
    name: str
    received: int
    resolved_on_time: int
    resolved_late: int
    open_overdue: int
    median_days: float | None
    rating_mean: float | None
    ratings: int


@router.get(
    "/public/stats",
    auth=None,
    response=list[StatsRow],
    summary="Petitions per unit of a province over a period (no login)",
)
def get_stats(
    request: HttpRequest,
    province: str = "",
    from_: str = Query("", alias="from"),
    to: str = "",
) -> list[dict[str, Any]]:
    """One row per unit of the province: petitions received in the period, resolved in it
    on time and late, open past their due date at its end, the median days from receipt to
    resolution, and the mean and count of the citizens' ratings given in it. ``from`` and
    ``to`` are YYYY-MM-DD (default: 1 January to today). The same figures as the officials'
    periodic reports; counts only, nothing personal. 422 names a bad ``province``, ``from``
    or ``to``. The same table as CSV: ``/open-data/stats.csv``."""
    area = selectors.get_province(province)
    period = selectors.stats_period(from_, to)
    return selectors.public_stats(area, period)


@router.get(
    "/public/map",
    auth=None,
    summary="Public proposals in a box, as GeoJSON (no login)",
)
def get_map(request: HttpRequest, bbox: str = "", province: str = "", status: str = "") -> Any:
    """A GeoJSON FeatureCollection of the proposals whose petitioners agreed to show them,
    in ``bbox`` = lon1,lat1,lon2,lat2 (and/or ``province``; ``status`` = open|closed). Each
    feature: ``code``, ``category``, ``status``, ``commune`` and the point rounded to about
    100 m; nothing personal. 422 names a bad ``bbox``, ``province`` or ``status``."""
    box = selectors.parse_bbox(bbox)
    if box is None and province:
        return _province_map(province, status)
    return selectors.map_features(bbox=box, province=province or None, status=status or None)


def _province_map(province: str, status: str) -> HttpResponse:
    """A whole province, as the API's renderer writes it (UTF-8 JSON), kept in the cache
    until one of its proposals changes (``opendata.mapcache``): what every visitor of the
    map page asks first."""
    selectors.get_province(province)

    def render() -> str:
        answer = selectors.map_features(bbox=None, province=province, status=status or None)
        return json.dumps(answer, cls=NinjaJSONEncoder, ensure_ascii=False)

    body = mapcache.province_answer(province, f"api:{status}", render)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
