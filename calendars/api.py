from datetime import date
from typing import Literal

from django.http import HttpRequest
from ninja import Router

from calendars.selectors import get_calendar
from calendars.services import calendar_day_set
from calendars.workdays import CalendarRangeError
from common.errors import Invalid
from common.schema import Schema
from units.api import require_admin

router = Router(tags=["calendar"])


class DayIn(Schema):
    kind: Literal["off", "working"]
    note: str = ""


class DayOut(Schema):
    day: date
    kind: str
    note: str
    working: bool


@router.put("/days/{day}", response=DayOut)
def set_day(request: HttpRequest, day: date, payload: DayIn) -> dict[str, object]:
    require_admin(request.user)
    entry = calendar_day_set(actor=request.user, day=day, kind=payload.kind, note=payload.note)
    return {
        "day": entry.day,
        "kind": entry.kind,
        "note": entry.note,
        "working": get_calendar().is_working_day(entry.day),
    }


class AddOut(Schema):
    date: date


@router.get("/add", response=AddOut)
def add_days(
    request: HttpRequest, start: date, days: int, unit: Literal["working", "calendar"] = "working"
) -> dict[str, date]:
    """The ``days``-th day after ``start`` (start not counted). No roll-over."""
    try:
        return {"date": get_calendar().add(start, days, unit)}
    except CalendarRangeError as exc:
        raise Invalid({"start": str(exc)})
