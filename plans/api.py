"""JSON endpoints for directives, plans, tasks, progress and briefings (API.md)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from common.clock import today
from common.errors import Invalid, NotFound
from common.pagination import paginate
from common.schema import Schema
from matters.models import Matter
from matters.schemas import MatterOut
from matters.selectors import require_can_act, state_q
from plans import services, spreadsheet
from plans.files import CheckedFile, check_upload
from plans.models import Briefing, Directive, Plan, Task
from plans.selectors import (
    directives_visible_to,
    get_briefing_for_user,
    get_directive_for_user,
    get_plan_for_user,
    get_task_for_user,
    plan_rollup,
    plan_status,
    plan_subtree,
    plans_visible_to,
    reporting_rates,
    require_can_register_directive,
    require_can_report,
    require_official_of,
    tasks_visible_to,
)
from plans.serializers import briefing_dict, directive_dict, plan_dict, task_dict, task_dicts
from units.models import Unit

router = Router(tags=["plans"])


ReportingName = Literal["none", "weekly", "monthly", "quarterly"]
StateName = Literal["in_time", "due_soon", "overdue", "done_on_time", "done_late"]


def _upload_for(user: Any, unit: Unit, what: str, file: UploadedFile) -> CheckedFile:
    """The uploaded ``file`` checked, once the user is seen to be an official of ``unit``
    (``what``: what they would do, for the refusal)."""
    require_official_of(user, unit, what)
    return check_upload(file, "file")


def file_response(field_file: Any, name: str, content_type: str) -> FileResponse:
    if not field_file:
        raise NotFound(_("no file attached"))
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- directives ------------------------------------------------------------------------------


class DirectiveIn(Schema):
    number: str
    title: str
    issued_on: date
    issuer: str
    text: str = ""


class DirectiveOut(Schema):
    id: int
    number: str
    title: str
    issued_on: date
    issuer: str
    text: str
    unit: str | None
    file: str | None
    file_name: str


class DirectivePage(Schema):
    items: list[DirectiveOut]
    count: int


@router.post("/directives", response={201: DirectiveOut})
def create_directive(request: HttpRequest, payload: DirectiveIn) -> Status[dict[str, Any]]:
    require_can_register_directive(request.user)
    directive = services.directive_create(actor=request.user, **payload.dict())
    return Status(201, directive_dict(directive))


@router.get("/directives", response=DirectivePage)
def list_directives(request: HttpRequest, page: int = 1, page_size: int = 50) -> dict[str, Any]:
    items, count = paginate(
        directives_visible_to(request.user).order_by("-issued_on", "id"), page, page_size
    )
    return {"items": [directive_dict(d) for d in items], "count": count}


@router.get("/directives/{directive_id}", response=DirectiveOut)
def get_directive(request: HttpRequest, directive_id: int) -> dict[str, Any]:
    return directive_dict(get_directive_for_user(request.user, directive_id))


@router.post("/directives/{directive_id}/file", response=DirectiveOut)
def attach_directive_file(
    request: HttpRequest, directive_id: int, file: File[UploadedFile]
) -> dict[str, Any]:
    directive = get_directive_for_user(request.user, directive_id)
    if directive.unit is None:
        raise Invalid({"file": _("this directive has no registering unit to attach files")})
    checked = _upload_for(
        request.user, directive.unit, _("attach the file of this directive"), file
    )
    return directive_dict(
        services.directive_attach_file(actor=request.user, directive=directive, file=checked)
    )


@router.get("/directives/{directive_id}/file")
def download_directive_file(request: HttpRequest, directive_id: int) -> HttpResponseBase:
    d = get_directive_for_user(request.user, directive_id)
    return file_response(d.file, d.file_name, d.file_type)


# --- plans -----------------------------------------------------------------------------------


class PlanIn(Schema):
    directive: int
    unit: str
    number: str
    title: str
    issued_on: date
    briefing_due: date
    targets: list[str]
    parent: int | None = None


class PlanOut(Schema):
    id: int
    directive: int
    directive_number: str
    unit: str
    unit_name: str
    number: str
    title: str
    issued_on: date
    briefing_due: date
    targets: list[str]
    parent: int | None
    children: list[int]


class PlanPage(Schema):
    items: list[PlanOut]
    count: int


class TaskCounts(Schema):
    total: int
    done_on_time: int
    done_late: int
    in_time: int
    due_soon: int
    overdue: int


class BriefingCounts(Schema):
    required: int
    held: int
    held_late: int
    missing: list[str]
    missing_overdue: list[str]


class StatusOut(Schema):
    tasks: TaskCounts
    briefings: BriefingCounts
    progress: float


def _resolve_plan_refs(user: Any, payload: PlanIn) -> tuple[Directive, Unit, Plan | None]:
    errors: dict[str, str] = {}
    directive = Directive.objects.filter(pk=payload.directive).first()
    if directive is None:
        errors["directive"] = _("no directive with id %(id)s") % {"id": payload.directive}
    unit = Unit.objects.filter(code=payload.unit, is_active=True).first()
    if unit is None:
        errors["unit"] = _("no unit with code %(codes)s") % {"codes": payload.unit}
    parent = None
    if payload.parent is not None:
        parent = plans_visible_to(user).filter(pk=payload.parent).first()
        if parent is None:
            errors["parent"] = _("no plan with id %(id)s") % {"id": payload.parent}
    if errors:
        raise Invalid(errors)
    assert directive is not None and unit is not None
    return directive, unit, parent


@router.post("/plans", response={201: PlanOut})
def create_plan(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    directive, unit, parent = _resolve_plan_refs(request.user, payload)
    require_official_of(request.user, unit, _("issue plans of this unit"))
    plan = services.plan_create(
        actor=request.user,
        directive=directive,
        unit=unit,
        number=payload.number,
        title=payload.title,
        issued_on=payload.issued_on,
        briefing_due=payload.briefing_due,
        targets=payload.targets,
        parent=parent,
    )
    return Status(201, plan_dict(plan))


@router.get("/plans", response=PlanPage)
def list_plans(
    request: HttpRequest,
    directive: int | None = None,
    unit: str | None = None,
    parent: int | None = None,
    roots: bool = False,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    qs = plans_visible_to(request.user).select_related("unit", "directive")
    if directive is not None:
        qs = qs.filter(directive_id=directive)
    if unit:
        qs = qs.filter(unit__code=unit)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if roots:
        qs = qs.filter(parent__isnull=True)
    items, count = paginate(qs.order_by("path"), page, page_size)
    return {"items": [plan_dict(p) for p in items], "count": count}


@router.get("/plans/{plan_id}", response=PlanOut)
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return plan_dict(get_plan_for_user(request.user, plan_id))


@router.get("/plans/{plan_id}/status", response=StatusOut)
def get_plan_status(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return plan_status(get_plan_for_user(request.user, plan_id), today())


class TreeNode(Schema):
    id: int
    parent: int | None
    depth: int
    unit: str
    number: str
    title: str
    status: StatusOut


@router.get("/plans/{plan_id}/tree", response=list[TreeNode])
def get_plan_tree(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    """The plan and every plan below it, each with its rolled-up status."""
    plan = get_plan_for_user(request.user, plan_id)
    day = today()
    rolled, plans = plan_rollup(plan, day)
    return [
        {
            "id": p.id,
            "parent": p.parent_id,
            "depth": p.depth - plan.depth,
            "unit": p.unit.code,
            "number": p.number,
            "title": p.title,
            "status": rolled[p.id].as_dict(day),
        }
        for p in plans
    ]


class ReportingRow(Schema):
    unit: str
    name: str
    period: str
    expected: int
    received: int
    on_time: int
    reporting_rate: float
    on_time_rate: float


@router.get("/plans/{plan_id}/reporting", response=list[ReportingRow])
def get_plan_reporting(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    """Expected, received and on-time progress reports per lead unit and period over the
    plan's cascade (DHIS2 reporting rates)."""
    plan = get_plan_for_user(request.user, plan_id)
    tasks = Task.objects.filter(plan__in=plan_subtree(plan))
    return reporting_rates(tasks, today())


# --- tasks -----------------------------------------------------------------------------------


class TaskIn(Schema):
    title: str
    lead: str
    cooperating: list[str] = []
    due_on: date
    area: str
    category: str
    opened_on: date | None = None
    reporting: ReportingName = "monthly"
    weight: int = 1
    description: str = ""


class ReportOut(Schema):
    unit: str
    progress: int
    note: str
    reported_on: date
    period: str
    completion: bool


class TaskOut(MatterOut):
    plan: int
    lead: str
    cooperating: list[str]
    reporting: str
    weight: int
    progress: int
    reported_on: date | None
    completed_on: date | None
    description: str


class TaskDetailOut(TaskOut):
    reports: list[ReportOut]


class TaskPage(Schema):
    items: list[TaskOut]
    count: int


@router.post("/plans/{plan_id}/tasks", response={201: TaskOut})
def create_task(request: HttpRequest, plan_id: int, payload: TaskIn) -> Status[dict[str, Any]]:
    plan = get_plan_for_user(request.user, plan_id)
    require_official_of(request.user, plan.unit, _("create tasks of this plan"))
    task = services.task_create(actor=request.user, plan=plan, **payload.dict())
    return Status(201, task_dict(task, today()))


@router.get("/plans/{plan_id}/tasks", response=TaskPage)
def list_plan_tasks(
    request: HttpRequest,
    plan_id: int,
    state: StateName | None = None,
    cascade: bool = False,
    page: int = 1,
    page_size: int = 100,
) -> dict[str, Any]:
    """Tasks of the plan the caller may see (``cascade``: also of the plans below it)."""
    plan = get_plan_for_user(request.user, plan_id)
    qs = tasks_visible_to(request.user)
    qs = qs.filter(plan__in=plan_subtree(plan)) if cascade else qs.filter(plan=plan)
    return _task_page(qs, state, page, page_size)


def _task_page(qs: Any, state: str | None, page: int, page_size: int) -> dict[str, Any]:
    day = today()
    if state:
        qs = qs.filter(matter__in=Matter.objects.filter(state_q(state, day)).values("pk"))
    qs = qs.select_related(
        "matter", "matter__owner", "matter__area", "matter__category", "matter__handler", "plan"
    )
    items, count = paginate(qs.order_by("matter__code"), page, page_size)
    return {"items": task_dicts(items, day), "count": count}


@router.get("/tasks", response=TaskPage)
def list_tasks(
    request: HttpRequest,
    state: StateName | None = None,
    owner: str | None = None,
    plan: int | None = None,
    page: int = 1,
    page_size: int = 100,
) -> dict[str, Any]:
    qs = tasks_visible_to(request.user)
    if owner:
        qs = qs.filter(matter__owner__code=owner)
    if plan is not None:
        qs = qs.filter(plan_id=plan)
    return _task_page(qs, state, page, page_size)


@router.get("/tasks/{code}", response=TaskDetailOut)
def get_task(request: HttpRequest, code: str) -> dict[str, Any]:
    return task_dict(get_task_for_user(request.user, code), today(), with_reports=True)


class ProgressIn(Schema):
    progress: int
    note: str = ""
    reported_on: date | None = None
    period: str | None = None
    version: int | None = None


@router.post("/tasks/{code}/progress", response={201: TaskDetailOut})
def report_progress(request: HttpRequest, code: str, payload: ProgressIn) -> Status[dict[str, Any]]:
    task = get_task_for_user(request.user, code)
    require_can_report(request.user, task)
    services.task_report_progress(
        actor=request.user,
        task=task,
        progress=payload.progress,
        reported_on=payload.reported_on or today(),
        note=payload.note,
        period=payload.period,
        expected_version=payload.version,
    )
    return Status(201, task_dict(get_task_for_user(request.user, code), today(), with_reports=True))


class CompleteIn(Schema):
    completed_on: date | None = None
    note: str = ""
    version: int | None = None


@router.post("/tasks/{code}/complete", response=TaskDetailOut)
def complete_task(request: HttpRequest, code: str, payload: CompleteIn) -> dict[str, Any]:
    task = get_task_for_user(request.user, code)
    require_can_act(request.user, task.matter)
    services.task_complete(
        actor=request.user,
        task=task,
        completed_on=payload.completed_on or today(),
        note=payload.note,
        expected_version=payload.version,
    )
    return task_dict(get_task_for_user(request.user, code), today(), with_reports=True)


# --- bulk progress -----------------------------------------------------------------------------


class ImportOut(Schema):
    imported: int


@router.get("/plans/{plan_id}/progress-template.xlsx")
def progress_template(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A workbook with one row per task of the cascade the caller reports on."""
    plan = get_plan_for_user(request.user, plan_id)
    data = spreadsheet.progress_template(request.user, plan, today())
    response = HttpResponse(data, content_type=spreadsheet.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tien-do-ke-hoach-{plan.id}.xlsx"'
    return response


@router.post("/plans/{plan_id}/progress.xlsx", response=ImportOut)
def progress_import(request: HttpRequest, plan_id: int, file: File[UploadedFile]) -> dict[str, Any]:
    """All or nothing: every row is checked; any bad row imports nothing (422, with
    ``errors`` keyed ``row N, column``)."""
    plan = get_plan_for_user(request.user, plan_id)
    count = spreadsheet.progress_import(actor=request.user, plan=plan, upload=file)
    return {"imported": count}


# --- briefings -------------------------------------------------------------------------------


class BriefingIn(Schema):
    unit: str
    held_on: date
    attendees: int
    chair: str = ""
    minutes: str | None = None


class BriefingOut(Schema):
    id: int
    plan: int
    unit: str
    unit_name: str
    held_on: date
    late: bool
    attendees: int
    chair: str
    minutes: str
    minutes_file: str | None
    minutes_name: str


@router.post("/plans/{plan_id}/briefings", response={201: BriefingOut})
def record_briefing(
    request: HttpRequest, plan_id: int, payload: BriefingIn
) -> Status[dict[str, Any]]:
    plan = get_plan_for_user(request.user, plan_id)
    unit = services.briefing_unit(plan, payload.unit)
    require_official_of(request.user, unit, _("record its briefing"))
    briefing = services.briefing_record(
        actor=request.user,
        plan=plan,
        unit=unit,
        held_on=payload.held_on,
        attendees=payload.attendees,
        chair=payload.chair,
        minutes=payload.minutes or "",
    )
    return Status(201, briefing_dict(briefing))


@router.get("/plans/{plan_id}/briefings", response=list[BriefingOut])
def list_briefings(request: HttpRequest, plan_id: int) -> list[dict[str, Any]]:
    plan = get_plan_for_user(request.user, plan_id)
    rows = Briefing.objects.filter(plan=plan).select_related("unit", "plan").order_by("unit__code")
    return [briefing_dict(b) for b in rows]


@router.post("/briefings/{briefing_id}/minutes", response=BriefingOut)
def attach_minutes(
    request: HttpRequest, briefing_id: int, file: File[UploadedFile]
) -> dict[str, Any]:
    briefing = get_briefing_for_user(request.user, briefing_id)
    checked = _upload_for(request.user, briefing.unit, _("attach its briefing minutes"), file)
    return briefing_dict(
        services.briefing_attach_minutes(actor=request.user, briefing=briefing, file=checked)
    )


@router.get("/briefings/{briefing_id}/minutes")
def download_minutes(request: HttpRequest, briefing_id: int) -> HttpResponseBase:
    b = get_briefing_for_user(request.user, briefing_id)
    return file_response(b.minutes_file, b.minutes_name, b.minutes_type)
