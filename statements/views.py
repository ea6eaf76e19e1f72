"""Pages of press statements: the unit's due items, a statement, the spokesperson register,
the annual indicators, and the public page of statements (no login)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from calendars.selectors import get_calendar
from common.clock import now
from common.errors import DomainError, Forbidden, NotFound
from common.pages import submit
from matters.selectors import user_can_act
from notifications.services import matter_seen
from statements import services
from statements.forms import (
    ConclusionForm,
    DeliverForm,
    RefuseForm,
    SpokespersonForm,
    StatementForm,
)
from statements.models import Statement, Status, Trigger
from statements.schemas import spokesperson_dict, statement_dict
from statements.selectors import (
    get_spokesperson_for_user,
    get_statement_for_user,
    posting_overdue,
    public_spokespersons,
    public_statements,
    spokespersons_for_user,
    statement_list_for_user,
)
from units.selectors import units_visible_to


def _unit_code(user: Any) -> str:
    return user.unit.code if user.unit_id else ""


def _can_open(user: Any) -> bool:
    return bool(user.unit_id and user.can_act)


@login_required
def statement_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Status.OPEN)
    if status not in (*Status.values, "all"):
        status = Status.OPEN
    moment, calendar = now(), get_calendar()
    qs = statement_list_for_user(
        request.user, status=None if status == "all" else status, query=request.GET.get("q") or None
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [statement_dict(s, moment, calendar) for s in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "can_open": _can_open(request.user),
        "overdue_postings": posting_overdue(request.user, moment).count(),
    }
    return render(request, "statements/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def statement_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "GET" and not _can_open(user):
        raise PermissionDenied(_("Only officials who act for a unit record a duty to inform."))
    form = StatementForm(request.POST or None, initial={"triggered_at": timezone.localtime(now())})
    if request.method == "POST":
        done = submit(form, lambda: _opened(request, unit=_unit_code(user), **form.cleaned_data))
        if done is not None:
            return done
    status = 422 if request.method == "POST" else 200
    return render(request, "statements/new.html", {"form": form}, status=status)


def _opened(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Open the statement and go to its page."""
    statement = services.statement_open(actor=request.user, **kwargs)
    messages.success(request, _("Statement %(code)s recorded.") % {"code": statement.matter.code})
    return redirect("statements:detail", code=statement.matter.code)


def _detail(
    request: HttpRequest,
    statement: Statement,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    moment = now()
    on = timezone.localdate(statement.triggered_at)
    speaker = ""
    head = statement.matter.owner.head
    if head is not None:
        speaker = head.full_name or head.username
    action_forms: dict[str, forms.Form] = {
        "deliver": DeliverForm(
            initial={"delivered_at": timezone.localtime(moment), "speaker": speaker}
        ),
        "refuse": RefuseForm(on=on),
        "conclusion": ConclusionForm(),
    }
    action_forms.update(bound or {})
    context = {
        "s": statement_dict(statement, moment),
        "statement": statement,
        "can_act": user_can_act(request.user, statement.matter),
        "forms": action_forms,
        "can_refuse": statement.trigger != Trigger.PERIODIC,
        "follow_ups": [f.matter.code for f in statement.follow_ups.select_related("matter")],
    }
    return render(request, "statements/detail.html", context, status=status)


@login_required
def statement_detail(request: HttpRequest, code: str) -> HttpResponse:
    statement = get_statement_for_user(request.user, code)
    matter_seen(user=request.user, matter=statement.matter)
    return _detail(request, statement)


@login_required
@require_POST
def statement_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    statement = get_statement_for_user(request.user, code)
    on = timezone.localdate(statement.triggered_at)
    form: forms.Form
    if action == "deliver":
        form = DeliverForm(request.POST)
    elif action == "refuse":
        form = RefuseForm(request.POST, on=on)
    elif action == "conclusion":
        form = ConclusionForm(request.POST)
    else:
        raise Http404
    done = submit(form, lambda: _act(request, statement, code, action, form.cleaned_data))
    if done is not None:
        return done
    # A refused service may have changed the statement in memory: show it as stored.
    statement = get_statement_for_user(request.user, code)
    return _detail(request, statement, {action: form}, status=422)


def _act(
    request: HttpRequest, statement: Statement, code: str, action: str, data: dict[str, Any]
) -> HttpResponse:
    """Call the service of ``action``; a forwarded conclusion opens a follow-up statement."""
    if action == "conclusion":
        return _opened(
            request,
            unit=statement.matter.owner.code,
            trigger=Trigger.FORWARDED_CONCLUSION,
            parent=code,
            triggered_at=data["triggered_at"],
            subject=data["subject"],
            press_agency=statement.press_agency,
        )
    step = services.statement_deliver if action == "deliver" else services.statement_refuse
    step(actor=request.user, statement=statement, **data)
    messages.success(request, _("Saved."))
    return redirect("statements:detail", code=code)


@login_required
@require_http_methods(["GET", "POST"])
def spokesperson_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = SpokespersonForm(request.POST or None)
    if request.method == "POST":
        done = submit(form, lambda: _registered(request, form.cleaned_data))
        if done is not None:
            return done
    status = 422 if request.method == "POST" else 200
    moment = now()
    rows = [spokesperson_dict(p, moment) for p in spokespersons_for_user(user)]
    context = {"rows": rows, "form": form, "can_edit": _can_open(user), "own_unit": user.unit_id}  # type: ignore[union-attr]
    return render(request, "statements/spokespersons.html", context, status=status)


def _registered(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    user = request.user
    services.spokesperson_register(actor=user, unit=_unit_code(user), **data)
    messages.success(request, _("Spokesperson recorded."))
    return redirect("statements:spokespersons")


@login_required
@require_POST
def spokesperson_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        person = get_spokesperson_for_user(request.user, pk)
        if action == "publish":
            services.spokesperson_publish(actor=request.user, person=person, posted_at=None)
        elif action == "end":
            services.spokesperson_end(
                actor=request.user, person=person, ended_on=timezone.localdate(now())
            )
        else:
            raise Http404
    except NotFound:
        raise Http404
    except Forbidden as exc:
        return HttpResponse(exc.message, status=403)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("statements:spokespersons")
    messages.success(request, _("Saved."))
    return redirect("statements:spokespersons")


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate(now()).year
    units = units_visible_to(request.user).order_by("path")[:500]
    default = request.user.unit.code if request.user.unit_id else ""  # type: ignore[union-attr]
    return render(
        request,
        "statements/indicators.html",
        {"units": units, "years": range(year, year - 5, -1), "default": default},
    )


def public_page(request: HttpRequest) -> HttpResponse:
    """Official statements given to the press, newest first, and the spokespersons in office.
    No login; nothing but what was said publicly."""
    page = Paginator(public_statements(), 20).get_page(request.GET.get("page"))
    people = public_spokespersons(timezone.localdate(now()))
    return render(request, "statements/public.html", {"page": page, "people": people})
