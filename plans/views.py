"""Pages: directives and the plan tree, a plan with its roll-up, tasks with their progress,
briefing form, bulk progress upload. Thin: parse, access selector, service, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.clock import today
from common.errors import Forbidden, Invalid, NotFound
from common.forms import answer_step, errors_to_form, form_taken
from matters.models import Matter
from matters.selectors import matter_state, state_q, user_can_act
from notifications.services import matter_seen
from plans import services, spreadsheet
from plans.api import file_response
from plans.files import check_upload
from plans.forms import (
    BriefingForm,
    CompleteForm,
    DirectiveForm,
    PlanForm,
    ProgressForm,
    TaskForm,
    UploadForm,
)
from plans.models import Briefing, Directive, Plan, PlanTarget, ProgressReport, Task
from plans.selectors import (
    can_manage_plan,
    directives_visible_to,
    get_briefing_for_user,
    get_directive_for_user,
    get_plan_for_user,
    get_task_for_user,
    plan_rollup,
    plan_subtree,
    plans_visible_to,
    reporting_rates,
    reporting_units,
    require_can_register_directive,
    require_can_report,
    require_official_of,
    tasks_visible_to,
)
from plans.serializers import participants_by_matter


def domain_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Out of scope is 404; visible but not allowed is a 403 page that says why."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404
        except Forbidden as exc:
            return render(request, "plans/forbidden.html", {"message": exc.message}, status=403)

    return wrapper


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    day = today()
    directive_form = DirectiveForm(prefix="d")
    plan_form = PlanForm(prefix="p", unit=user.unit) if user.unit_id and user.can_act else None
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "directive":
            require_can_register_directive(user)
            directive_form = DirectiveForm(request.POST, request.FILES, prefix="d")
            if form_taken(
                request,
                directive_form,
                lambda: _register_directive(user, dict(directive_form.cleaned_data)),
                lambda d: _("Directive %(number)s registered.") % {"number": d.number},
            ):
                return redirect("plans:list")
        elif which == "plan" and plan_form is not None:
            plan_form = PlanForm(request.POST, prefix="p", unit=user.unit)
            plan = form_taken(
                request,
                plan_form,
                lambda: services.plan_create(actor=user, unit=user.unit, **plan_form.cleaned_data),
                plan_issued,
            )
            if plan is not None:
                return redirect("plans:detail", plan_id=plan.id)
    roots = list(
        plans_visible_to(user)
        .filter(parent__isnull=True)
        .select_related("unit", "directive")
        .order_by("-issued_on", "id")
    )
    trees = []
    for root in roots:
        rolled, plans = plan_rollup(root, day)
        visible = set(
            plans_visible_to(user).filter(path__startswith=root.path).values_list("id", flat=True)
        )
        trees.append([(p, rolled[p.id]) for p in plans if p.id in visible])
    context = {
        "directives": directives_visible_to(user).order_by("-issued_on")[:50],
        "trees": trees,
        "directive_form": directive_form,
        "plan_form": plan_form,
        "can_register": user.is_admin or user.can_act,
        "today": day,
    }
    return render(request, "plans/list.html", context)


@login_required
@domain_errors
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    user: Any = request.user
    day = today()
    plan = get_plan_for_user(user, plan_id)
    rolled, plans = plan_rollup(plan, day)
    status = rolled[plan.id]
    visible = set(
        plans_visible_to(user).filter(path__startswith=plan.path).values_list("id", flat=True)
    )
    tasks = list(
        tasks_visible_to(user)
        .filter(plan=plan)
        .select_related("matter", "matter__owner")
        .order_by("matter__due_on", "matter__code")
    )
    coop = participants_by_matter([t.matter_id for t in tasks], "cooperating")
    briefings = list(
        Briefing.objects.filter(plan=plan).select_related("unit").order_by("held_on", "unit__code")
    )
    held_units = {b.unit_id for b in briefings}
    targets = list(
        PlanTarget.objects.filter(plan=plan)
        .select_related("unit", "unit__area")
        .order_by("unit__code")
    )
    missing = [t.unit for t in targets if t.unit_id not in held_units]
    points = _map_points(plan, targets, {b.unit_id: b for b in briefings}, day)
    own_target = user.unit_id in {t.unit_id for t in targets} and user.can_act
    context = {
        "plan": plan,
        "status": status,
        "status_dict": status.as_dict(day),
        "tree": [
            (p, rolled[p.id], p.depth - plan.depth)
            for p in plans
            if p.id in visible and p.id != plan.id
        ],
        "tasks": [(t, matter_state(t.matter, day), coop[t.matter_id]) for t in tasks],
        "briefings": briefings,
        "missing": missing,
        "missing_overdue": plan.briefing_due < day,
        "points": points,
        "points_missing": len(targets) - len(points),
        "rates": _recent_rates(plan, day),
        "can_manage": can_manage_plan(user, plan),
        "task_form": TaskForm(
            prefix="t",
            province=plan.unit.area.province_code if plan.unit.area else "33",
            initial={"opened_on": day},
        )
        if can_manage_plan(user, plan)
        else None,
        "can_brief": own_target and user.unit_id not in held_units,
        "can_child": own_target,
        "child_form": PlanForm(prefix="p", unit=user.unit, initial={"directive": plan.directive_id})
        if own_target
        else None,
        "today": day,
        # The breadcrumb links the parent plan only for those who may open it.
        "parent_visible": plan.parent_id is not None
        and plans_visible_to(user).filter(id=plan.parent_id).exists(),
    }
    return render(request, "plans/detail.html", context)


def _recent_rates(plan: Plan, day: Any) -> list[dict[str, Any]]:
    """Reporting rates of the periods that ended in the last hundred days, latest first."""
    rows = reporting_rates(Task.objects.filter(plan__in=plan_subtree(plan)), day)
    recent = [r for r in rows if (day - r["end"]).days <= 100]
    return sorted(recent, key=lambda r: (r["end"], r["name"]), reverse=True)


def _map_points(
    plan: Plan, targets: list[PlanTarget], held: dict[int, Briefing], day: Any
) -> list[dict[str, Any]]:
    points = []
    for target in targets:
        area = target.unit.area
        if area is None or area.latitude is None or area.kind != "commune":
            continue
        briefing = held.get(target.unit_id)
        if briefing is None:
            state = "missing_overdue" if plan.briefing_due < day else "missing"
        else:
            state = "late" if briefing.held_on > plan.briefing_due else "held"
        points.append(
            {
                "code": target.unit.code,
                "name": target.unit.name,
                "lat": area.latitude,
                "lon": area.longitude,
                "state": state,
            }
        )
    return points


def plan_issued(plan: Plan) -> str:
    return _("Plan %(number)s issued.") % {"number": plan.number}


def _create_task(user: Any, plan: Plan, data: dict[str, Any]) -> Task:
    return services.task_create(
        actor=user, plan=plan, **{**data, "category": data["category"].code}
    )


def _register_directive(user: Any, data: dict[str, Any]) -> Directive:
    upload = data.pop("file")
    checked = check_upload(upload, "file") if upload else None
    return services.directive_create(actor=user, file=checked, **data)


def _record_briefing(user: Any, plan: Plan, data: dict[str, Any]) -> Briefing:
    upload = data.pop("minutes_file")
    unit = services.briefing_unit(plan, data.pop("unit"))
    require_official_of(user, unit, _("record its briefing"))
    checked = check_upload(upload, "minutes_file") if upload else None
    return services.briefing_record(actor=user, plan=plan, unit=unit, minutes_file=checked, **data)


def _report_progress(user: Any, task: Task, data: dict[str, Any]) -> ProgressReport:
    return services.task_report_progress(
        actor=user,
        task=task,
        progress=data["progress"],
        reported_on=data["reported_on"],
        note=data["note"],
        period=data["period"] or None,
    )


@login_required
@domain_errors
@require_POST
def task_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user: Any = request.user
    plan = get_plan_for_user(user, plan_id)
    require_official_of(user, plan.unit, _("create tasks of this plan"))
    form = TaskForm(
        request.POST, prefix="t", province=plan.unit.area.province_code if plan.unit.area else "33"
    )
    due = form.cleaned_data["due_on"] if form.is_valid() else None
    if form_taken(
        request,
        form,
        lambda: _create_task(user, plan, form.cleaned_data),
        lambda task: _("Task %(code)s created.") % {"code": task.matter.code},
    ):
        return redirect("plans:detail", plan_id=plan.id)
    if form.data.get(form.add_prefix("confirm_due")) or (
        due and services.odd_due_message(due, today())
    ):
        form.ask_to_confirm_due()
    return render(request, "plans/task_form.html", {"plan": plan, "form": form}, status=422)


@login_required
@domain_errors
@require_POST
def child_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user: Any = request.user
    parent = get_plan_for_user(user, plan_id)
    if not user.unit_id:
        raise Forbidden(_("only officials of a target unit add child plans"))
    require_official_of(user, user.unit, _("issue plans of this unit"))
    form = PlanForm(request.POST, prefix="p", unit=user.unit)
    plan = form_taken(
        request,
        form,
        lambda: services.plan_create(
            actor=user, unit=user.unit, parent=parent, **form.cleaned_data
        ),
        plan_issued,
    )
    if plan is not None:
        return redirect("plans:detail", plan_id=plan.id)
    return render(request, "plans/child_form.html", {"plan": parent, "form": form}, status=422)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def briefing_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user: Any = request.user
    plan = get_plan_for_user(user, plan_id)
    units = [
        t.unit
        for t in PlanTarget.objects.filter(plan=plan, unit_id=user.unit_id).select_related("unit")
    ]
    if not units or not user.can_act:
        raise Forbidden(_("only officials of a target unit record its briefing"))
    form = BriefingForm(
        request.POST or None, request.FILES or None, units=units, initial={"held_on": today()}
    )
    if request.method == "POST":
        briefing = form_taken(
            request,
            form,
            lambda: _record_briefing(user, plan, dict(form.cleaned_data)),
            _("Briefing recorded."),
        )
        if briefing is not None:
            return redirect("plans:detail", plan_id=plan.id)
    status = 422 if request.method == "POST" else 200
    return render(request, "plans/briefing_form.html", {"plan": plan, "form": form}, status=status)


@login_required
@domain_errors
def minutes_download(request: HttpRequest, briefing_id: int) -> HttpResponseBase:
    briefing = get_briefing_for_user(request.user, briefing_id)
    return file_response(briefing.minutes_file, briefing.minutes_name, briefing.minutes_type)


@login_required
@domain_errors
def directive_file(request: HttpRequest, directive_id: int) -> HttpResponseBase:
    directive = get_directive_for_user(request.user, directive_id)
    return file_response(directive.file, directive.file_name, directive.file_type)


@login_required
@domain_errors
def task_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    day = today()
    state = request.GET.get("state") or ""
    owner = request.GET.get("owner") or ""
    qs = tasks_visible_to(user).select_related("matter", "matter__owner", "plan")
    if state in Matter.State.values:
        qs = qs.filter(matter__in=Matter.objects.filter(state_q(state, day)).values("pk"))
    if owner:
        qs = qs.filter(matter__owner__code=owner)
    page = Paginator(qs.order_by("matter__due_on", "matter__code"), 50).get_page(
        request.GET.get("page")
    )
    rows = [(t, matter_state(t.matter, day)) for t in page.object_list]
    return render(
        request,
        "plans/tasks.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "owner": owner,
            "states": Matter.State.choices,
        },
    )


@login_required
@domain_errors
def task_detail(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user
    task = get_task_for_user(user, code)
    matter_seen(user=user, matter=task.matter)
    return render(request, "plans/task.html", _task_context(user, task))


def _task_context(
    user: Any,
    task: Task,
    progress_form: ProgressForm | None = None,
    complete_form: CompleteForm | None = None,
) -> dict[str, Any]:
    day = today()
    can_report = bool(
        user.can_act and user.unit_id in reporting_units(task) and task.matter.is_open
    )
    can_complete = user_can_act(user, task.matter) and task.matter.is_open
    return {
        "task": task,
        "matter": task.matter,
        "state": matter_state(task.matter, day),
        "cooperating": participants_by_matter([task.matter_id], "cooperating")[task.matter_id],
        "reports": task.reports.select_related("unit", "by").order_by("-reported_on", "-id"),
        "can_report": can_report,
        "can_complete": can_complete,
        "progress_form": progress_form
        or (
            ProgressForm(initial={"reported_on": day, "progress": task.progress})
            if can_report
            else None
        ),
        "complete_form": complete_form
        or (CompleteForm(initial={"completed_on": day}) if can_complete else None),
    }


@login_required
@domain_errors
@require_POST
def task_progress(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user
    task = get_task_for_user(user, code)
    require_can_report(user, task)
    form = ProgressForm(request.POST)
    return answer_step(
        request,
        form,
        lambda: _report_progress(user, task, form.cleaned_data),
        _("Progress recorded."),
        ("plans/task.html", "plans/_task_main.html", reverse("plans:task", args=[code])),
        lambda shown: _task_context(user, get_task_for_user(user, code), progress_form=shown),
    )


@login_required
@domain_errors
@require_POST
def task_complete(request: HttpRequest, code: str) -> HttpResponse:
    user: Any = request.user
    task = get_task_for_user(user, code)
    if not user_can_act(user, task.matter):
        raise Forbidden(_("only the lead unit finishes a task"))
    form = CompleteForm(request.POST)
    return answer_step(
        request,
        form,
        lambda: services.task_complete(actor=user, task=task, **form.cleaned_data),
        _("Task finished."),
        ("plans/task.html", None, reverse("plans:task", args=[code])),
        lambda shown: _task_context(user, task, complete_form=shown),
    )


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def progress_upload(request: HttpRequest, plan_id: int) -> HttpResponse:
    user: Any = request.user
    plan = get_plan_for_user(user, plan_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    row_errors: list[spreadsheet.RowError] = []
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                count = spreadsheet.progress_import(
                    actor=user, plan=plan, upload=form.cleaned_data["file"]
                )
                messages.success(
                    request, _("%(count)s progress reports imported.") % {"count": count}
                )
                return redirect("plans:detail", plan_id=plan.id)
            except spreadsheet.ImportRejected as exc:
                row_errors = exc.rows
            except Invalid as exc:
                errors_to_form(form, exc.errors)
    tasks = spreadsheet.reportable_tasks(user, plan)
    return render(
        request,
        "plans/progress_upload.html",
        {"plan": plan, "form": form, "row_errors": row_errors, "n_tasks": len(tasks)},
        status=status,
    )


@login_required
@domain_errors
def progress_template(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    data = spreadsheet.progress_template(request.user, plan, today())
    response = HttpResponse(data, content_type=spreadsheet.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tien-do-ke-hoach-{plan.id}.xlsx"'
    return response
