"""The petition pages: inbox, intake, the petition with its trail, clock and actions (htmx),
the intake decision step, citizen reception, and the rule settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from calendars.selectors import get_calendar
from common.clock import today
from common.errors import DomainError, Forbidden, Invalid, NotFound
from common.pagination import CountedPaginator
from matters.models import DeadlineRule, Matter
from matters.rules import rule_in_force
from matters.selectors import (
    OPEN_STATES,
    matter_state,
    most_urgent_first,
    state_counts,
    state_q,
    user_can_act,
)
from notifications.selectors import with_news
from notifications.services import matter_seen
from petitions import decision, services
from petitions.forms import (
    ACTION_FORMS,
    ACTION_LABELS,
    ACTIONS_BY_STATUS,
    ConfirmForm,
    InboxFilterForm,
    IntakeForm,
    PetitionerFormSet,
    RuleForm,
    SessionForm,
    TransferForm,
    VisitForm,
)
from petitions.models import Extension, Petition, Suspension
from petitions.rules import PREFIX, key, related_refs
from petitions.schemas import deadline_dict
from petitions.selectors import (
    get_document_for_user,
    get_petition_for_user,
    get_petition_to_act,
    get_session_for_user,
    petition_list_for_user,
    reception_compliance,
    sessions_for_user,
    visits_for_user,
)
from petitions.services.documents import document_attach
from petitions.services.reception import reception_session_create, visit_record
from petitions.services.settings import rule_confirm, rule_setting_change
from units.models import Unit

# What the services' error keys are called on the forms (never show the key itself).
FIELD_LABELS = {
    "petitioners": gettext_lazy("Petitioners"),
    "owner": gettext_lazy("Owner unit"),
    "rule": gettext_lazy("Deadline rule"),
    "version": gettext_lazy("This petition"),
    "petition": gettext_lazy("Petition"),
    "Idempotency-Key": gettext_lazy("This request"),
}
PERSON_FIELDS = {
    "full_name": gettext_lazy("full name"),
    "id_number": gettext_lazy("ID number"),
    "address": gettext_lazy("address"),
    "phone": gettext_lazy("phone"),
}


def field_label(field: str) -> str:
    """The name people know a service's error key by: "petitioners.1.phone" is the phone of
    the second petitioner."""
    parts = field.split(".")
    if parts[0] == "petitioners" and len(parts) == 3 and parts[1].isdigit():
        return _("Petitioner %(n)s, %(field)s") % {
            "n": int(parts[1]) + 1,
            "field": PERSON_FIELDS.get(parts[2], parts[2]),
        }
    return str(FIELD_LABELS.get(parts[0], ""))


def _put_errors(form: Form, exc: DomainError, prefix: str = "") -> None:
    """Show a service's refusal on the form: each field's message on that field, the rest
    (named as people know them) above the form."""
    for field, message in getattr(exc, "errors", {"__all__": exc.message}).items():
        name = field.removeprefix(prefix)
        if name in form.fields:
            form.add_error(name, message)
        else:
            label = field_label(field) if field != "__all__" else ""
            form.add_error(None, f"{label}: {message}" if label else message)


def _province(user: Any) -> str | None:
    unit = getattr(user, "unit", None)
    return unit.area.province_code if unit and unit.area_id else None


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    mine = filters.get("scope", "unit") != "all" and user.unit_id is not None  # type: ignore[union-attr]
    day = today()
    chosen = {
        "owner": user.unit.code if mine else None,  # type: ignore[union-attr]
        "kind": filters.get("kind") or None,
        "status": filters.get("status") or None,
        "query": filters.get("q") or None,
    }
    qs = petition_list_for_user(user, today=day, **chosen)
    # The tabs count the same rows as the list, written for counting (``for_count``).
    counts = state_counts(petition_list_for_user(user, today=day, for_count=True, **chosen), day)
    state = filters.get("state") or None
    if state:
        qs = qs.filter(state_q(state, day))
    # Open petitions first, the most urgent on top; then the closed ones, latest first. The
    # page's count is its tab's.
    open_only = state in OPEN_STATES
    qs = with_news(most_urgent_first(qs, open_only=open_only), user)
    page = CountedPaginator(
        qs.select_related("owner", "area", "category"),
        50,
        count=counts.get(state, 0) if state else sum(counts.values()),
    ).get_page(request.GET.get("page"))
    rows = [(m, matter_state(m, day)) for m in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "state": state or "",
        "total": sum(counts.values()),
        "tabs": [(s, label, counts.get(s, 0)) for s, label in Matter.State.choices],
    }
    template = "petitions/_rows.html" if request.htmx else "petitions/inbox.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    user = request.user
    province = _province(user)
    initial: dict[str, Any] = {"received_on": today()}
    # A commune's officials mostly receive petitions about their own commune.
    own = user.unit.area if getattr(user, "unit", None) and user.unit.area_id else None  # type: ignore[union-attr]
    if own is not None and own.kind == "commune":
        initial["area"] = own.code
    form = IntakeForm(request.POST or None, province=province, initial=initial)
    people = PetitionerFormSet(request.POST or None, prefix="p")
    if request.method == "POST" and form.is_valid() and people.is_valid():
        data = form.cleaned_data
        petitioners = [p for p in (f.cleaned_data for f in people.forms) if p and any(p.values())]
        try:
            petition = services.petition_receive(
                actor=user,
                kind=data["kind"],
                channel=data["channel"],
                received_on=data["received_on"],
                # An old address alone is converted; with an area chosen (a split
                # commune's successor) it is kept as the area before.
                area=data["area"] or data["area_old"],
                area_before=data["area_old"] if data["area"] else None,
                category=data["category"],
                summary=data["summary"],
                content=data["content"],
                petitioners=petitioners,
                signers=data["signers"],
                representative=data["representative"],
                first_instance=data["first_instance"] or None,
                disciplinary=data["disciplinary"],
                confirm_date=data["confirm_date"],
            )
        except DomainError as exc:
            _put_people_errors(people, exc)
            _old_area_errors(exc, chosen=bool(data["area"]))
            _put_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Petition %(code)s registered. Give the citizen the receipt code %(code)s and "
                    "PIN %(pin)s: the PIN is shown only now."
                )
                % {"code": petition.matter.code, "pin": getattr(petition, "receipt_pin", "")},
            )  # type: ignore[attr-defined]
            return redirect("petitions:detail", code=petition.matter.code)
    return render(request, "petitions/intake.html", {"form": form, "people": people})


def _old_area_errors(exc: DomainError, *, chosen: bool) -> None:
    """What was wrong with the old address is said beside it."""
    errors = getattr(exc, "errors", {})
    if "area_before" in errors:
        errors["area_old"] = errors.pop("area_before")
    if not chosen and "area" in errors:
        errors["area_old"] = errors.pop("area")


def _put_people_errors(people: Any, exc: DomainError) -> None:
    for field, message in list(getattr(exc, "errors", {}).items()):
        parts = field.split(".")
        if parts[0] == "petitioners" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            filled = [f for f in people.forms if f.cleaned_data and any(f.cleaned_data.values())]
            if index < len(filled) and parts[2] in filled[index].fields:
                filled[index].add_error(parts[2], message)
                exc.errors.pop(field)  # type: ignore[attr-defined]


def _detail_context(
    request: HttpRequest, petition: Petition, forms: dict[str, Form] | None = None
) -> dict[str, Any]:
    user = request.user
    matter = petition.matter
    day = today()
    can_act = user_can_act(user, matter)
    actions = ACTIONS_BY_STATUS.get(matter.status, []) if can_act else []
    units = [
        (u.code, f"{u.name} ({u.code})")
        for u in Unit.objects.filter(is_active=True).exclude(pk=matter.owner_id).order_by("code")
    ]
    forms = dict(forms or {})
    for action in actions:
        if action not in forms:
            cls = ACTION_FORMS[action]
            kwargs: dict[str, Any] = {"units": units} if action == "transfer" else {}
            initial = {
                "accepted_on": day,
                "on": day,
                "resolved_on": day,
                "complexity": petition.complexity,
            }
            forms[action] = cls(initial=initial, prefix=action, **kwargs)
    related = []
    for ref, variant in related_refs(
        kind=petition.kind,
        channel=petition.channel,
        status=matter.status,
        instance=petition.instance,
    ):
        start = (
            {"resolved": petition.resolved_on, "discontinued": matter.closed_on}.get(matter.status)
            or matter.clock_start
            or petition.received_on
        )
        try:
            rule = rule_in_force(key(ref), start, variant)
        except DomainError:
            continue
        related.append((rule, get_calendar().deadline(start, rule.length, rule.unit).due_on))
    answers = decision.answers_from(decision.DEFAULTS, petition.kind)
    return {
        "petition": petition,
        "matter": matter,
        "state": matter_state(matter, day),
        "handoffs": list(matter.handoffs.select_related("from_unit", "to_unit", "by")),
        "deadline": deadline_dict(petition),
        "extensions": Extension.objects.filter(petition=petition),
        "suspensions": Suspension.objects.filter(petition=petition),
        "petitioners": [] if petition.sealed else list(petition.petitioners.all()),
        "documents": list(petition.documents.all()),
        "related": related,
        "can_act": can_act,
        "actions": [(a, ACTION_LABELS[a], forms[a]) for a in actions],
        "questions": [
            (q, decision.QUESTIONS[q], answers[q])
            for q in decision.QUESTIONS_BY_KIND[petition.kind]
        ],
        "advice": decision.advise(petition.kind, answers) if matter.status == "received" else None,
        "branches": decision.branches_for(petition.kind),
        "second_instances": list(petition.second_instances.select_related("matter")),
    }


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    petition = get_petition_for_user(request.user, code)
    matter_seen(user=request.user, matter=petition.matter)
    return render(request, "petitions/detail.html", _detail_context(request, petition))


@login_required
@require_POST
def advice(request: HttpRequest, code: str) -> HttpResponse:
    petition = get_petition_for_user(request.user, code)
    answers = decision.answers_from(request.POST, petition.kind)
    context = {
        "petition": petition,
        "advice": decision.advise(petition.kind, answers),
        "branches": decision.branches_for(petition.kind),
    }
    return render(request, "petitions/_advice.html", context)


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in ACTION_FORMS:
        raise Http404
    user = request.user
    try:
        petition = get_petition_to_act(user, code)
    except Forbidden as exc:
        return HttpResponse(exc.message, status=403)
    units = [(u.code, u.code) for u in Unit.objects.filter(is_active=True)]
    form = (
        TransferForm(request.POST, prefix=action, units=units)
        if action == "transfer"
        else ACTION_FORMS[action](request.POST, prefix=action)
    )
    if form.is_valid():
        run = getattr(services, f"petition_{action}")
        version = request.POST.get("version")
        try:
            run(
                actor=user,
                petition=petition,
                version=int(version) if version and version.isdigit() else None,
                **form.cleaned_data,
            )
        except Forbidden as exc:
            return HttpResponse(exc.message, status=403)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, _("%(action)s: done.") % {"action": ACTION_LABELS[action]})
            url = reverse("petitions:detail", args=[code])
            try:
                get_petition_for_user(user, code)
            except NotFound:
                url = reverse("petitions:inbox")
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    context = _detail_context(request, petition, {action: form})
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "petitions/_action.html",
            {
                "action": action,
                "label": ACTION_LABELS[action],
                "form": form,
                "matter": petition.matter,
            },
        )
    return render(request, "petitions/detail.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def reception(request: HttpRequest) -> HttpResponse:
    user = request.user
    day = today()
    try:
        year, month = (int(x) for x in (request.GET.get("month") or f"{day:%Y-%m}").split("-"))
        date(year, month, 1)
    except ValueError:
        year, month = day.year, day.month
    form = SessionForm(
        request.POST or None, initial={"held_on": day, "place": _("Reception office")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = reception_session_create(actor=user, **form.cleaned_data)
        except Forbidden as exc:
            return HttpResponse(exc.message, status=403)
        except DomainError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, _("Reception session recorded."))
            return redirect("petitions:session", session_id=session.pk)
    context = {
        "form": form,
        "sessions": sessions_for_user(user).annotate(n_visits=Count("visits"))[:50],
        "compliance": reception_compliance(user, year, month, day),
        "month": f"{year}-{month:02d}",
        "month_label": f"{month:02d}/{year}",
        "visits": visits_for_user(user)[:30],
        "can_record": bool(user.unit_id and user.can_act),  # type: ignore[union-attr]
    }
    return render(request, "petitions/reception.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    user = request.user
    session = get_session_for_user(user, session_id)
    form = VisitForm(
        request.POST or None,
        province=_province(user),
        initial={"visited_on": session.held_on if session.held_on <= today() else today()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("petition_kind")
        petition = {
            "kind": kind,
            "area": data.pop("petition_area"),
            "category": data.pop("petition_category"),
            "summary": data.pop("petition_summary"),
        }
        try:
            visit = visit_record(
                actor=user, session=session, petition=petition if kind else None, **data
            )
        except Forbidden as exc:
            return HttpResponse(exc.message, status=403)
        except DomainError as exc:
            _put_errors(form, exc, prefix="petition.")
            for field in ("area", "category", "summary"):
                if f"petition.{field}" in getattr(exc, "errors", {}):
                    form.add_error(f"petition_{field}", exc.errors[f"petition.{field}"])  # type: ignore[attr-defined]
        else:
            if visit.petition is not None:
                messages.success(
                    request,
                    _(
                        "Visit no. %(n)s recorded; petition %(code)s registered with PIN %(pin)s "
                        "(shown only now)."
                    )
                    % {
                        "n": visit.number,
                        "code": visit.petition.matter.code,
                        "pin": getattr(visit, "receipt_pin", ""),
                    },
                )
            else:
                messages.success(request, _("Visit no. %(n)s recorded.") % {"n": visit.number})
            return redirect("petitions:session", session_id=session.pk)
    context = {
        "session": session,
        "visits": session.visits.select_related("petition__matter").order_by("number"),
        "form": form,
        "can_record": bool(user.unit_id == session.unit_id and user.can_act),  # type: ignore[union-attr]
    }
    return render(request, "petitions/session.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_admin = bool(user.is_superuser or user.is_admin)  # type: ignore[union-attr]
    day = today()
    errors: dict[int, Any] = {}
    confirm_errors: dict[int, Any] = {}
    if request.method == "POST":
        if not is_admin:
            return HttpResponse(_("Only administrators change deadline rules."), status=403)
        rule = DeadlineRule.objects.filter(
            pk=request.POST.get("rule") or 0, key__startswith=PREFIX
        ).first()
        if rule is None:
            raise Http404
        form: RuleForm | ConfirmForm
        run: Callable[..., DeadlineRule]
        bound: dict[int, Any]
        if request.POST.get("action") == "confirm":
            form, run, bound = ConfirmForm(request.POST), rule_confirm, confirm_errors
            done = _("The source of %(ref)s is confirmed.")
        else:
            form, run, bound = RuleForm(request.POST), rule_setting_change, errors
            done = _("Rule %(ref)s changed from today.")
        if form.is_valid():
            try:
                run(actor=user, rule=rule, **form.cleaned_data)
            except Forbidden as exc:
                return HttpResponse(exc.message, status=403)
            except DomainError as exc:
                _put_errors(form, exc)
            else:
                messages.success(request, done % {"ref": rule.ref})
                return redirect("petitions:rules")
        bound[rule.pk] = form
    rows = []
    for rule in (
        DeadlineRule.objects.filter(key__startswith=PREFIX)
        .select_related("confirmed_by")
        .order_by("ref", "variant", "effective_from")
    ):
        in_force = rule.effective_from <= day and (
            rule.effective_to is None or rule.effective_to > day
        )
        rule_form = errors.get(rule.pk) or (
            RuleForm(initial={"length": rule.length, "unit": rule.unit, "note": rule.note})
            if rule.configurable and in_force
            else None
        )
        confirm_form = confirm_errors.get(rule.pk) or (
            ConfirmForm() if is_admin and rule.unconfirmed else None
        )
        rows.append((rule, in_force, rule_form, confirm_form))
    rows.sort(
        key=lambda r: (
            r[0].ref[0],
            int(r[0].ref[1:]) if r[0].ref[1:].isdigit() else 0,
            r[0].variant,
            r[0].effective_from,
        )
    )
    unconfirmed = sum(1 for r in rows if r[0].unconfirmed and r[1]) if is_admin else 0
    context = {"rows": rows, "is_admin": is_admin, "unconfirmed": unconfirmed}
    status = 422 if errors or confirm_errors else 200
    return render(request, "petitions/rules.html", context, status=status)


@login_required
@require_POST
def document_upload(request: HttpRequest, code: str) -> HttpResponse:
    try:
        petition = get_petition_to_act(request.user, code)
    except Forbidden as exc:
        return HttpResponse(exc.message, status=403)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise Invalid({"file": _("choose a file")})
        if upload.size and upload.size > settings.UPLOAD_MAX_BYTES:
            raise Invalid(
                {
                    "file": _("the file is larger than %(mb)s MB")
                    % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
                }
            )
        document_attach(
            actor=request.user, petition=petition, name=upload.name or "", data=upload.read()
        )
    except DomainError as exc:
        messages.error(request, "; ".join(getattr(exc, "errors", {"": exc.message}).values()))
    else:
        messages.success(request, _("Document attached."))
    return redirect("petitions:detail", code=code)


@login_required
def document(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    found = get_document_for_user(request.user, code, document_id)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
