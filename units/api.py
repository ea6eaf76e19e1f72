from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Status

from accounts.models import User
from accounts.services import official_create, official_deactivate, official_set_api_account
from common.errors import Forbidden, NotFound
from common.schema import Schema
from units.models import Unit
from units.selectors import closed_units_for_user, units_visible_to
from units.services import unit_close, unit_create

router = Router(tags=["units"])


def require_admin(user: Any) -> None:
    if not (user.is_superuser or user.is_admin):
        raise Forbidden(_("only administrators manage units, officials and the calendar"))


class UnitIn(Schema):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
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
    is_active: bool
    closed_on: date | None
    successor: str | None


def unit_out(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent else None,
        "area": unit.area_id,
        "head": unit.head.username if unit.head else None,
        "is_active": unit.is_active,
        "closed_on": unit.closed_on,
        "successor": unit.successor.code if unit.successor_id and unit.successor else None,
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
        raise NotFound(_("No official %(username)s") % {"username": username})
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


class CloseIn(Schema):
    successor: str
    closed_on: date


@router.post("/units/{code}/close", response=UnitOut)
def close_unit(request: HttpRequest, code: str, payload: CloseIn) -> dict[str, Any]:
    """Close an abolished or merged unit, naming the unit that takes over its duties."""
    require_admin(request.user)
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise NotFound(_("No unit with code %(code)s") % {"code": code})
    return unit_out(unit_close(actor=request.user, unit=unit, **payload.dict()))


class ClosedRow(Schema):
    unit: str
    name: str
    closed_on: date | None
    successor: str
    open: int
    matters: list[str]


@router.get("/units/closed/matters", response=list[ClosedRow])
def closed_matters(request: HttpRequest) -> list[dict[str, Any]]:
    """Closed units that still own open matters, with the unit that takes them: all of
    them for administrators, those passing to the caller's unit for its head."""
    from matters.services import open_matters_of_closed

    rows = []
    for unit, target in closed_units_for_user(request.user):
        codes = list(open_matters_of_closed(unit).values_list("code", flat=True))
        if codes:
            rows.append(
                {
                    "unit": unit.code,
                    "name": unit.name,
                    "closed_on": unit.closed_on,
                    "successor": target.code,
                    "open": len(codes),
                    "matters": codes,
                }
            )
    return rows


class HandoverIn(Schema):
    legal_basis: str
    reason: str = ""
    matters: list[str] | None = None


class HandoverOut(Schema):
    unit: str
    to: str
    moved: list[str]


@router.post("/units/{code}/handover", response=HandoverOut)
def handover(request: HttpRequest, code: str, payload: HandoverIn) -> dict[str, Any]:
    """Hand the open matters of a closed unit (all, or ``matters``) to its successor."""
    from matters.services import matters_hand_to_successor

    pairs = {unit.code: unit for unit, _target in closed_units_for_user(request.user)}
    unit = pairs.get(code)
    if unit is None:
        if (
            Unit.objects.filter(code=code).exists()
            and units_visible_to(request.user).filter(code=code).exists()
        ):
            raise Forbidden(
                _("%(code)s is not a closed unit whose matters pass to your unit") % {"code": code}
            )
        raise NotFound(_("No closed unit with code %(code)s") % {"code": code})
    target, moved = matters_hand_to_successor(
        actor=request.user,
        unit=unit,
        legal_basis=payload.legal_basis,
        reason=payload.reason,
        codes=payload.matters,
    )
    return {"unit": unit.code, "to": target.code, "moved": moved}


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
        raise NotFound(_("No official %(username)s") % {"username": username})
    official_set_api_account(actor=request.user, user=user, api_account=payload.api_account)
    return _row(user)
