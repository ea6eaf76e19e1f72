"""JSON endpoints of the reports app (API.md, "Reports and audit", plus the documented extras:
the dashboard's data, asking for and listing generated reports, schedules)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from common.errors import Conflict, Invalid, NotFound
from common.pagination import paginate
from common.schema import Schema
from reports.dashboard import dashboard_snapshot
from reports.models import GeneratedReport
from reports.selectors import (
    CACHE_SECONDS,
    dashboard_cache_key,
    dashboard_data,
    dashboard_filters,
    get_report_for_user,
    replica_reads,
    reports_visible_to,
)
from units.selectors import get_unit_for_user

router = Router(tags=["reports"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def docx_response(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "no-store"
    return response


def pdf_response(content: bytes, docx_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    name = docx_name.removesuffix(".docx") + ".pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/reports/dashboard")
def get_dashboard(
    request: HttpRequest,
    unit: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    period: str | None = None,
) -> HttpResponse:
    """The dashboard's figures for a unit and everything below it, from the pre-aggregated
    counts: states by kind and category, units below worst first, areas with coordinates,
    received and closed per week or month, open alerts."""
    with replica_reads():
        filters = dashboard_filters(
            request.user, unit=unit, kind=kind, category=category, period=period
        )
        snapshot = dashboard_snapshot()
        # Serialised once per snapshot and filters: most requests are answered from the cache.
        key = dashboard_cache_key(filters, snapshot) + ":json"
        body = cache.get(key)
        if body is None:
            body = json.dumps(dashboard_data(filters, snapshot), ensure_ascii=False)
            cache.set(key, body, CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


class FormerAreaRow(Schema):
    code: str
    name: str
    kind: str
    successors: list[str]
    received: int
    open: int
    overdue: int
    done_on_time: int
    done_late: int


class FormerAreaQuery(Schema):
    province: str
    level: Literal["province", "district", "commune"] = "district"
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")
    year: int | None = None


@router.get("/reports/former-areas", response=list[FormerAreaRow])
def former_area_report(
    request: HttpRequest, filters: Query[FormerAreaQuery]
) -> list[dict[str, Any]]:
    """The matters the caller sees that were filed under the units before 1 July 2025 of
    the old province ``province`` (e.g. "34", Thái Bình), by old district or commune, for
    ``year`` or ``from``-``to``: a report drawn by the old units."""
    from areas.services import gazetteer
    from common.clock import today
    from reports.selectors import counts_by_former_area

    errors: dict[str, str] = {}
    province, year, from_, to = filters.province, filters.year, filters.start, filters.end
    old = gazetteer().former.get(province)
    if old is None or old.kind != "province":
        raise NotFound(_("No province before 01/07/2025 with code %(code)s") % {"code": province})
    if year is not None:
        if not 1990 <= year <= 2100:
            errors["year"] = _("not a year: %(value)s") % {"value": year}
        else:
            from_, to = date(year, 1, 1), date(year, 12, 31)
    if from_ is None or to is None:
        errors.setdefault("from", _("give year, or from and to"))
    elif to < from_:
        errors["to"] = _("is before from")
    if errors:
        raise Invalid(errors)
    assert from_ is not None and to is not None
    return counts_by_former_area(
        request.user, start=from_, end=to, province=province, level=filters.level, today=today()
    )


class ReportOut(Schema):
    id: int
    unit: str
    kind: str
    title: str
    period: str
    period_start: date | None
    period_end: date | None
    status: str
    progress: int
    symbol: str
    issued_on: date | None
    created_at: datetime
    download: str | None


def report_dict(report: GeneratedReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "unit": report.unit.code,
        "kind": report.kind,
        "title": report.title,
        "period": report.period,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "status": report.status,
        "progress": report.progress,
        "symbol": report.symbol,
        "issued_on": report.issued_on,
        "created_at": report.created_at,
        "download": f"/api/v1/reports/{report.pk}/file" if report.status == "done" else None,
    }


class ReportIn(Schema):
    unit: str
    period: Literal["month", "quarter", "year"]
    year: int
    index: int | None = None


@router.post("/reports", response={202: ReportOut})
def request_report(request: HttpRequest, payload: ReportIn) -> Status[dict[str, Any]]:
    """Ask for the periodic report on petitions and citizen reception of a unit (month,
    quarter with ``index`` 1-4, or year). It is generated as a job; poll ``GET
    /reports/<id>`` for ``progress`` and ``status``."""
    from reports.services import report_request

    unit = get_unit_for_user(request.user, payload.unit)
    report = report_request(
        actor=request.user, unit=unit, period=payload.period, year=payload.year, index=payload.index
    )
    report.refresh_from_db()
    return Status(202, report_dict(report))


class ReportPage(Schema):
    items: list[ReportOut]
    count: int


@router.get("/reports", response=ReportPage)
def list_reports(
    request: HttpRequest, unit: str | None = None, page: int = 1, page_size: int = 50
) -> dict[str, Any]:
    qs = reports_visible_to(request.user)
    if unit:
        qs = qs.filter(unit=get_unit_for_user(request.user, unit))
    items, count = paginate(qs, page, page_size)
    return {"items": [report_dict(r) for r in items], "count": count}


@router.get("/reports/{int:report_id}", response=ReportOut)
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return report_dict(get_report_for_user(request.user, report_id))


def not_ready(report: GeneratedReport) -> str:
    return _("Report %(id)s is not ready (%(status)s)") % {
        "id": report.pk,
        "status": report.get_status_display(),
    }


@router.get("/reports/{int:report_id}/file")
def download_report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request.user, report_id)
    if report.status != GeneratedReport.Status.DONE or not report.file:
        raise Conflict(not_ready(report))
    with report.file.open("rb") as handle:
        return docx_response(handle.read(), report.file_name)


@router.get("/reports/{int:report_id}/file.pdf")
def download_report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    """The same document as PDF/A-2b, signed (PAdES) by the issuing unit when it has a
    certificate; made on the first request and kept. 503 when PDF cannot be made here."""
    from reports.services import report_pdf

    report = get_report_for_user(request.user, report_id)
    if report.status != GeneratedReport.Status.DONE or not report.file:
        raise Conflict(not_ready(report))
    return pdf_response(report_pdf(actor=request.user, report=report), report.file_name)


@router.get("/reports/plans/{int:plan_id}.docx")
def plan_report(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The report on carrying out a plan (Decree 30/2020 format), issued by the plan's unit
    under its next document number: tasks by state, briefings held and missing with the
    units named, units behind schedule."""
    from reports.services import plan_report_issue

    report, content = plan_report_issue(actor=request.user, plan_id=plan_id)
    return docx_response(content, report.file_name)


@router.get("/reports/plans/{int:plan_id}.pdf")
def plan_report_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The same report as ``.docx`` (issued the same way, under the next number), as PDF/A-2b
    signed (PAdES) by the plan's unit when it has a certificate. 503, issuing nothing, when
    PDF cannot be made here."""
    from reports.services import plan_report_issue, report_pdf
    from signing.services import pdf_available

    pdf_available()
    report, _content = plan_report_issue(actor=request.user, plan_id=plan_id)
    return pdf_response(report_pdf(actor=request.user, report=report), report.file_name)


class ScheduleIn(Schema):
    unit: str
    period: Literal["month", "quarter", "year"]
    active: bool = True


class ScheduleOut(Schema):
    unit: str
    period: str
    active: bool
    next_period_start: date


@router.post("/reports/schedules", response=ScheduleOut)
def set_schedule(request: HttpRequest, payload: ScheduleIn) -> dict[str, Any]:
    from reports.services import schedule_set

    unit = get_unit_for_user(request.user, payload.unit)
    s = schedule_set(actor=request.user, unit=unit, period=payload.period, active=payload.active)
    return {
        "unit": unit.code,
        "period": s.period,
        "active": s.is_active,
        "next_period_start": s.next_period_start,
    }
