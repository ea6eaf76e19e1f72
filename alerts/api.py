from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status

from alerts.models import Alert
from alerts.selectors import alerts_visible_to, get_alert_for_user
from alerts.services import alert_acknowledge, alert_open_case, alert_open_task
from common.pagination import paginate
from common.schema import Schema

router = Router(tags=["early warning"])


class AlertOut(Schema):
    id: int
    area: str
    category: str
    week: date
    observed: int
    expected: float
    upperbound: float | None
    method: str
    score: float | None
    status: str
    signals: int
    unit: str | None


class AlertPage(Schema):
    items: list[AlertOut]
    count: int


def alert_dict(a: Alert) -> dict[str, Any]:
    return {
        "id": a.id,
        "area": a.area_id,
        "category": a.category_id,
        "week": a.week,
        "observed": a.observed,
        "expected": round(a.expected, 4),
        "upperbound": None if a.upperbound is None else round(a.upperbound, 4),
        "method": a.method,
        "score": None if a.score is None else round(a.score, 4),
        "status": a.status,
        "signals": a.signals,
        "unit": a.unit.code if a.unit else None,
    }


@router.get("/alerts", response=AlertPage)
def list_alerts(
    request: HttpRequest,
    area: str | None = None,
    status: Literal["open", "acknowledged", "closed"] | None = None,
    page: int = 1,
    page_size: int = 100,
) -> dict[str, Any]:
    qs = alerts_visible_to(request.user).order_by("id")
    if area:
        qs = qs.filter(area_id=area)
    if status:
        qs = qs.filter(status=status)
    items, count = paginate(qs, page, page_size)
    return {"items": [alert_dict(a) for a in items], "count": count}


class AckIn(Schema):
    note: str = ""


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge(request: HttpRequest, alert_id: int, payload: AckIn) -> dict[str, Any]:
    alert = get_alert_for_user(request.user, alert_id)
    return alert_dict(alert_acknowledge(actor=request.user, alert=alert, note=payload.note))


class CaseOut(Schema):
    case: str


@router.post("/alerts/{alert_id}/case", response={201: CaseOut})
def open_case(request: HttpRequest, alert_id: int) -> Status[dict[str, str]]:
    """Open a case led by the responsible unit from this alert, in one step."""
    alert = get_alert_for_user(request.user, alert_id)
    return Status(201, {"case": alert_open_case(actor=request.user, alert=alert)})


class TaskIn(Schema):
    plan: int | None = None
    due_on: date | None = None


class TaskOut(Schema):
    task: str


@router.post("/alerts/{alert_id}/task", response={201: TaskOut})
def open_task(request: HttpRequest, alert_id: int, payload: TaskIn) -> Status[dict[str, str]]:
    """Open a task from this alert in one step: a task of ``plan`` (a plan of the unit
    responsible for the area), led by that unit, due ``due_on`` (default in 30 days)."""
    alert = get_alert_for_user(request.user, alert_id)
    code = alert_open_task(
        actor=request.user, alert=alert, plan_id=payload.plan, due_on=payload.due_on
    )
    return Status(201, {"task": code})
