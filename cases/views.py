"""Pages: the list of cases, a case with its timeline, opening a case. Thin views."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import services
from cases.forms import ActionForm, CaseForm, SettleForm
from cases.models import Case, Risk
from cases.selectors import (
    cases_visible_to,
    get_case_for_user,
    involved_unit_ids,
    require_can_open_for,
    require_involved,
)
from common.clock import today
from common.errors import Forbidden
from common.forms import answer_step, form_taken
from matters.models import Category, Matter, Participant
from matters.selectors import matter_state, matters_visible_to, state_q, user_can_act
from notifications.services import matter_seen
from plans.views import domain_errors
from units.selectors import units_visible_to


def _lead_choices(user: Any) -> list[tuple[str, str]]:
    if not user.unit_id:
        return []
    units = (
        units_visible_to(user).filter(is_active=True).order_by("path")
        if user.has_oversight
        else [user.unit]
    )
    return [(u.code, f"{u.name} ({u.code})") for u in units]


def _province(user: Any) -> str:
    area = user.unit.area if user.unit_id and user.unit.area_id else None
    return area.province_code if area else "33"


@login_required
@domain_errors
def case_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    day = today()
    qs = cases_visible_to(user).select_related(
        "matter", "matter__owner", "matter__area", "matter__category"
    )
    state, risk, category = (request.GET.get(k) or "" for k in ("state", "risk", "category"))
    if state in Matter.State.values:
        qs = qs.filter(matter__in=Matter.objects.filter(state_q(state, day)).values("pk"))
    if risk in Risk.values:
        qs = qs.filter(risk=risk)
    if category:
        qs = qs.filter(matter__category_id=category)
    page = Paginator(qs.order_by("matter__due_on", "matter__code"), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rows": [(c, matter_state(c.matter, day)) for c in page.object_list],
        "state": state,
        "risk": risk,
        "category": category,
        "states": Matter.State.choices,
        "risks": Risk.choices,
        "categories": Category.objects.filter(is_active=True),
        "can_open": bool(user.can_act and user.unit_id),
    }
    return render(request, "cases/list.html", context)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (user.can_act and user.unit_id):
        raise Forbidden(_("your roles do not allow opening cases"))
    leads = _lead_choices(user)
    form = CaseForm(
        request.POST or None,
        province=_province(user),
        leads=leads,
        initial={"opened_on": today(), "lead": user.unit.code},
    )
    if request.method == "POST":
        case = form_taken(
            request,
            form,
            lambda: _open_case(user, dict(form.cleaned_data)),
            lambda case: _("Case %(code)s opened.") % {"code": case.matter.code},
        )
        if case is not None:
            return redirect("cases:detail", code=case.matter.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "cases/new.html", {"form": form}, status=status)


def _open_case(user: Any, data: dict[str, Any]) -> Case:
    lead = services.resolve_lead(data.pop("lead"))
    require_can_open_for(user, lead)
    return services.case_open(actor=user, lead=lead, **data)


def petition_url(code: str) -> str | None:
    """The page of a linked petition when the petitions app serves one."""
    if not apps.is_installed("petitions"):
        return None
    try:
        return reverse("petitions:detail", args=[code])
    except NoReverseMatch:
        return None


def _context(
    user: Any,
    case: Case,
    action_form: ActionForm | None = None,
    settle_form: SettleForm | None = None,
) -> dict[str, Any]:
    day = today()
    matter = case.matter
    involved = user.can_act and user.unit_id in involved_unit_ids(case) and matter.is_open
    can_settle = user_can_act(user, matter) and matter.is_open
    links = list(
        case.petition_links.select_related("petition", "petition__owner").order_by("petition__code")
    )
    # A linked petition of another unit is named, but linked only for those who may open it.
    visible = set(
        matters_visible_to(user)
        .filter(id__in=[link.petition_id for link in links])
        .values_list("id", flat=True)
    )
    return {
        "case": case,
        "matter": matter,
        "state": matter_state(matter, day),
        "coordinating": Participant.objects.filter(
            matter=matter, role=Participant.Role.COORDINATING
        )
        .select_related("unit")
        .order_by("unit__code"),
        "petitions": [
            (
                link.petition,
                petition_url(link.petition.code) if link.petition_id in visible else None,
            )
            for link in links
        ],
        "actions": case.actions.select_related("unit").order_by("on", "id"),
        "action_form": action_form or (ActionForm(initial={"on": day}) if involved else None),
        "settle_form": settle_form
        or (SettleForm(initial={"settled_on": day}) if can_settle else None),
    }


@login_required
@domain_errors
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    case = get_case_for_user(request.user, code)
    matter_seen(user=request.user, matter=case.matter)
    return render(request, "cases/detail.html", _context(request.user, case))


@login_required
@domain_errors
@require_POST
def case_action(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user
    case = get_case_for_user(user, code)
    require_involved(user, case)
    form = ActionForm(request.POST)
    return answer_step(
        request,
        form,
        lambda: services.case_add_action(actor=user, case=case, **form.cleaned_data),
        _("Action recorded."),
        ("cases/detail.html", "cases/_timeline.html", reverse("cases:detail", args=[code])),
        lambda shown: _context(user, get_case_for_user(user, code), action_form=shown),
    )


@login_required
@domain_errors
@require_POST
def case_settle(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user
    case = get_case_for_user(user, code)
    if not user_can_act(user, case.matter):
        raise Forbidden(_("only the lead unit settles a case"))
    form = SettleForm(request.POST)
    return answer_step(
        request,
        form,
        lambda: services.case_settle(actor=user, case=case, **form.cleaned_data),
        _("Case settled."),
        ("cases/detail.html", None, reverse("cases:detail", args=[code])),
        lambda shown: _context(user, case, settle_form=shown),
    )
