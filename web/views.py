"""The UI shell: overview, matters, scorecards, units and officials, calendar, health."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connections
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role, User
from accounts.services import official_create, official_set_password
from calendars.models import CalendarDay
from calendars.selectors import get_calendar
from calendars.services import calendar_day_set
from calendars.workdays import FIRST_YEAR, LAST_YEAR
from common.clock import today
from common.errors import DomainError, Invalid
from common.pagination import CountedPaginator
from matters.selectors import (
    CLOSED_STATES,
    matter_list_for_user,
    matter_state,
    most_urgent_first,
    scorecards,
)
from notifications.selectors import with_news
from units.selectors import default_parent_code, get_unit_for_user, units_visible_to
from units.services import unit_create
from web import help
from web.forms import (
    CalendarDayForm,
    MatterFilterForm,
    OfficialForm,
    PasswordSetForm,
    UnitForm,
)

# The states of a closed matter: asking for one shows the closed matters on the list.


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


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers that ask for /favicon.ico by habit get the icon that base.html links."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The overview is the leaders' dashboard (reports app)."""
    return redirect("reports:dashboard")


@login_required
def matters(request: HttpRequest) -> HttpResponse:
    form = MatterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    day = today()
    state = filters.get("state") or None
    # The work still to do comes alone; closed matters on asking (``all=1``) or when the
    # state asked for is a closed one.
    show_closed = request.GET.get("all") == "1" or state in CLOSED_STATES
    open_only = request.GET.get("open") == "1" or not show_closed
    chosen: dict[str, Any] = {
        "kind": filters.get("kind") or None,
        "state": state,
        "query": filters.get("q") or None,
        "owner": request.GET.get("owner") or None,
        # What the dashboard's figures count, so that a figure and its list agree: a unit
        # with everything below it, the open ones only, a category.
        "under": request.GET.get("under") or None,
        "is_open": True if open_only else None,
        "category": request.GET.get("category") or None,
    }
    qs = matter_list_for_user(request.user, today=day, **chosen)
    # Open matters first, the most urgent on top, then the closed ones, latest first; what is
    # new to the official is marked until they open it.
    qs = with_news(most_urgent_first(qs, open_only=open_only), request.user)
    counted = matter_list_for_user(request.user, today=day, for_count=True, **chosen)
    page = CountedPaginator(qs, 50, count=counted).get_page(request.GET.get("page"))
    rows = [(m, matter_state(m, day)) for m in page.object_list]
    template = "web/_matter_rows.html" if request.htmx else "web/matters.html"  # type: ignore[attr-defined]
    keep = {
        k: request.GET[k]
        for k in ("owner", "under", "open", "category", "all")
        if request.GET.get(k)
    }
    toggle = {k: v for k, v in request.GET.items() if k not in ("page", "all")}
    if not show_closed:
        toggle["all"] = "1"
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "keep": keep.items(),
        "show_closed": show_closed,
        "closed_toggle": "?" + urlencode(toggle),
        "closed_toggle_shown": state not in CLOSED_STATES and request.GET.get("open") != "1",
    }
    return render(request, template, context)


@login_required
def scorecard_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    code = request.GET.get("parent") or default_parent_code(user)
    if not code:
        raise Http404
    parent = get_unit_for_user(user, code)
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
    return render(request, "web/units.html", _units_context(user, unit_form, official_form))


def _units_context(
    user: Any,
    unit_form: UnitForm | None = None,
    official_form: OfficialForm | None = None,
    password_form: PasswordSetForm | None = None,
) -> dict[str, Any]:
    unit_list = units_visible_to(user).annotate(n_officials=Count("officials")).order_by("path")
    return {
        "units": unit_list,
        "is_admin": bool(user.is_superuser or user.is_admin),
        "unit_form": unit_form or UnitForm(prefix="unit"),
        "official_form": official_form or OfficialForm(prefix="official"),
        "password_form": password_form or PasswordSetForm(prefix="password"),
    }


@login_required
@require_POST
def official_password(request: HttpRequest) -> HttpResponse:
    """An administrator sets a new password for an official who lost theirs (audited)."""
    user: Any = request.user
    if not (user.is_superuser or user.is_admin):
        return HttpResponse(_("Only administrators set officials' passwords."), status=403)
    form = PasswordSetForm(request.POST, prefix="password")
    if form.is_valid():
        official = User.objects.filter(username=form.cleaned_data["username"]).first()
        if official is None:
            form.add_error("username", _("No official has this username."))
        else:
            try:
                official_set_password(
                    actor=user, user=official, password=form.cleaned_data["password"]
                )
            except DomainError as exc:
                for field, msg in getattr(exc, "errors", {"__all__": exc.message}).items():
                    form.add_error(field if field in form.fields else None, msg)
            else:
                messages.success(
                    request,
                    _("New password set for %(name)s; their sessions have ended.")
                    % {"name": official.username},
                )
                return redirect("web:units")
    context = _units_context(user, password_form=form)
    return render(request, "web/units.html", context, status=422)


@login_required
def help_index(request: HttpRequest) -> HttpResponse:
    """The help: the guide of each role, the official's own first."""
    user: Any = request.user
    mine = help.guides_for(user.roles, user.is_admin)
    context = {
        "mine": [(role, Role(role).label) for role in mine],
        "others": [(r.value, r.label) for r in Role if r.value not in mine],
        "common": help.COMMON,
    }
    return render(request, "web/help/index.html", context)


@login_required
def help_role(request: HttpRequest, role: str) -> HttpResponse:
    if role not in help.GUIDES:
        raise Http404
    context = {
        "role": role,
        "role_label": Role(role).label,
        "items": help.GUIDES[role],
        "roles": [(r.value, r.label) for r in Role],
    }
    return render(request, "web/help/role.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_admin = user.is_superuser or user.is_admin  # type: ignore[union-attr]
    given = request.GET.get("year") or ""
    # ASCII digits only: "²".isdigit() is true but int("²") fails.
    year = int(given) if given.isascii() and given.isdigit() else 0
    year = year if FIRST_YEAR <= year <= LAST_YEAR else today().year
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
