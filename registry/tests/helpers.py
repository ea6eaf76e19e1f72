"""Shared bits of the register tests: registers as .xlsx files, petitions filed through the
intake API."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import time_machine
from openpyxl import Workbook

from registry import register as reg

NOW = "2026-03-16 09:00 +07:00"


def travel(when: str = NOW) -> Any:
    return time_machine.travel(when, tick=False)


def row(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        reg.DATE: "02/03/2026",
        reg.KIND: "Khiếu nại",
        reg.CHANNEL: "Bưu chính",
        reg.NAME: "Nguyễn Văn An",
        reg.ID_NUMBER: "034080001234",
        reg.ADDRESS: "Thôn Đông, xã Tân Lập",
        reg.PHONE: "0912345678",
        reg.AREA: "33",
        reg.CATEGORY: "Đất đai",
        reg.SUMMARY: "Khiếu nại quyết định thu hồi đất",
        reg.CONTENT: "Gia đình tôi không đồng ý với quyết định thu hồi đất số 12/QĐ-UBND.",
        reg.SIGNERS: 1,
    }
    data.update(overrides)
    return data


def register(
    path: Path,
    rows: list[dict[str, Any]],
    columns: list[str] | None = None,
    font: str | None = None,
) -> Path:
    """Write ``rows`` under a header of ``columns`` (default: all, in the API.md order)."""
    from openpyxl.styles import Font

    columns = columns or reg.COLUMNS
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for item in rows:
        sheet.append([item.get(c) for c in columns])
    if font:
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                cell.font = Font(name=font)
    workbook.save(path)
    return path


def petition_body(world: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "complaint",
        "channel": "post",
        "received_on": "2026-03-02",
        "area": world.commune.code,
        "category": "land",
        "summary": "Khiếu nại quyết định thu hồi đất",
        "content": "Gia đình tôi không đồng ý với quyết định thu hồi đất số 12/QĐ-UBND ngày 05/01/2026 "
        "của Ủy ban nhân dân xã vì chưa được bồi thường thỏa đáng.",
        "petitioners": [
            {
                "full_name": "Nguyễn Văn An",
                "id_number": "034080001234",
                "address": "Thôn Đông",
                "phone": "0912345678",
            }
        ],
        "confirm_date": True,
    }
    data.update(overrides)
    return data


def file(world: Any, user: Any = None, **overrides: Any) -> dict[str, Any]:
    response = world.api(user or world.clerk_a).post("petitions", petition_body(world, **overrides))
    assert response.status_code == 201, response.content
    return response.json()


def received(day: str) -> date:
    return date.fromisoformat(day)
