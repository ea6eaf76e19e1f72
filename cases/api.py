"""JSON endpoints for complex local cases (API.md, "Cases")."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Status

from cases import services
from cases.models import Case
from cases.selectors import (
    cases_visible_to,
    get_case_for_user,
    require_can_open_for,
    require_involved,
)
from cases.serializers import case_dict
from common.clock import today
from common.pagination import paginate
from common.schema import Schema
from matters.models import Matter
from matters.schemas import MatterOut
from matters.selectors import require_can_act, state_q

router = Router(tags=["cases"])


RiskName = Literal["low", "medium", "high"]
StateName = Literal["in_time", "due_soon", "overdue", "done_on_time", "done_late"]


class CaseIn(Schema):
    title: str = Field(max_length=300)
    area: str
    category: str
    lead: str
    coordinating: list[str] = []
    risk: RiskName
    opened_on: date
    due_on: date
    participants: int = 0
    petitions: list[str] = []
    summary: str = Field("", max_length=20_000)


class ActionOut(Schema):
    on: date
    unit: str
    unit_name: str
    note: str


class CaseOut(MatterOut):
    lead: str
    coordinating: list[str]
    risk: str
    participants: int
    petitions: list[str]
    summary: str
    settled_on: date | None
    outcome: str


class CaseDetailOut(CaseOut):
    actions: list[ActionOut]


class CasePage(Schema):
    items: list[CaseOut]
    count: int


@router.post("/cases", response={201: CaseDetailOut})
def open_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    lead = services.resolve_lead(payload.lead)
    require_can_open_for(request.user, lead)
    data = payload.dict()
    data["lead"] = lead
    case = services.case_open(actor=request.user, **data)
    return Status(201, case_dict(case, today(), with_actions=True))


@router.get("/cases", response=CasePage)
def list_cases(
    request: HttpRequest,
    state: StateName | None = None,
    risk: RiskName | None = None,
    owner: str | None = None,
    area: str | None = None,
    category: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    day = today()
    qs = cases_visible_to(request.user).select_related(
        "matter", "matter__owner", "matter__area", "matter__category", "matter__handler"
    )
    if state:
        qs = qs.filter(matter__in=Matter.objects.filter(state_q(state, day)).values("pk"))
    if risk:
        qs = qs.filter(risk=risk)
    if owner:
        qs = qs.filter(matter__owner__code=owner)
    if area:
        qs = qs.filter(matter__area_id=area)
    if category:
        qs = qs.filter(matter__category_id=category)
    items, count = paginate(qs.order_by("matter__code"), page, page_size)
    return {"items": [case_dict(c, day) for c in items], "count": count}


@router.get("/cases/{code}", response=CaseDetailOut)
def get_case(request: HttpRequest, code: str) -> dict[str, Any]:
    return case_dict(get_case_for_user(request.user, code), today(), with_actions=True)


class ActionIn(Schema):
    on: date | None = None
    note: str
    version: int | None = None


@router.post("/cases/{code}/actions", response={201: CaseDetailOut})
def add_action(request: HttpRequest, code: str, payload: ActionIn) -> Status[dict[str, Any]]:
    case = get_case_for_user(request.user, code)
    require_involved(request.user, case)
    services.case_add_action(
        actor=request.user,
        case=case,
        on=payload.on or today(),
        note=payload.note,
        expected_version=payload.version,
    )
    return Status(201, case_dict(_reload(case), today(), with_actions=True))


class SettleIn(Schema):
    settled_on: date | None = None
    outcome: str
    version: int | None = None


@router.post("/cases/{code}/settle", response=CaseDetailOut)
def settle_case(request: HttpRequest, code: str, payload: SettleIn) -> dict[str, Any]:
    case = get_case_for_user(request.user, code)
    require_can_act(request.user, case.matter)
    services.case_settle(
        actor=request.user,
        case=case,
        settled_on=payload.settled_on or today(),
        outcome=payload.outcome,
        expected_version=payload.version,
    )
    return case_dict(_reload(case), today(), with_actions=True)


def _reload(case: Case) -> Case:
    return Case.objects.select_related(
        "matter", "matter__owner", "matter__area", "matter__category"
    ).get(pk=case.pk)
