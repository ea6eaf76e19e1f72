"""Pages of project reviews and consultations (Vietnamese UI, htmx for the list filters)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.clock import today
from common.pages import submit
from matters.selectors import handoffs_by_matter, user_can_act
from notifications.services import matter_seen
from reviews import rules, selectors, services
from reviews.forms import (
    AnswerForm,
    ConsultationForm,
    CorrectionsForm,
    CorrectionsReceivedForm,
    DecisionForm,
    ReportForm,
    ReviewFilterForm,
    ReviewForm,
    ValidForm,
)
from reviews.models import Review
from reviews.schemas import consultation_dict, review_dict
from units.selectors import default_parent_code, get_unit_for_user


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    form = ReviewFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sensitive = {"1": True, "0": False}.get(filters.get("sensitive") or "")
    day = today()
    qs = selectors.review_list_for_user(
        request.user,
        today=day,
        state=filters.get("state") or None,
        sensitive=sensitive,
        query=filters.get("q") or None,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    handoffs = handoffs_by_matter([r.matter_id for r in page.object_list])
    rows = [
        review_dict(r, day, detail=False, handoffs=handoffs[r.matter_id]) for r in page.object_list
    ]
    can_register = _can_register(request.user)
    template = "reviews/_rows.html" if request.htmx else "reviews/list.html"  # type: ignore[attr-defined]
    return render(
        request, template, {"form": form, "page": page, "rows": rows, "can_register": can_register}
    )


def _can_register(user: Any) -> bool:
    """Officials of a registration agency (a department) register project dossiers."""
    return bool(user.unit_id and user.can_act and user.unit.kind == "department")


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and not _can_register(request.user):
        raise PermissionDenied(_("Only officials of a registration agency register dossiers."))
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        done = submit(form, lambda: _registered(request, form))
        if done is not None:
            return done
    status = 422 if request.method == "POST" else 200
    return render(request, "reviews/new.html", {"form": form}, status=status)


def _registered(request: HttpRequest, form: ReviewForm) -> HttpResponse:
    review = services.review_register(actor=request.user, **form.service_kwargs())  # type: ignore[arg-type]
    messages.success(request, _("Dossier %(code)s registered.") % {"code": review.matter.code})
    return redirect("reviews:detail", code=review.matter.code)


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "corrections": CorrectionsForm,
    "corrections_received": CorrectionsReceivedForm,
    "valid": ValidForm,
    "consult": ConsultationForm,
    "report": ReportForm,
    "decision": DecisionForm,
}

ACTION_SERVICES: dict[str, Callable[..., Any]] = {
    "corrections": services.review_request_corrections,
    "corrections_received": services.review_corrections_received,
    "valid": services.review_mark_valid,
    "consult": services.consultation_send,
    "report": services.review_report,
    "decision": services.review_decide,
}


def _detail(
    request: HttpRequest,
    review: Review,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    day = today()
    data = review_dict(review, day)
    action_forms = {
        name: cls(
            initial={k: day for k, f in cls.base_fields.items() if isinstance(f, forms.DateField)}
        )
        for name, cls in ACTION_FORMS.items()
    }
    action_forms.update(bound or {})
    context = {
        "review": review,
        "r": data,
        "today": day,
        "can_act": user_can_act(request.user, review.matter),
        "forms": action_forms,
        "open": review.matter.is_open,
        "has_report": rules.has_report(review.procedure),
    }
    return render(request, "reviews/detail.html", context, status=status)


@login_required
def review_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The review, its clocks and consultations, and the forms of the next steps."""
    review = selectors.get_review_for_user(request.user, code)
    matter_seen(user=request.user, matter=review.matter)
    return _detail(request, review)


@login_required
@require_POST
def review_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in ACTION_FORMS:
        raise Http404
    review = selectors.get_review_for_user(request.user, code)
    form = ACTION_FORMS[action](request.POST)

    def act() -> HttpResponse:
        ACTION_SERVICES[action](actor=request.user, review=review, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("reviews:detail", code=code)

    done = submit(form, act)
    if done is not None:
        return done
    # A refused service may have changed the review in memory: show it as stored.
    return _detail(request, selectors.get_review_for_user(request.user, code), {action: form}, 422)


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    day = today()
    status = request.GET.get("status") or None
    qs = selectors.consultation_list_for_user(request.user, today=day, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [consultation_dict(c, day, summary=False) for c in page.object_list]
    return render(
        request, "reviews/consultations.html", {"page": page, "rows": rows, "status": status or ""}
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, code: str) -> HttpResponse:
    consultation = selectors.get_consultation_for_user(request.user, code)
    if request.method == "GET":
        matter_seen(user=request.user, matter=consultation.matter)
    form = AnswerForm(request.POST or None, initial={"answered_on": today()})

    def act() -> HttpResponse:
        kwargs = form.service_kwargs()
        services.consultation_answer(actor=request.user, consultation=consultation, **kwargs)  # type: ignore[arg-type]
        messages.success(request, _("Answer recorded."))
        return redirect("reviews:consultation", code=code)

    done = submit(form, act) if request.method == "POST" else None
    if done is not None:
        return done
    status = 422 if request.method == "POST" else 200
    context = {
        "c": consultation_dict(consultation, today()),
        "form": form,
        "can_answer": user_can_act(request.user, consultation.matter)
        and consultation.answered_on is None,
    }
    return render(request, "reviews/consultation.html", context, status=status)


@login_required
def scorecard(request: HttpRequest) -> HttpResponse:
    user = request.user
    code = request.GET.get("parent") or default_parent_code(user)
    if not code:
        raise Http404
    parent = get_unit_for_user(user, code)
    rows = selectors.consultation_scorecard(user, parent, today())
    rows.sort(
        key=lambda r: (-r["deemed_consents"] - r["answered_late"], -r["reviews_overdue"], r["unit"])
    )
    return render(request, "reviews/scorecard.html", {"parent": parent, "rows": rows})


@login_required
def review_map(request: HttpRequest) -> HttpResponse:
    data = selectors.map_points(request.user, today())
    return render(request, "reviews/map.html", {"data": data, "missing": data["missing"]})
