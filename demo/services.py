"""The demo province: Hưng Yên (code 33), which absorbed Thái Bình in 2025 — the province of
the seed article. Units, officials, and whatever each app adds through its ``demo`` module."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from accounts.services import official_create
from areas.models import Area
from units.models import Unit
from units.services import unit_create

PROVINCE = "33"
DEMO_PASSWORD = "dutdiem-demo-2026"
# Apps that add demo data, in the order they depend on each other.
DEMO_APPS = [
    "petitions",
    "areas",
    "plans",
    "cases",
    "reviews",
    "statements",
    "alerts",
    "reports",
    "notifications",
    "citizens",
]

PROVINCE_UNITS = [
    # code, name, kind, parent
    ("HY-TU", "Tỉnh ủy Hưng Yên", "party_committee", None),
    ("HY-BNC", "Ban Nội chính Tỉnh ủy", "party_committee", "HY-TU"),
    ("HY-UBND", "Ủy ban nhân dân tỉnh Hưng Yên", "peoples_committee", "HY-TU"),
    ("HY-CA", "Công an tỉnh Hưng Yên", "police", "HY-UBND"),
    ("HY-BCHQS", "Bộ Chỉ huy Quân sự tỉnh Hưng Yên", "military", "HY-UBND"),
    ("HY-TTR", "Thanh tra tỉnh Hưng Yên", "inspectorate", "HY-UBND"),
    ("HY-BTCD", "Ban Tiếp công dân tỉnh Hưng Yên", "reception_office", "HY-UBND"),
    ("HY-STC", "Sở Tài chính", "department", "HY-UBND"),
    ("HY-SNNMT", "Sở Nông nghiệp và Môi trường", "department", "HY-UBND"),
    ("HY-SXD", "Sở Xây dựng", "department", "HY-UBND"),
    ("HY-SNV", "Sở Nội vụ", "department", "HY-UBND"),
    ("HY-STP", "Sở Tư pháp", "department", "HY-UBND"),
]

OFFICIALS = [
    # username, full name, unit, roles
    ("bithu", "Nguyễn Văn Bình", "HY-TU", ["head"]),
    ("noichinh.truongban", "Vũ Đức Hải", "HY-BNC", ["head"]),
    ("ubnd.chutich", "Trần Quốc Toản", "HY-UBND", ["head"]),
    ("ubnd.phochutich", "Lê Thị Hồng", "HY-UBND", ["leader"]),
    ("ubnd.chuyenvien", "Phạm Minh Đức", "HY-UBND", ["handler"]),
    ("tcd.truongban", "Đỗ Thị Lan", "HY-BTCD", ["head"]),
    ("tcd.vanthu", "Ngô Thị Mai", "HY-BTCD", ["clerk"]),
    ("tcd.thuly", "Bùi Văn Nam", "HY-BTCD", ["handler"]),
    ("thanhtra.chanhtt", "Hoàng Văn Sơn", "HY-TTR", ["head"]),
    ("thanhtra.thuly", "Đinh Thị Thu", "HY-TTR", ["handler"]),
    ("thanhtra.kiemtra", "Vương Thị Hà", "HY-TTR", ["auditor"]),
    ("congan.giamdoc", "Nguyễn Đình Khang", "HY-CA", ["head"]),
    ("congan.canbo", "Lý Văn Tùng", "HY-CA", ["handler"]),
    ("quansu.chihuytruong", "Trịnh Văn Quân", "HY-BCHQS", ["head"]),
    ("stc.giamdoc", "Phan Thị Ngọc", "HY-STC", ["head"]),
    ("stc.chuyenvien", "Tạ Văn Long", "HY-STC", ["handler", "clerk"]),
    ("snnmt.giamdoc", "Cao Văn Tiến", "HY-SNNMT", ["head"]),
    ("snnmt.chuyenvien", "Mai Thị Yến", "HY-SNNMT", ["handler"]),
]


@dataclass
class DemoContext:
    admin: User
    units: dict[str, Unit] = field(default_factory=dict)
    communes: list[Unit] = field(default_factory=list)
    officials: dict[str, User] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def commune_unit_code(area_code: str) -> str:
    return f"UBND-{area_code}"


@transaction.atomic
def demo_load() -> DemoContext:
    """Create the demo province from scratch. Call only on an empty database."""
    admin = User.objects.create_superuser("admin", "", DEMO_PASSWORD, full_name="Quản trị hệ thống")
    ctx = DemoContext(admin=admin)
    for code, name, kind, parent in PROVINCE_UNITS:
        ctx.units[code] = unit_create(
            actor=admin, code=code, name=name, kind=kind, parent=parent, area=PROVINCE
        )
    for area in Area.objects.filter(parent_id=PROVINCE).order_by("code"):
        unit = unit_create(
            actor=admin,
            code=commune_unit_code(area.code),
            name=f"UBND {area.name}",
            kind="peoples_committee",
            parent="HY-UBND",
            area=area.code,
        )
        ctx.communes.append(unit)
        ctx.units[unit.code] = unit
    officials: list[tuple[str, str, str, list[str]]] = list(OFFICIALS)
    for i, unit in enumerate(ctx.communes[:3], start=1):
        officials.append((f"xa{i}.chutich", f"Chủ tịch {unit.name}", unit.code, ["head"]))
        officials.append((f"xa{i}.vanthu", f"Văn thư {unit.name}", unit.code, ["clerk", "handler"]))
    hashed = make_password(DEMO_PASSWORD)
    for username, full_name, unit_code, roles in officials:
        ctx.officials[username] = official_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            password_hash=hashed,
            full_name=full_name,
            unit=unit_code,
            roles=roles,
        )
    for app in DEMO_APPS:
        try:
            module: Any = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        module.load(ctx)
    return ctx
