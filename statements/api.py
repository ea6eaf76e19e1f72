"""JSON endpoints of statements to the press and the spokesperson register (API.md
"Statements to the press"); the two public reads need no login."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from calendars.selectors import get_calendar
from common.clock import now
from common.errors import Invalid
from common.pagination import paginate
from common.schema import Schema, VersionedIn, take_step
from statements import indicators, services
from statements.models import Statement
from statements.schemas import (
    PublicSpokesperson,
    PublicStatementPage,
    SpokespersonOut,
    StatementOut,
    StatementPage,
    public_spokesperson_dict,
    public_statement_dict,
    spokesperson_dict,
    statement_dict,
)
from statements.selectors import (
    get_spokesperson_for_user,
    get_statement_for_user,
    indicator_statements,
    public_spokespersons,
    public_statements,
    spokespersons_for_user,
    statement_list_for_user,
)
from units.selectors import get_unit_for_user

router = Router(tags=["statements"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatementIn(Schema):
    unit: str
    trigger: str
    triggered_at: datetime
    subject: str
    press_agency: str = ""
    question: str = ""
    petition: str = ""
    parent: str = ""
    duty: str = ""


@router.post("/statements", response={201: StatementOut})
def open_statement(request: HttpRequest, payload: StatementIn) -> Status[dict[str, Any]]:
    statement = services.statement_open(actor=request.user, **payload.dict())
    return Status(201, statement_dict(statement, now()))


@router.get("/statements", response=StatementPage)
def list_statements(
    request: HttpRequest,
    status: Literal["open", "delivered", "refused"] | None = None,
    trigger: str | None = None,
    unit: str | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    qs = statement_list_for_user(request.user, status=status, trigger=trigger, unit=unit, query=q)
    items, count = paginate(qs, page, page_size)
    moment, calendar = now(), get_calendar()
    return {"items": [statement_dict(s, moment, calendar) for s in items], "count": count}


@router.get("/statements/indicators.xlsx")
def indicators_xlsx(request: HttpRequest, unit: str, year: int | None = None) -> HttpResponse:
    """The annual indicators of Decree 244/2026's appendix for ``unit`` and the units below
    it, over 15/12 of the year before to 14/12 of ``year`` (default: this year)."""
    year = year or timezone.localdate(now()).year
    if not 2017 <= year <= 2100:
        raise Invalid({"year": _("must be between 2017 and 2100")})
    unit_obj = get_unit_for_user(request.user, unit)
    start, end = indicators.report_period(year)
    rows = list(indicator_statements(request.user, unit_obj, start, end))
    body = indicators.workbook(unit_obj.name, year, rows)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="phat-ngon-{unit_obj.code}-{year}.xlsx"'
    )
    return response


@router.get("/statements/{code}", response=StatementOut)
def get_statement(request: HttpRequest, code: str) -> dict[str, Any]:
    return statement_dict(get_statement_for_user(request.user, code), now())


def _shown(statement: Statement) -> dict[str, Any]:
    return statement_dict(statement, now())


# The body of each step endpoint below: the statement as it stands after the step.
_step = partial(take_step, fetch=get_statement_for_user, name="statement", show=_shown)


class DeliverIn(VersionedIn):
    delivered_at: datetime
    form: str
    text: str
    speaker: str
    correction_published: bool | None = None


@router.post("/statements/{code}/deliver", response=StatementOut)
def deliver_statement(request: HttpRequest, code: str, payload: DeliverIn) -> dict[str, Any]:
    return _step(request, code, service=services.statement_deliver, payload=payload)


class RefuseIn(VersionedIn):
    ground: str
    reason: str
    refused_at: datetime | None = None


@router.post("/statements/{code}/refuse", response=StatementOut)
def refuse_statement(request: HttpRequest, code: str, payload: RefuseIn) -> dict[str, Any]:
    return _step(request, code, service=services.statement_refuse, payload=payload)


class SpokespersonIn(Schema):
    unit: str
    role: Literal["head", "regular", "authorised"]
    full_name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    decision_no: str = ""
    decided_at: datetime | None = None
    scope: str = ""
    valid_from: date | None = None
    valid_to: date | None = None


@router.post("/spokespersons", response={201: SpokespersonOut})
def register_spokesperson(request: HttpRequest, payload: SpokespersonIn) -> Status[dict[str, Any]]:
    person = services.spokesperson_register(actor=request.user, **payload.dict())
    return Status(201, spokesperson_dict(person, now()))


@router.get("/spokespersons", response=list[SpokespersonOut])
def list_spokespersons(request: HttpRequest, unit: str | None = None) -> list[dict[str, Any]]:
    moment = now()
    return [spokesperson_dict(p, moment) for p in spokespersons_for_user(request.user, unit)]


class PublishIn(Schema):
    posted_at: datetime | None = None


@router.post("/spokespersons/{pk}/publish", response=SpokespersonOut)
def publish_spokesperson(request: HttpRequest, pk: int, payload: PublishIn) -> dict[str, Any]:
    person = get_spokesperson_for_user(request.user, pk)
    services.spokesperson_publish(actor=request.user, person=person, posted_at=payload.posted_at)
    return spokesperson_dict(person, now())


class EndIn(Schema):
    ended_on: date
    reason: str = ""


@router.post("/spokespersons/{pk}/end", response=SpokespersonOut)
def end_spokesperson(request: HttpRequest, pk: int, payload: EndIn) -> dict[str, Any]:
    person = get_spokesperson_for_user(request.user, pk)
    services.spokesperson_end(actor=request.user, person=person, **payload.dict())
    return spokesperson_dict(person, now())


@router.get("/public/statements", response=PublicStatementPage, auth=None)
def public_statement_list(
    request: HttpRequest, unit: str | None = None, page: int = 1, page_size: int = 50
) -> dict[str, Any]:
    """Statements given to the press, newest first. No login."""
    items, count = paginate(public_statements(unit), page, page_size)
    return {"items": [public_statement_dict(s) for s in items], "count": count}


@router.get("/public/spokespersons", response=list[PublicSpokesperson], auth=None)
def public_spokesperson_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The published list of spokespersons in office today. No login."""
    return [public_spokesperson_dict(p) for p in public_spokespersons(timezone.localdate(now()))]
