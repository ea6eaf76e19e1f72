"""What a unit prints at the top and bottom of its documents: parent body, issuing body, the
code in its document numbers, its place name, and who signs with which authority."""

from __future__ import annotations

import re
from typing import Any

from areas.models import Area
from reports.docx import Signature
from units.models import Unit

# kind -> (collective authority when the head signs, head's title, deputy's title)
TITLES: dict[str, tuple[str, str, str]] = {
    Unit.Kind.PEOPLES_COMMITTEE: ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    Unit.Kind.PARTY_COMMITTEE: ("TM. BAN THƯỜNG VỤ", "BÍ THƯ", "PHÓ BÍ THƯ"),
    Unit.Kind.DEPARTMENT: ("", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    Unit.Kind.POLICE: ("", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    Unit.Kind.MILITARY: ("", "CHỈ HUY TRƯỞNG", "PHÓ CHỈ HUY TRƯỞNG"),
    Unit.Kind.INSPECTORATE: ("", "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA"),
    Unit.Kind.RECEPTION_OFFICE: ("", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
}
# Bodies that print no parent body above their name (they are the top of their branch here).
NO_PARENT_LINE = {Unit.Kind.PEOPLES_COMMITTEE, Unit.Kind.PARTY_COMMITTEE}
PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "Đặc khu ", "Phường ", "Xã ", "Thị trấn ")


def issuer_code(unit: Unit) -> str:
    """The issuing body's part of a document number: the last group of the unit code that
    has a letter (``HY-STC`` → ``STC``, ``UBND-11953`` → ``UBND``)."""
    parts = [p for p in re.split(r"[-_.\s/]+", unit.code.upper()) if p]
    lettered = [p for p in parts if re.search(r"[A-ZĐ]", p)]
    return (lettered or parts or ["VP"])[-1]


def parent_body(unit: Unit) -> str:
    if unit.kind in NO_PARENT_LINE or unit.parent is None:
        return ""
    return unit.parent.name


def place_name(unit: Unit) -> str:
    """The place written before the date: the commune for a commune's bodies, else the
    province (without "Tỉnh"/"Thành phố")."""
    area: Area | None = unit.area
    if area is None:
        return ""
    name = area.name
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def signature_for(unit: Unit, user: Any | None) -> Signature:
    """The head signs for the body (TM.) or in their own right; a leader of the unit signs
    on the head's behalf (KT.); a document drafted by anyone else is laid out for the head."""
    authority, head_title, deputy_title = TITLES.get(
        unit.kind, ("", "THỦ TRƯỞNG", "PHÓ THỦ TRƯỞNG")
    )
    if user is not None and getattr(user, "unit_id", None) == unit.id:
        if unit.head_id == user.pk:
            return Signature(authority, head_title, user.full_name or user.username)
        if user.has_role("leader"):
            return Signature(f"KT. {head_title}", deputy_title, user.full_name or user.username)
    head = unit.head
    return Signature(authority, head_title, (head.full_name or head.username) if head else "")


def default_recipients(unit: Unit, extra: list[str] | None = None) -> list[str]:
    lines = []
    if unit.parent is not None:
        lines.append(unit.parent.name)
    lines.extend(extra or [])
    return lines
