"""The official areas before 1 July 2025 and their conversion to the areas in force, built
from the packages already used for the areas in force (read by the data migration
``areas/0004``; nothing here touches the database).

Sources:

* ``vietnam-provinces`` (GPL-3.0-or-later, data of the General Statistics Office): the 63
  provinces and 696 districts before the reform, and the official conversion table of
  communes ("Bảng chuyển đổi ĐVHC mới - cũ", ``_ward_conversion_2025``): every commune in
  force on 30 June 2025 with the commune(s) it went into and whether it went in part.
* ``vietnamadminunits`` (MIT): names of the ten communes of that table that the first
  package's pre-reform list lacks (re-coded in early 2025), and, for a commune split across
  several, the successor its author marks as the default ("isDefaultNewWard").

A commune of the pre-reform list that is not in the conversion table (28 of them, merged or
re-coded before 30 June 2025) is left out: it was not in force on the eve of the reform.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.text import fold


@dataclass
class FormerRow:
    code: str
    name: str
    kind: str  # province | district | commune
    division_type: str
    parent: str | None  # the code of the district (commune) or province (district)
    province: str


@dataclass
class SuccessionRow:
    kind: str
    former: str
    area: str
    share: float
    whole: bool
    is_default: bool = False


@dataclass
class FormerTables:
    rows: list[FormerRow] = field(default_factory=list)
    successions: list[SuccessionRow] = field(default_factory=list)


def _p(code: int) -> str:
    return f"{int(code):02d}"


def _d(code: int) -> str:
    return f"{int(code):03d}"


def _c(code: int) -> str:
    return f"{int(code):05d}"


def _vau_dir() -> Path | None:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def _vau_legacy() -> dict[str, tuple[str, str, str]]:
    """Pre-reform communes of ``vietnamadminunits``: code -> (key, name, ward type)."""
    folder = _vau_dir()
    if folder is None or not (folder / "dataset.db").exists():
        return {}
    connection = sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT wardCode, provinceKey, districtKey, wardKey, ward, wardType "
            "FROM admin_units_legacy WHERE wardCode IS NOT NULL"
        ).fetchall()
    finally:
        connection.close()
    return {_c(int(r[0])): (f"{r[1]}_{r[2]}_{r[3]}", r[4], r[5] or "") for r in rows}


def _vau_defaults(legacy: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """For split communes: pre-reform code -> the default successor's code."""
    folder = _vau_dir()
    if folder is None or not (folder / "dataset.db").exists():
        return {}
    connection = sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True)
    try:
        new_codes = {
            (r[0], r[1]): _c(int(r[2]))
            for r in connection.execute(
                "SELECT provinceKey, wardKey, wardCode FROM admin_units WHERE wardCode IS NOT NULL"
            )
        }
    finally:
        connection.close()
    data = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
    by_key: dict[str, str] = {}
    for province, wards in data.get("DICT_PROVINCE_WARD_DIVIDED", {}).items():
        for old_key, choices in wards.items():
            for choice in choices:
                code = new_codes.get((province, choice.get("newWardKey")))
                if choice.get("isDefaultNewWard") and code:
                    by_key[old_key] = code
    return {code: by_key[key] for code, (key, _n, _t) in legacy.items() if key in by_key}


def _aggregate(
    kind: str,
    members: dict[str, list[str]],
    commune_rows: dict[str, list[SuccessionRow]],
    lift: dict[str, str] | None = None,
) -> list[SuccessionRow]:
    """Successions of a district (to communes) or a province (to provinces, through
    ``lift``: commune -> its province) from those of its communes: the share of each
    successor is the part of the communes (each weighted by its own share) it received."""
    out: list[SuccessionRow] = []
    for former, communes in sorted(members.items()):
        totals: dict[str, float] = defaultdict(float)
        for commune in communes:
            for row in commune_rows.get(commune, []):
                target = lift[row.area] if lift is not None else row.area
                totals[target] += row.share / len(communes)
        if not totals:
            continue
        best = max(totals.items(), key=lambda item: (item[1], -int(item[0])))[0]
        for area, share in sorted(totals.items()):
            out.append(
                SuccessionRow(
                    kind, former, area, round(share, 6), len(totals) == 1, is_default=area == best
                )
            )
    return out


def former_tables() -> FormerTables:
    """Every former province, district and commune (in force on 30 June 2025) and every
    succession row, from the packages."""
    from vietnam_provinces import Ward

    tables = FormerTables()
    tables.rows.extend(_former_provinces())
    districts = _former_districts()
    tables.rows.extend(districts.values())
    province_of = {_c(w.code.value): _p(w.province_code.value) for w in Ward.iter_all()}
    commune_rows, by_district, by_province = _former_communes(tables, set(province_of))
    tables.successions.extend(_aggregate("district", by_district, commune_rows))
    tables.successions.extend(_aggregate("province", by_province, commune_rows, province_of))
    tables.successions.extend(_island_zones(districts, by_district))
    return tables


def _former_provinces() -> list[FormerRow]:
    from vietnam_provinces.legacy import Province as OldProvince

    rows = []
    for p in OldProvince.iter_all():
        code = _p(p.code.value)
        rows.append(FormerRow(code, p.name, "province", str(p.division_type.value), None, code))
    return rows


def _former_districts() -> dict[str, FormerRow]:
    """The former districts by code, in the package's order."""
    from vietnam_provinces.legacy import District as OldDistrict

    districts: dict[str, FormerRow] = {}
    for d in OldDistrict.iter_all():
        row = FormerRow(
            _d(d.code.value),
            d.name,
            "district",
            str(d.division_type.value),
            _p(d.province_code.value),
            _p(d.province_code.value),
        )
        districts[row.code] = row
    return districts


def _former_communes(
    tables: FormerTables, new_codes: set[str]
) -> tuple[dict[str, list[SuccessionRow]], dict[str, list[str]], dict[str, list[str]]]:
    """Add the former communes and their successions to ``tables``; return the succession
    rows by commune and the communes of each former district and province that have one."""
    from vietnam_provinces import _ward_conversion_2025 as conversion
    from vietnam_provinces.legacy import Ward as OldWard

    old_wards = {_c(w.code.value): w for w in OldWard.iter_all()}
    legacy = _vau_legacy()
    defaults = _vau_defaults(legacy)
    commune_rows: dict[str, list[SuccessionRow]] = {}
    by_district: dict[str, list[str]] = defaultdict(list)
    by_province: dict[str, list[str]] = defaultdict(list)
    for old_code_int, entry in sorted(conversion.OLD_TO_NEW.items()):
        code = _c(old_code_int)
        district = _d(entry.old_ward.district_code)
        province = _p(entry.old_ward.province_code)
        ward = old_wards.get(code)
        if ward is not None:
            name, division = ward.name, str(ward.division_type.value)
        elif code in legacy:
            name, division = legacy[code][1], legacy[code][2].lower()
        else:
            continue
        tables.rows.append(FormerRow(code, name, "commune", division, district, province))
        rows = _commune_successions(code, entry, defaults.get(code), new_codes)
        if not rows:
            continue
        commune_rows[code] = rows
        tables.successions.extend(rows)
        by_district[district].append(code)
        by_province[province].append(code)
    return commune_rows, by_district, by_province


def _commune_successions(
    code: str, entry: Any, default: str | None, new_codes: set[str]
) -> list[SuccessionRow]:
    """A former commune's successors (the ones still in force), sharing it equally; the
    default is the registry's choice, else the commune of the same code, else the first."""
    successors = [_c(n.code) for n in entry.new_wards if _c(n.code) in new_codes]
    if not successors:
        return []
    if default not in successors:
        default = code if code in successors else successors[0]
    whole = not entry.old_ward.is_partly_merged
    return [
        SuccessionRow(
            "commune",
            code,
            area,
            round(1.0 / len(successors), 6),
            whole and len(successors) == 1,
            is_default=area == default,
        )
        for area in successors
    ]


def _island_zones(
    districts: dict[str, FormerRow], by_district: dict[str, list[str]]
) -> list[SuccessionRow]:
    """Island districts without communes became special zones of the same name."""
    from vietnam_provinces import Ward
    from vietnam_provinces import _province_conversion_2025 as province_conversion

    new_by_province: dict[str, dict[str, str]] = defaultdict(dict)
    for w in Ward.iter_all():
        short = fold(w.name).removeprefix("dac khu ").strip()
        new_by_province[_p(w.province_code.value)][short] = _c(w.code.value)
    zones: list[SuccessionRow] = []
    for code, row in districts.items():
        if code in by_district:
            continue
        short = fold(row.name).removeprefix("huyen ").strip()
        for target in province_conversion.OLD_TO_NEW[int(row.province)].new_provinces:
            zone = new_by_province[_p(target.code)].get(short)
            if zone:
                zones.append(SuccessionRow("district", code, zone, 1.0, True, is_default=True))
                break
    return zones
