"""Public pages (no login): statistics per unit with their CSV, and the map of proposals."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.errors import Invalid
from opendata import mapcache, selectors
from opendata.forms import StatsForm
from units.models import Unit


def default_province() -> str:
    """The province of the top unit of the deployment (else the first province)."""
    root = Unit.objects.filter(parent__isnull=True, area__isnull=False).order_by("code").first()
    if root is not None and root.area is not None:
        return root.area.province_code
    from areas.models import Area

    first = Area.objects.filter(kind=Area.Kind.PROVINCE).order_by("code").first()
    return first.code if first else ""


def csv_headers() -> list[str]:
    return [
        _("Unit code"),
        _("Unit"),
        _("Received"),
        _("Resolved on time"),
        _("Resolved late"),
        _("Open and overdue"),
        _("Median days to resolve"),
        _("Mean rating"),
        _("Ratings"),
    ]


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    """The public statistics per unit: a province and a period (GET), a table, its CSV."""
    data = request.GET.copy()
    data.setdefault("province", default_province())
    form = StatsForm(data)
    context: dict[str, Any] = {"form": form, "rows": None}
    if form.is_valid():
        area = selectors.get_province(form.cleaned_data["province"])
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        period = selectors.stats_period(
            start.isoformat() if start else None, end.isoformat() if end else None
        )
        context.update(
            rows=selectors.public_stats(area, period),
            province=area,
            period=period,
            query=f"province={area.code}&from={period.start}&to={period.end}",
        )
    return render(request, "opendata/stats.html", context, status=200 if form.is_valid() else 422)


def _cell(value: Any) -> Any:
    # A unit's name could begin with a formula character; Excel must read it as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


@require_GET
def stats_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as ``/api/v1/public/stats`` as CSV: UTF-8 with a byte-order mark so
    that Excel reads the Vietnamese, one row per unit, headed by the API's field names (or,
    with ``headers=vi``, by Vietnamese headings); 422 (text) naming a bad parameter."""
    try:
        area = selectors.get_province(request.GET.get("province") or default_province())
        period = selectors.stats_period(request.GET.get("from"), request.GET.get("to"))
    except Invalid as exc:
        return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8")
    rows = selectors.public_stats(area, period)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if request.GET.get("headers") == "vi":
        writer.writerow(csv_headers())
    else:
        writer.writerow(["unit", "name", *selectors.STAT_FIELDS])
    for row in rows:
        writer.writerow([_cell(row[k]) for k in ("unit", "name", *selectors.STAT_FIELDS)])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"thong-ke-{area.code}-{period.start}-{period.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def public_map(request: HttpRequest) -> HttpResponse:
    """The map of public proposals of a province, with the same points as a table."""
    from areas.models import Area

    code = request.GET.get("province") or default_province()
    province = Area.objects.filter(code=code, kind=Area.Kind.PROVINCE).first()
    status = 200
    if province is None:
        province, status = None, 404
    features: list[dict[str, Any]] = []
    communes: list[Any] = []
    if province is not None:
        code = province.code
        features = mapcache.province_answer(
            code, "page", lambda: selectors.map_features(bbox=None, province=code, status=None)
        )["features"]
        from petitions.models import Status

        labels = dict(Status.choices)
        for feature in features:
            props = feature["properties"]
            props["status_label"] = str(labels.get(props["status"], props["status"]))
        communes = list(
            Area.objects.filter(parent_id=province.code, latitude__isnull=False)
            .order_by("name")
            .values("code", "name", "latitude", "longitude")
        )
    provinces = Area.objects.filter(kind=Area.Kind.PROVINCE).order_by("name")
    context = {
        "province": province,
        "provinces": provinces,
        "features": features,
        "communes": communes,
    }
    return render(request, "opendata/map.html", context, status=status)
