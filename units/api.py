from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from accounts.services import official_create
from common.errors import Forbidden
from units.models import Unit
from units.selectors import units_visible_to
from units.services import unit_create

router = Router(tags=["units"])


def require_admin(user: Any) -> None:
    if not (user.is_superuser or user.is_admin):
        raise Forbidden("only administrators manage units, officials and the calendar")


class UnitIn(Schema):
    code: str
    name: str
    kind: str
    parent: str | None = None
    area: str | None = None


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    area: str | None
    head: str | None


def unit_out(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent else None,
        "area": unit.area_id,
        "head": unit.head.username if unit.head else None,
    }


@router.post("/units", response={201: UnitOut})
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[dict[str, Any]]:
    require_admin(request.user)
    unit = unit_create(actor=request.user, **payload.dict())
    return Status(201, unit_out(unit))


@router.get("/units", response=list[UnitOut])
def list_units(request: HttpRequest, parent: str | None = None) -> list[dict[str, Any]]:
    qs = units_visible_to(request.user)
    if parent:
        qs = qs.filter(parent__code=parent)
    return [unit_out(u) for u in qs.order_by("code")]


class OfficialIn(Schema):
    username: str
    password: str
    full_name: str
    unit: str
    roles: list[str]


class OfficialOut(Schema):
    username: str
    full_name: str
    unit: str
    roles: list[str]


@router.post("/officials", response={201: OfficialOut})
def create_official(request: HttpRequest, payload: OfficialIn) -> Status[dict[str, Any]]:
    require_admin(request.user)
    user = official_create(actor=request.user, **payload.dict())
    return Status(
        201,
        {
            "username": user.username,
            "full_name": user.full_name,
            "unit": payload.unit,
            "roles": user.roles,
        },
    )
