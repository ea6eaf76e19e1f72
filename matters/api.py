from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router

from common.clock import today
from common.pagination import paginate
from common.schema import Schema
from matters.schemas import MatterOut, matter_dicts
from matters.selectors import matter_list_for_user, scorecards
from units.selectors import get_unit_for_user

router = Router(tags=["matters"])

StateName = Literal["in_time", "due_soon", "overdue", "done_on_time", "done_late"]
KindName = Literal["petition", "task", "case", "review", "consultation", "statement"]


class MatterPage(Schema):
    items: list[MatterOut]
    count: int


@router.get("/matters", response=MatterPage)
def list_matters(
    request: HttpRequest,
    owner: str | None = None,
    state: StateName | None = None,
    kind: KindName | None = None,
    area: str | None = None,
    category: str | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    day = today()
    filters: dict[str, Any] = {
        "owner": owner,
        "state": state,
        "kind": kind,
        "area": area,
        "category": category,
    }
    qs = matter_list_for_user(request.user, today=day, query=q, **filters)
    count_qs = matter_list_for_user(request.user, today=day, query=q, for_count=True, **filters)
    items, count = paginate(qs, page, page_size, count_qs=count_qs)
    return {"items": matter_dicts(items, day), "count": count}


class ScoreRow(Schema):
    unit: str
    name: str
    open: int
    overdue: int
    done_on_time: int
    done_late: int
    bounces_sent: int
    briefings_missing: int = 0
    reports_late: int = 0


@router.get("/scorecards", response=list[ScoreRow])
def get_scorecards(request: HttpRequest, parent: str) -> list[dict[str, Any]]:
    unit = get_unit_for_user(request.user, parent)
    return scorecards(request.user, unit, today())
