"""The UI shell: overview, matters, scorecards, units and officials, calendar, health."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.services import official_create
from calendars.models import CalendarDay
from calendars.selectors import get_calendar
from calendars.services import calendar_day_set
from common.clock import today
from common.errors import DomainError, Invalid, NotFound
from matters.selectors import matter_list_for_user, matter_state, scorecards
from units.selectors import get_unit_for_user, units_visible_to
from units.services import unit_create
from web.forms import CalendarDayForm, MatterFilterForm, OfficialForm, UnitForm


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "alive"})


def readyz(request: HttpRequest) -> HttpResponse:
    status = {}
    for alias in ("default", "vault"):
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
            status[alias] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            status[alias] = f"unavailable: {exc.__class__.__name__}"
    ready = all(v == "ok" for v in status.values())
    return JsonResponse(status, status=200 if ready else 503)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The overview is the leaders' dashboard (reports app)."""
    return redirect("reports:dashboard")


@login_required
def matters(request: HttpRequest) -> HttpResponse:
    form = MatterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    day = today()
    qs = matter_list_for_user(
        request.user,
        today=day,
        kind=filters.get("kind") or None,
        state=filters.get("state") or None,
        query=filters.get("q") or None,
        owner=request.GET.get("owner") or None,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(m, matter_state(m, day)) for m in page.object_list]
    template = "web/_matter_rows.html" if request.htmx else "web/matters.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "page": page, "rows": rows})


@login_required
def scorecard_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    code = request.GET.get("parent") or (user.unit.code if user.unit_id else "")  # type: ignore[union-attr]
    if not code:
        raise Http404
    try:
        parent = get_unit_for_user(user, code)
    except NotFound:
        raise Http404
    rows = scorecards(user, parent, today())
    rows.sort(key=lambda r: (-r["overdue"], -r["bounces_sent"], -r["open"], r["unit"]))
    return render(request, "web/scorecards.html", {"parent": parent, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_admin = user.is_superuser or user.is_admin  # type: ignore[union-attr]
    unit_form = UnitForm(prefix="unit")
    official_form = OfficialForm(prefix="official")
    if request.method == "POST":
        if not is_admin:
            return HttpResponse(_("Only administrators manage units and officials."), status=403)
        which = request.POST.get("form")
        form = (
            UnitForm(request.POST, prefix="unit")
            if which == "unit"
            else OfficialForm(request.POST, prefix="official")
        )
        if form.is_valid():
            try:
                if which == "unit":
                    data = form.cleaned_data
                    unit_create(
                        actor=user,
                        code=data["code"],
                        name=data["name"],
                        kind=data["kind"],
                        parent=data["parent"] or None,
                        area=data["area"] or None,
                    )
                    messages.success(request, _("Unit %(code)s created.") % {"code": data["code"]})
                else:
                    official_create(actor=user, **form.cleaned_data)
                    messages.success(
                        request,
                        _("Official %(name)s created.") % {"name": form.cleaned_data["username"]},
                    )
                return redirect("web:units")
            except DomainError as exc:
                for field, msg in getattr(exc, "errors", {"__all__": exc.message}).items():
                    form.add_error(field if field in form.fields else None, msg)
        if which == "unit":
            unit_form = form  # type: ignore[assignment]
        else:
            official_form = form  # type: ignore[assignment]
    unit_list = units_visible_to(user).annotate(n_officials=Count("officials")).order_by("path")
    return render(
        request,
        "web/units.html",
        {
            "units": unit_list,
            "is_admin": is_admin,
            "unit_form": unit_form,
            "official_form": official_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_admin = user.is_superuser or user.is_admin  # type: ignore[union-attr]
    year = int(request.GET.get("year") or today().year)
    form = CalendarDayForm()
    if request.method == "POST":
        if not is_admin:
            return HttpResponse(_("Only administrators change the calendar."), status=403)
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            try:
                calendar_day_set(actor=user, **form.cleaned_data)
                messages.success(request, _("Calendar updated."))
                return redirect(f"{request.path}?year={form.cleaned_data['day'].year}")
            except Invalid as exc:
                form.add_error(None, exc.message)
    cal = get_calendar()
    first, last = date(year, 1, 1), date(year, 12, 31)
    off_days = [d for d in cal.non_working_between(first, last) if d.weekday() < 5]
    overrides = CalendarDay.objects.filter(day__year=year)
    makeup = [
        d
        for d in (date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1))
        if d.weekday() >= 5 and cal.is_working_day(d)
    ]
    context = {
        "year": year,
        "form": form,
        "is_admin": is_admin,
        "off_days": [(d, cal.holiday_names.get(d, "")) for d in off_days],
        "makeup": makeup,
        "overrides": overrides,
    }
    return render(request, "web/calendar.html", context)
