"""Old codes and old addresses to areas in force (API.md, "Before and after 1 July 2025").

``area_resolve(q, on=day)`` is the one function every entry point uses (the petitions API
and form, the register import, the citizens' form, ``GET /api/v1/areas/convert``): it takes
an official code or an address as people write it, old or new, and answers what the old
unit was (if it was one) and which area(s) in force it is now. It reads only an in-memory
copy of the area tables (``gazetteer()``, loaded once per process: about 15,000 rows, the
tables change only by migrations), so a register of 100,000 rows converts in seconds.

``area_for_matter(q, on=day)`` is the rule for filing a matter: it returns the
:class:`~areas.models.Area` (with ``.before`` set to the old area when the input was one)
or raises ``Invalid`` with a message that names the choices or says nothing matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.utils.translation import gettext as _

from areas.models import BEFORE_REFORM, REFORM_DATE, Area, FormerArea, Succession
from common.errors import Invalid
from common.text import fold, nfc


@dataclass(frozen=True)
class Place:
    """An area as the resolver sees it: in force (``former`` False) or before the reform."""

    code: str
    name: str
    kind: str
    former: bool
    province: str
    parent: str | None = None
    id: int | None = None  # FormerArea primary key (former places only)


@dataclass(frozen=True)
class Successor:
    code: str
    name: str
    share: float
    is_default: bool


@dataclass
class Gazetteer:
    """The area tables in memory: areas in force and former areas by code, successions
    both ways."""

    areas: dict[str, Place] = field(default_factory=dict)
    former: dict[str, Place] = field(default_factory=dict)
    successors: dict[str, tuple[Successor, ...]] = field(default_factory=dict)
    predecessors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    former_by_id: dict[int, Place] = field(default_factory=dict)
    # Exact names, folded and without their type ("xã", "huyện", ...): (province, district,
    # commune) -> old commune code, (province, commune) -> commune in force. None marks a
    # name that is not unique there.
    old_names: dict[tuple[str, str, str], str | None] = field(default_factory=dict)
    new_names: dict[tuple[str, str], str | None] = field(default_factory=dict)


# How people write the level of a unit before its name, folded (longest first).
_TYPES = tuple(
    sorted(
        (
            "tinh ",
            "thanh pho ",
            "tp. ",
            "tp ",
            "t. ",
            "thu do ",
            "huyen ",
            "quan ",
            "thi xa ",
            "h. ",
            "q. ",
            "tx. ",
            "tx ",
            "xa ",
            "phuong ",
            "thi tran ",
            "dac khu ",
            "x. ",
            "p. ",
            "tt. ",
            "tt ",
        ),
        key=len,
        reverse=True,
    )
)


_COMMUNE_TYPES = ("xa ", "phuong ", "dac khu ", "x. ", "p. ", "thi tran ")


def _name_key(text: str) -> str:
    """A unit's name as a key: folded, without its type, spaces collapsed."""
    key = fold(text).replace(".", ". ").replace("  ", " ").strip()
    for prefix in _TYPES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    return " ".join(key.replace(".", " ").split())


def _index(g: Gazetteer) -> None:
    for place in g.former.values():
        if place.kind != FormerArea.Kind.COMMUNE or not place.parent:
            continue
        district, province = g.former.get(place.parent), g.former.get(place.province)
        if district is None or province is None:
            continue
        k3 = (_name_key(province.name), _name_key(district.name), _name_key(place.name))
        g.old_names[k3] = None if k3 in g.old_names else place.code
    for place in g.areas.values():
        if place.kind != Area.Kind.COMMUNE or place.parent not in g.areas:
            continue
        k2 = (_name_key(g.areas[place.parent].name), _name_key(place.name))
        g.new_names[k2] = None if k2 in g.new_names else place.code


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Load the area tables once per process (call ``gazetteer.cache_clear()`` after
    changing them outside a migration)."""
    g = Gazetteer()
    for code, name, kind, parent in Area.objects.values_list("code", "name", "kind", "parent_id"):
        g.areas[code] = Place(code, name, kind, False, parent or code, parent)
    parents = dict(FormerArea.objects.values_list("id", "code"))
    for pk, code, name, kind, parent_id, province in FormerArea.objects.filter(
        valid_to=BEFORE_REFORM
    ).values_list("id", "code", "name", "kind", "parent_id", "province_code"):
        g.former[code] = Place(
            code, name, kind, True, province, parents.get(parent_id) if parent_id else None, pk
        )
        g.former_by_id[pk] = g.former[code]
    rows: dict[str, list[Successor]] = {}
    back: dict[str, list[str]] = {}
    for former, area, share, default in (
        Succession.objects.filter(former__valid_to=BEFORE_REFORM)
        .order_by("former__code", "-is_default", "area_id")
        .values_list("former__code", "area_id", "share", "is_default")
    ):
        place = g.areas.get(area)
        rows.setdefault(former, []).append(
            Successor(area, place.name if place else area, share, default)
        )
        if g.former[former].kind != FormerArea.Kind.DISTRICT:
            back.setdefault(area, []).append(former)
    g.successors = {k: tuple(v) for k, v in rows.items()}
    g.predecessors = {k: tuple(v) for k, v in back.items()}
    _index(g)
    return g


def former_code(pk: int | None) -> str | None:
    """The code of a former area by its key (no query), e.g. a matter's ``area_before``."""
    if pk is None:
        return None
    place = gazetteer().former_by_id.get(pk)
    return place.code if place else None


def split_communes() -> dict[int, tuple[Successor, ...]]:
    """Former communes split across several communes in force, by key: their successors
    with the share of the history each carries (``detection.merger``)."""
    g = gazetteer()
    return {
        place.id: g.successors[code]
        for code, place in g.former.items()
        if place.kind == FormerArea.Kind.COMMUNE
        and place.id is not None
        and len(g.successors.get(code, ())) > 1
    }


def former_ids_within(code: str) -> list[int]:
    """Keys of the former area ``code`` and every former area inside it (a province's
    districts and communes, a district's communes); empty if there is none."""
    g = gazetteer()
    place = g.former.get(code)
    if place is None:
        return []
    if place.kind == FormerArea.Kind.PROVINCE:
        return [p.id for p in g.former.values() if p.province == code and p.id is not None]
    if place.kind == FormerArea.Kind.DISTRICT:
        return [
            p.id
            for p in g.former.values()
            if (p.code == code or p.parent == code) and p.id is not None
        ]
    return [place.id] if place.id is not None else []


@dataclass(frozen=True)
class Resolution:
    """What an input was and what it is now.

    ``old``: the former area recognised, or None when the input named an area in force.
    ``new``: the candidate areas in force (empty when nothing matched), default first.
    ``certain``: exactly one candidate. ``default``: the area to file under when nobody can
    choose (the only candidate, or the data's default successor of a split commune).
    """

    q: str
    old: Place | None
    new: tuple[Place, ...]
    certain: bool
    default: Place | None

    @property
    def found(self) -> bool:
        return bool(self.new) or self.old is not None


_DIGITS = re.compile(r"^\s*\d{1,5}\s*$")


def _code_of(text: str) -> str:
    """An official code as written: 1-2 digits a province, 3 a district, 4-5 a commune."""
    digits = text.strip()
    if len(digits) <= 2:
        return digits.zfill(2)
    if len(digits) == 3:
        return digits
    return digits.zfill(5)


def _from_former(q: str, old: Place, g: Gazetteer) -> Resolution:
    succ = g.successors.get(old.code, ())
    new = tuple(g.areas[s.code] for s in succ if s.code in g.areas)
    default = next((g.areas[s.code] for s in succ if s.is_default and s.code in g.areas), None)
    if default is None and new:
        default = new[0]
    return Resolution(q, old, new, len(new) == 1, default)


def _from_area(q: str, area: Place) -> Resolution:
    return Resolution(q, None, (area,), True, area)


@lru_cache(maxsize=200_000)
def _parsed(text: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(old commune, old district, old province, new commune) codes found in an address by
    ``vietnamadminunits``' parsers (offline keyword matching; cached per distinct text)."""
    from vietnamadminunits import parse_address

    def code(value: object, width: int) -> str | None:
        if value in (None, ""):
            return None
        try:
            return f"{int(str(value)):0{width}d}"
        except ValueError:
            return None

    old = parse_address(text, mode="LEGACY", keep_street=False, level=3)
    new_commune = None
    if old.district_code in (None, ""):
        new = parse_address(text, mode="FROM_2025", keep_street=False, level=2)
        new_commune = code(new.ward_code, 5)
    return (
        code(old.ward_code, 5),
        code(old.district_code, 3),
        code(old.province_code, 2),
        new_commune,
    )


@lru_cache(maxsize=200_000)
def _parsed_address(text: str) -> tuple[str | None, str | None, str | None, str | None]:
    """The codes ``_parsed`` finds, first by exact names: the last three parts of the
    address as (commune, district, province) before the reform, or the last two as
    (commune, province) after it, written in full or without types or diacritics. Else
    the library's parser on the last three parts of a longer address (what registers
    repeat row after row, so each is parsed once), else on the whole text."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    g = gazetteer()
    if len(parts) >= 3:
        keys = tuple(_name_key(p) for p in parts[-3:])
        old = g.old_names.get((keys[2], keys[1], keys[0]))
        if old is not None:
            place = g.former[old]
            return old, place.parent, place.province, None
    # A commune in force by exact name, when it is written as one ("xã …", "phường …"):
    # a bare name may be an old district's.
    if len(parts) >= 2 and fold(parts[-2]).startswith(_COMMUNE_TYPES):
        new = g.new_names.get((_name_key(parts[-1]), _name_key(parts[-2])))
        if new is not None:
            return None, None, None, new
    if len(parts) >= 4:
        found = _parsed(", ".join(parts[-3:]))
        if found[0] is not None:
            return found
    return _parsed(text)


def area_resolve(q: str, *, on: date | None = None) -> Resolution:
    """Resolve an official code or an address, old or new, on the day ``on`` (default: in
    force today).

    A code is looked up among the areas in force on ``on``: from 1 July 2025 a code that
    exists today means today's area, before it the area of that time (codes were reused:
    "33" was Hưng Yên before and is the larger Hưng Yên after). A code that exists only on
    the other side of the reform is accepted too. An address is parsed as the old
    three-level form (commune, district, province) first: if it names a district it is
    old; otherwise as the new two-level form (commune, province); a province alone is the
    province of that day.
    """
    from common.clock import today

    day = on or today()
    g = gazetteer()
    text = nfc(q or "")
    if not text:
        return Resolution(text, None, (), False, None)
    before = day < REFORM_DATE
    if _DIGITS.match(text):
        code = _code_of(text)
        area, old = g.areas.get(code), g.former.get(code)
        if old is not None and (before or area is None):
            return _from_former(text, old, g)
        if area is not None:
            return _from_area(text, area)
        return Resolution(text, None, (), False, None)
    commune, district, province, new_commune = _parsed_address(text[:300])
    if commune and commune in g.former:
        return _from_former(text, g.former[commune], g)
    if district and district in g.former:
        return _from_former(text, g.former[district], g)
    if new_commune and new_commune in g.areas:
        # The new parser matches loosely; trust it only inside the province the address
        # names (an old province's successors count: "…, Thái Bình" is Hưng Yên now).
        named = {province} if province in g.areas else set()
        if province in g.former:
            named |= {s.code for s in g.successors.get(province, ())}
        if not province or g.areas[new_commune].province in named:
            return _from_area(text, g.areas[new_commune])
    if province:
        area, old = g.areas.get(province), g.former.get(province)
        if area is not None and not before and old is not None and old.name == area.name:
            return _from_area(text, area)
        if old is not None:
            return _from_former(text, old, g)
    return Resolution(text, None, (), False, None)


def _choices(places: tuple[Place, ...]) -> str:
    return ", ".join(f"{p.name} ({p.code})" for p in places)


def area_choice(
    q: str, *, on: date | None = None, before: str | None = None, field: str = "area"
) -> tuple[str, str | None]:
    """(code of the area in force, code of the former area or None) a matter dated ``on``
    is filed under, for an input code or address ``q``; no database query.

    * a code or address of an area in force: that area;
    * an old one that went into one area: that area, and the old one;
    * an old district: the province in force that holds all of it, and the district;
    * an old commune split across several: before 1 July 2025 (a matter of that time) its
      default successor; from that day the official must choose, so ``Invalid`` names
      the choices. The choice is given as ``q`` = the area in force with ``before`` = the
      old code or address; ``before`` must then have ``q`` among its successors;
    * nothing recognised, or an old unit without successor: ``Invalid`` saying so.
    """
    from common.clock import today

    day = on or today()
    text = nfc(q or "")
    if not text:
        raise Invalid({field: _("required")})
    if before and nfc(before):
        return _chosen(text, nfc(before), day, field)
    found = area_resolve(text, on=day)
    if not found.new:
        raise Invalid({field: _nothing(found)})
    assert found.default is not None
    target = found.default
    provinces = {p.province for p in found.new}
    if found.old is not None and found.old.kind == FormerArea.Kind.DISTRICT and len(provinces) == 1:
        # Districts were abolished: a matter of a whole district belongs to the province.
        target = gazetteer().areas[provinces.pop()]
    elif not found.certain and (day >= REFORM_DATE or found.old is None):
        assert found.old is not None
        raise Invalid(
            {
                field: _(
                    "%(name)s (%(code)s) was divided on 01/07/2025 between %(choices)s: "
                    "give the code of the one concerned"
                )
                % {"name": found.old.name, "code": found.old.code, "choices": _choices(found.new)}
            }
        )
    return target.code, found.old.code if found.old is not None else None


def _nothing(found: Resolution) -> str:
    if found.old is not None:
        return _("%(name)s (%(code)s) has no successor in the official conversion") % {
            "name": found.old.name,
            "code": found.old.code,
        }
    return _(
        "no area matches “%(q)s”: give the official code (2 digits for a province, "
        "5 for a commune) or the commune, district and province"
    ) % {"q": found.q[:100]}


def _chosen(text: str, before: str, day: date, field: str) -> tuple[str, str]:
    """An area in force chosen among the successors of the old area ``before``."""
    g = gazetteer()
    code = _code_of(text) if _DIGITS.match(text) else text
    area = g.areas.get(code)
    if area is None:
        raise Invalid({field: _("no area in force with code %(code)s") % {"code": text[:20]}})
    old = area_resolve(before, on=BEFORE_REFORM).old
    if old is None:
        raise Invalid(
            {"area_before": _("no area before 01/07/2025 matches “%(q)s”") % {"q": before[:100]}}
        )
    allowed = {s.code for s in g.successors.get(old.code, ())}
    if area.code not in allowed | {g.areas[c].province for c in allowed}:
        raise Invalid(
            {
                field: _("%(area)s is not among the successors of %(old)s: %(choices)s")
                % {
                    "area": f"{area.name} ({area.code})",
                    "old": f"{old.name} ({old.code})",
                    "choices": _choices(tuple(g.areas[c] for c in sorted(allowed))),
                }
            }
        )
    return area.code, old.code


def area_for_matter(
    q: str, *, on: date | None = None, before: str | None = None, field: str = "area"
) -> Area:
    """The :class:`Area` of ``area_choice`` (see there), with ``.before`` set to the former
    area when the input was one."""
    code, former = area_choice(q, on=on, before=before, field=field)
    area = Area.objects.get(code=code)
    if former is not None:
        area.before = FormerArea.objects.get(code=former, valid_to=BEFORE_REFORM)
    return area
