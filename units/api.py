from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from accounts.models import User
from accounts.services import official_create, official_deactivate, official_set_api_account
from common.errors import Forbidden, NotFound
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
    api_account: bool = Field(
        False,
        description="A service account of another system: it gets API tokens with its "
        "password alone, even where officials need their second factor.",
    )


class OfficialOut(Schema):
    username: str
    full_name: str
    unit: str
    roles: list[str]
    api_account: bool


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
            "api_account": user.api_account,
        },
    )


class OfficialRow(Schema):
    username: str
    full_name: str
    unit: str | None
    roles: list[str]
    is_active: bool
    api_account: bool


@router.get("/officials", response=list[OfficialRow])
def list_officials(request: HttpRequest, unit: str | None = None) -> list[dict[str, Any]]:
    """Officials of the units the caller sees."""
    qs = User.objects.select_related("unit").filter(unit__in=units_visible_to(request.user))
    if unit:
        qs = qs.filter(unit__code=unit)
    return [
        {
            "username": u.username,
            "full_name": u.full_name,
            "unit": u.unit.code if u.unit else None,
            "roles": u.roles,
            "is_active": u.is_active,
            "api_account": u.api_account,
        }
        for u in qs.order_by("username")
    ]


@router.post("/officials/{username}/deactivate", response=OfficialRow)
def deactivate_official(request: HttpRequest, username: str) -> dict[str, Any]:
    """Deactivate an official: every session and API token ends at once."""
    require_admin(request.user)
    user = User.objects.select_related("unit").filter(username=username).first()
    if user is None:
        raise NotFound(f"No official {username}")
    official_deactivate(actor=request.user, user=user)
    return _row(user)


def _row(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "unit": user.unit.code if user.unit else None,
        "roles": user.roles,
        "is_active": user.is_active,
        "api_account": user.api_account,
    }


class ApiAccountIn(Schema):
    api_account: bool


@router.put("/officials/{username}/api-account", response=OfficialRow)
def set_api_account(request: HttpRequest, username: str, payload: ApiAccountIn) -> dict[str, Any]:
    """Mark an official as an API account (a service account of another system, which gets
    API tokens with its password alone even where officials need their second factor), or
    take the mark away. Administrators only; audited."""
    require_admin(request.user)
    user = User.objects.select_related("unit").filter(username=username).first()
    if user is None:
        raise NotFound(f"No official {username}")
    official_set_api_account(actor=request.user, user=user, api_account=payload.api_account)
    return _row(user)
