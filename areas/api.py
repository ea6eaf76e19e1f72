"""Areas in the JSON API (API.md, "Set-up" and "Before and after 1 July 2025")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from areas.models import BEFORE_REFORM, REFORM_DATE, Area, FormerArea
from areas.services import area_resolve, gazetteer
from common.clock import today
from common.errors import Invalid, NotFound
from common.schema import Schema

router = Router(tags=["areas"])


class AreaOut(Schema):
    code: str
    name: str
    kind: str


class Named(Schema):
    code: str
    name: str


class ShareOut(Schema):
    code: str
    name: str
    share: float
    default: bool


class AreaDetail(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    valid_from: date | None
    valid_to: date | None
    successors: list[str]
    predecessors: list[str]
    conversion: list[ShareOut]


class ConvertOut(Schema):
    q: str
    old: Named | None
    new: list[Named]
    certain: bool


@router.get("", response=list[AreaOut], auth=None)
def list_areas(
    request: HttpRequest, parent: str | None = None, on: date | None = None
) -> list[dict[str, object]]:
    """The provinces in force on ``on`` (default today: the 34), or with ``parent`` the
    communes of that province (before 1 July 2025 also of a district)."""
    day = on or today()
    if day < REFORM_DATE:
        former = FormerArea.objects.filter(valid_to=BEFORE_REFORM)
        if parent:
            if len(parent) == 3:
                qs = former.filter(kind=FormerArea.Kind.COMMUNE, parent__code=parent)
            else:
                qs = former.filter(kind=FormerArea.Kind.COMMUNE, province_code=parent)
            if not former.filter(code=parent).exclude(kind=FormerArea.Kind.COMMUNE).exists():
                raise NotFound(
                    _("No province or district with code %(code)s on %(day)s")
                    % {"code": parent, "day": f"{day:%d/%m/%Y}"}
                )
        else:
            qs = former.filter(kind=FormerArea.Kind.PROVINCE)
        return [dict(row) for row in qs.order_by("code").values("code", "name", "kind")]
    in_force = Area.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    if parent:
        if not in_force.filter(code=parent, kind=Area.Kind.PROVINCE).exists():
            raise NotFound(_("No province with code %(code)s") % {"code": parent})
        rows = in_force.filter(parent_id=parent)
    else:
        rows = in_force.filter(kind=Area.Kind.PROVINCE)
    return [dict(row) for row in rows.order_by("code").values("code", "name", "kind")]


@router.get("/convert", response=ConvertOut, auth=None)
def convert(request: HttpRequest, q: str = "", on: date | None = None) -> dict[str, Any]:
    """An old code or an address as people write it -> the old unit and the area(s) in
    force; a commune split across several gives them all with ``certain: false``."""
    if not q.strip():
        raise Invalid({"q": _("required: an official code or an address")})
    if len(q) > 500:
        raise Invalid({"q": _("at most %(n)s characters") % {"n": 500}})
    found = area_resolve(q, on=on)
    if not found.found:
        raise NotFound(_("No area, old or new, matches “%(q)s”") % {"q": found.q[:100]})
    return {
        "q": found.q,
        "old": {"code": found.old.code, "name": found.old.name} if found.old else None,
        "new": [{"code": p.code, "name": p.name} for p in found.new],
        "certain": found.certain,
    }


@router.get("/{code}", response=AreaDetail, auth=None)
def get_area(request: HttpRequest, code: str, on: date | None = None) -> dict[str, Any]:
    """One area, in force or former. A code used on both sides of the reform answers for
    the side in force on ``on`` (default today)."""
    g = gazetteer()
    day = on or today()
    area, old = g.areas.get(code), g.former.get(code)
    if area is not None and (old is None or day >= REFORM_DATE):
        row = Area.objects.get(code=code)
        return {
            "code": row.code,
            "name": row.name,
            "kind": row.kind,
            "parent": row.parent_id,
            "valid_from": row.valid_from,
            "valid_to": row.valid_to,
            "successors": [],
            "predecessors": list(g.predecessors.get(code, ())),
            "conversion": [],
        }
    if old is None:
        raise NotFound(_("No area with code %(code)s") % {"code": code})
    successors = g.successors.get(code, ())
    return {
        "code": old.code,
        "name": old.name,
        "kind": old.kind,
        "parent": old.parent,
        "valid_from": None,
        "valid_to": BEFORE_REFORM,
        "successors": [s.code for s in successors],
        "predecessors": [],
        "conversion": [
            {"code": s.code, "name": s.name, "share": s.share, "default": s.is_default}
            for s in successors
        ],
    }
