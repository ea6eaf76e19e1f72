"""The citizens' pages (no login, phone first): what can be sent and what the law asks, the
filing form, rating a closed petition, asking what is held about oneself; and the
administrators' page of routing rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from citizens import selectors, services
from citizens.contacts import clean_email
from citizens.forms import CodePinForm, FeedbackForm, FilingForm, RoutingRuleForm
from citizens.models import DataRequest, RoutingRule
from citizens.photos import read_upload
from common.clock import today
from common.errors import Conflict, Forbidden, Invalid, NotFound
from common.throttle import TooMany, client_address
from matters.models import Category, Matter
from matters.selectors import matters_visible_to


def _categories() -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in Category.objects.filter(is_active=True)]


def _contact(value: str) -> dict[str, str]:
    value = (value or "").strip()
    return {"email": value} if clean_email(value) or "@" in value else {"phone": value}


FIELD_OF = {
    "contact": "code",
    "email": "contact",
    "phone": "contact",
    "contact.email": "contact",
    "contact.phone": "contact",
    "petitioner.full_name": "full_name",
    "petitioner.id_number": "id_number",
    "petitioner.address": "address",
    "petitioners": "full_name",
    "location": "lat",
    "file": "photos",
}


def _put_errors(form: Any, errors: dict[str, str]) -> None:
    for key, message in errors.items():
        field = FIELD_OF.get(key, key)
        form.add_error(field if field in form.fields else None, message)


def _too_many(
    request: HttpRequest, template: str, context: dict[str, Any], exc: TooMany
) -> HttpResponse:
    context["error"] = _(
        "Too many requests from your connection. Try again in %(minutes)s minutes."
    ) % {"minutes": exc.minutes}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _refused(
    request: HttpRequest, template: str, context: dict[str, Any], exc: Exception
) -> HttpResponse:
    """The page again, saying why a request by receipt code and PIN was refused: too many
    (429), no such petition (404), not now (409), or the fields at fault (422)."""
    if isinstance(exc, TooMany):
        return _too_many(request, template, context, exc)
    status = 422
    if isinstance(exc, NotFound):
        context["error"] = _(
            "No petition matches this receipt code and PIN. Check both and try again."
        )
        status = 404
    elif isinstance(exc, Conflict):
        context["error"] = exc.message
        status = 409
    elif isinstance(exc, Invalid):
        _put_errors(context["form"], exc.errors)
    return render(request, template, context, status=status)


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """What a citizen can send, what the law asks for each, and where to go."""
    return render(request, "citizens/home.html")


@never_cache
@require_http_methods(["GET", "POST"])
def file_petition(request: HttpRequest) -> HttpResponse:
    """The filing form. ``action=send_code`` sends the confirmation code to the contact;
    the form itself files the petition with its photos."""
    form = FilingForm(request.POST or None, request.FILES or None, categories=_categories())
    context: dict[str, Any] = {"form": form}
    template = "citizens/file.html"
    if request.method != "POST":
        return render(request, template, context)
    address = client_address(request)
    status = 422
    try:
        _honeypot(request, services.FILING_LIMIT, address)
        if request.POST.get("action") == "send_code":
            services.contact_code_send(**_contact(request.POST.get("contact", "")), address=address)
            context["code_sent"] = True
            form.errors.clear()
            return render(request, template, context)
        if not form.is_valid():
            services.count_request(services.FILING_LIMIT, address)
            return render(request, template, context, status=422)
        data = form.cleaned_data
        uploads = request.FILES.getlist("photos")
        cleaned = []
        for upload in uploads[: services.PHOTOS_MAX + 1]:
            try:
                cleaned.append(read_upload(upload))
            except Invalid as exc:
                raise Invalid(
                    {"photos": f"{upload.name}: {exc.errors.get('file', exc.message)}"}
                ) from None
        area = data["area"]
        if not area and data["area_name"]:
            found = selectors.communes_matching(data["area_name"], limit=2)
            if len(found) == 1:
                area = found[0]["code"]
        location = None
        if data["lat"] is not None or data["lon"] is not None:
            location = {"lat": data["lat"], "lon": data["lon"]}
        petition = services.public_petition_file(
            kind=data["kind"],
            area=area,
            category=data["category"],
            summary=data["summary"],
            content=data["content"],
            petitioner={
                "full_name": data["full_name"],
                "id_number": data["id_number"],
                "address": data["address"],
            },
            contact={**_contact(data["contact"]), "code": data["code"]},
            location=location,
            public=data["public"],
            address=address,
            photos=cleaned,
        )
    except TooMany as exc:
        return _too_many(request, template, context, exc)
    except Invalid as exc:
        if "area" in exc.errors:
            exc.errors["area_name"] = exc.errors.pop("area")
        _put_errors(form, exc.errors)
        return render(request, template, context, status=status)
    matter = petition.matter
    return render(
        request,
        "citizens/filed.html",
        {
            "code": matter.code,
            "pin": petition.receipt_pin,  # type: ignore[attr-defined]
            "owner": matter.owner.name,
            "due_on": matter.due_on,
            "photos": len(cleaned),
        },
        status=201,
    )


def _pin_form(
    request: HttpRequest,
    form: Any,
    template: str,
    limit: Any,
    act: Callable[[dict[str, Any], str], dict[str, Any]],
) -> HttpResponse:
    """A public form by receipt code and PIN. GET: the form. POST: the honeypot and the form
    checked (a refusal counts against the address), then ``act(cleaned data, address)``
    gives what the page shows (201); a refusal shows the page again saying why."""
    context: dict[str, Any] = {"form": form}
    if request.method != "POST":
        return render(request, template, context)
    address = client_address(request)
    try:
        if not _screened(request, form, limit, address):
            return render(request, template, context, status=422)
        context.update(act(form.cleaned_data, address))
    except (TooMany, NotFound, Conflict, Invalid) as exc:
        return _refused(request, template, context, exc)
    return render(request, template, context, status=201)


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    """Rate a closed petition; a proposal not resolved is reopened, a complaint is told how
    to go on."""

    def rate(data: dict[str, Any], address: str) -> dict[str, Any]:
        result = services.feedback_give(
            code=data["code"],
            pin=data["pin"],
            rating=data["rating"],
            comment=data["comment"],
            reopen=data["reopen"],
            address=address,
        )
        return {"result": result}

    form = FeedbackForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    return _pin_form(request, form, "citizens/feedback.html", services.FEEDBACK_LIMIT, rate)


@never_cache
@require_http_methods(["GET", "POST"])
def data_request(request: HttpRequest) -> HttpResponse:
    """Ask what personal data is held about you (with your receipt code and PIN)."""

    def ask(data: dict[str, Any], address: str) -> dict[str, Any]:
        made = services.data_request_make(code=data["code"], pin=data["pin"], address=address)
        return {"made": made, "held": selectors.data_held(made.petition)}

    form = CodePinForm(request.POST or None)
    return _pin_form(request, form, "citizens/data_request.html", services.DATA_LIMIT, ask)


def _honeypot(request: HttpRequest, limit: Any, address: str) -> None:
    """A filled hidden field is a robot: counted against the address, refused as invalid."""
    if request.POST.get("website"):
        services.count_request(limit, address)
        raise Invalid({"website": _("must be left empty")})


def _screened(request: HttpRequest, form: Any, limit: Any, address: str) -> bool:
    """The honeypot, then the form: a refused form counts against the address too."""
    _honeypot(request, limit, address)
    if form.is_valid():
        return True
    services.count_request(limit, address)
    return False


def _require_admin(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_superuser or getattr(user, "is_admin", False)):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def routing_rules(request: HttpRequest) -> HttpResponse:
    """The routing rules (administrators): where public filings of an area and a category go."""
    _require_admin(request)
    form = RoutingRuleForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_save(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Routing rule saved."))
            return redirect("citizens:routing")
        except Invalid as exc:
            _put_errors(form, exc.errors)
            status = 422
        except Forbidden:
            raise PermissionDenied from None
    elif request.method == "POST":
        status = 422
    rules = RoutingRule.objects.select_related("area", "category", "unit").order_by(
        "area_id", "category_id"
    )
    return render(request, "citizens/routing.html", {"form": form, "rules": rules}, status=status)


@login_required
@require_POST
def routing_rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    _require_admin(request)
    try:
        services.routing_rule_delete(actor=request.user, rule_id=rule_id)
    except NotFound:
        return HttpResponse(status=404)
    messages.success(request, _("Routing rule deleted."))
    return redirect("citizens:routing")


# --- personal data requests, answered by the officials of the owner unit ------------------------


@login_required
def data_requests(request: HttpRequest) -> HttpResponse:
    """The personal data requests of the official's unit: open ones first, with their legal
    clock (deadline, overdue), then those answered. Those who act on no matter (auditors)
    have nothing to answer here (403, as the menu does not show it to them)."""
    if not selectors.may_see_data_requests(request.user):
        raise PermissionDenied
    day = today()
    rows = [
        (item, selectors.data_request_state(item, day))
        for item in selectors.data_requests_for(request.user).order_by("status", "due_on", "id")
    ]
    open_rows = [row for row in rows if row[0].status == DataRequest.Status.OPEN]
    context = {
        "open_rows": open_rows,
        "answered_rows": [row for row in rows if row[0].status != DataRequest.Status.OPEN][:50],
        "overdue": sum(1 for _item, state in open_rows if state == "overdue"),
        "states": dict(Matter.State.choices),
    }
    return render(request, "citizens/data_requests.html", context)


def _data_request_page(
    request: HttpRequest, code: str, *, status: int = 200, error: str = ""
) -> HttpResponse:
    item = selectors.data_request_for_user(request.user, code)
    petition = item.petition
    context = {
        "item": item,
        "state": selectors.data_request_state(item, today()),
        "states": dict(Matter.State.choices),
        "kinds": selectors.data_held(petition),
        "values": selectors.data_held_values(petition),
        "petition": petition,
        "petition_link": matters_visible_to(request.user).filter(pk=petition.pk).exists(),
        "error": error,
    }
    return render(request, "citizens/data_request_detail.html", context, status=status)


@login_required
def data_request_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One request: what is held about the citizen (a sealed identity named as sealed
    only), its clock, and the form that records the answer."""
    return _data_request_page(request, code)


@login_required
@require_POST
def data_request_answer(request: HttpRequest, code: str) -> HttpResponse:
    try:
        services.data_request_answer(actor=request.user, request_code=code)
    except NotFound:
        raise Http404 from None
    except Conflict as exc:
        return _data_request_page(request, code, status=409, error=exc.message)
    messages.success(request, _("The request is recorded as answered."))
    return redirect("citizens:data_request_detail", code=code)
