"""Pages of the reports app: the leaders' dashboard, the list of generated reports with the
form that asks for one (and its progress), downloads, schedules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from common.clock import today
from common.errors import DomainError, Forbidden, Invalid, NotFound, Unavailable
from matters.models import Category, Matter
from reports.dashboard import dashboard_snapshot
from reports.forms import ReportForm, ScheduleForm
from reports.models import GeneratedReport, ReportSchedule
from reports.selectors import (
    CACHE_SECONDS,
    PERIODS,
    dashboard_cache_key,
    dashboard_data,
    dashboard_filters,
    get_report_for_user,
    replica_reads,
    reports_visible_to,
    unit_options,
    user_can_issue,
)

PERIOD_LABELS = {
    "4w": gettext_lazy("last 4 weeks"),
    "13w": gettext_lazy("last 13 weeks"),
    "26w": gettext_lazy("last 26 weeks"),
    "52w": gettext_lazy("last 52 weeks"),
    "12m": gettext_lazy("last 12 months"),
    "24m": gettext_lazy("last 24 months"),
    "year": gettext_lazy("this year"),
}


def _status_for(exc: DomainError) -> int:
    return exc.status


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    with replica_reads():
        return _dashboard(request)


def _dashboard(request: HttpRequest) -> HttpResponse:
    g = request.GET
    try:
        filters = dashboard_filters(
            request.user,
            unit=g.get("unit") or None,
            kind=g.get("kind"),
            category=g.get("category"),
            period=g.get("period"),
        )
    except NotFound:
        raise Http404
    except (Forbidden, Invalid) as exc:
        return render(
            request, "reports/dashboard_error.html", {"error": exc.message}, status=_status_for(exc)
        )
    try:
        snapshot = dashboard_snapshot()
    except Unavailable as exc:
        response = render(
            request, "reports/dashboard_error.html", {"error": exc.message}, status=503
        )
        response["Retry-After"] = "60"
        return response
    # The figures part is the same for everyone who looks at this unit with these filters:
    # rendered once per snapshot (and language), then served from the cache.
    key = dashboard_cache_key(filters, snapshot) + ":html"
    partial = cache.get(key)
    if partial is None:
        data = dashboard_data(filters, snapshot)
        partial = render_to_string("reports/_dashboard.html", _partial_context(data, filters))
        cache.set(key, partial, CACHE_SECONDS)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(partial)
    context = {
        "partial": mark_safe(partial),  # noqa: S308 - rendered by our own template above
        "f": filters,
        "unit_options": unit_options(filters, request.user),
        "kinds": Matter.Kind.choices,
        "categories": list(Category.objects.values_list("code", "label")),
        "periods": [(key, PERIOD_LABELS.get(key, key)) for key in PERIODS],
        "words": {
            "received": _("Received"),
            "done_on_time": _("Done on time"),
            "done_late": _("Done late"),
            "overdue": _("Overdue"),
            "due_soon": _("Due soon"),
            "in_time": _("In time"),
            "open_not_overdue": _("Open, not overdue"),
            "open": _("open"),
            "alerts": _("alerts"),
        },
    }
    return render(request, "reports/dashboard.html", context)


def _partial_context(data: dict[str, Any], filters: Any) -> dict[str, Any]:
    refreshed = data["refreshed_at"]
    return {
        "data": data,
        "f": filters,
        "period_label": PERIOD_LABELS.get(filters.period, filters.period),
        "top_areas": data["by_area"][:12],
        "as_of": date.fromisoformat(data["as_of"]),
        "refreshed_at": datetime.fromisoformat(refreshed) if refreshed else None,
        "briefings": data["briefings_missing"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    unit = user.unit
    can_issue = unit is not None and user_can_issue(user, unit)
    day = today()
    form = ReportForm(initial={"period": "month", "year": day.year, "index": day.month})
    if request.method == "POST":
        if not can_issue:
            return HttpResponse(_("Only officials of a unit issue its reports."), status=403)
        form = ReportForm(request.POST)
        if form.is_valid():
            from reports.services import report_request

            try:
                report_request(actor=user, unit=unit, **form.cleaned_data)
                messages.success(request, _("The report is being generated."))
                return redirect("reports:list")
            except Invalid as exc:
                for field, msg in exc.errors.items():
                    form.add_error(field if field in form.fields else None, msg)
    page = Paginator(reports_visible_to(user), 25).get_page(request.GET.get("page"))
    schedules = ReportSchedule.objects.filter(unit=unit) if unit else ReportSchedule.objects.none()
    context = {
        "page": page,
        "form": form,
        "can_issue": can_issue,
        "schedule_form": ScheduleForm(),
        "schedules": schedules,
    }
    return render(request, "reports/list.html", context, status=422 if form.errors else 200)


@login_required
def report_status(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request.user, report_id)
    return render(request, "reports/_report_row.html", {"r": report})


@login_required
def report_download(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request.user, report_id)
    if report.status != GeneratedReport.Status.DONE or not report.file:
        raise Http404
    from reports.api import docx_response

    with report.file.open("rb") as handle:
        return docx_response(handle.read(), report.file_name)


@login_required
def report_download_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report as signed PDF/A (made on the first request, then kept)."""
    report = get_report_for_user(request.user, report_id)
    if report.status != GeneratedReport.Status.DONE or not report.file:
        raise Http404
    from reports.api import pdf_response
    from reports.services import report_pdf

    try:
        content = report_pdf(actor=request.user, report=report)
    except Unavailable as exc:
        response = HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "60"
        return response
    return pdf_response(content, report.file_name)


@login_required
@require_POST
def schedule(request: HttpRequest) -> HttpResponse:
    from reports.services import schedule_set

    user: Any = request.user
    form = ScheduleForm(request.POST)
    if user.unit is None:
        return HttpResponse(_("Only officials of a unit issue its reports."), status=403)
    if form.is_valid():
        try:
            schedule_set(
                actor=user,
                unit=user.unit,
                period=form.cleaned_data["period"],  # type: ignore[union-attr]
                active=form.cleaned_data["active"],
            )
            messages.success(request, _("Schedule saved."))
        except Forbidden as exc:
            return HttpResponse(exc.message, status=403)
    return redirect("reports:list")
