"""GET /api/v1/reports/petitions.xlsx: the register with the import columns (it imports
back), statistics, defused formulas, text IDs, never a sealed identity; access and 422."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from matters.models import Matter
from registry import register as reg
from registry.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

SENTINEL = "Trần Thị Sentinel"
SENTINEL_ID = "079199000123"


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def workbook(response: Any) -> Any:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def register_rows(book: Any) -> list[dict[str, Any]]:
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


def test_register_and_statistics(world: Any) -> None:
    file(
        world,
        petitioners=[
            {
                "full_name": '=HYPERLINK("http://x")',
                "id_number": "034080001234",
                "phone": "0912345678",
            }
        ],
        summary="@SUM(A1) tóm tắt",
    )
    file(
        world,
        kind="denunciation",
        category="corruption",
        summary="Tố cáo",
        petitioners=[
            {
                "full_name": SENTINEL,
                "id_number": SENTINEL_ID,
                "address": "Ngõ Kín",
                "phone": "0987000111",
            }
        ],
    )
    file(world, user=world.official_b, kind="proposal", summary="Kiến nghị của B", petitioners=[])
    book = workbook(world.api(world.head_a).get("reports/petitions.xlsx"))
    assert book.sheetnames[0] == "Sổ đơn" and "Thống kê" in book.sheetnames
    rows = register_rows(book)
    assert [r["Mã đơn"] for r in rows] == [
        "D2026-33-000001",
        "D2026-33-000002",
    ]  # B's is not visible to A
    first, sealed = rows
    for column in reg.COLUMNS:
        assert column in first
    assert first[reg.NAME] == '\'=HYPERLINK("http://x")'
    assert first[reg.SUMMARY] == "'@SUM(A1) tóm tắt"
    assert first[reg.ID_NUMBER] == "034080001234" and first[reg.PHONE] == "0912345678"
    assert first[reg.KIND] == "Khiếu nại" and first[reg.CHANNEL] == "Bưu chính"
    sheet = book.worksheets[0]
    assert sheet["E2"].number_format == "@" and sheet["E2"].data_type == "s"
    assert sheet["A2"].number_format == "dd/mm/yyyy"
    assert sealed[reg.KIND] == "Tố cáo"
    assert sealed[reg.NAME] is None and sealed[reg.ID_NUMBER] is None and sealed[reg.PHONE] is None
    everything = " ".join(
        str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r if c
    )
    assert (
        SENTINEL not in everything and SENTINEL_ID not in everything and "Ngõ Kín" not in everything
    )
    stats = [r for r in book["Thống kê"].iter_rows(values_only=True)]
    flat = {r[0]: r[1] for r in stats if r and r[0]}
    assert flat["Khiếu nại"] == 1 and flat["Tố cáo"] == 1 and flat["Kiến nghị, phản ánh"] == 0
    assert flat["Sở A"] == 2


def test_filters_and_bad_input(world: Any) -> None:
    file(world, received_on="2026-03-02")
    file(world, received_on="2026-02-10", summary="Đơn tháng hai")
    api = world.api(world.leader_p)
    assert (
        len(register_rows(workbook(api.get("reports/petitions.xlsx", **{"from": "2026-03-01"}))))
        == 1
    )
    assert len(register_rows(workbook(api.get("reports/petitions.xlsx", to="2026-02-28")))) == 1
    assert len(register_rows(workbook(api.get("reports/petitions.xlsx", unit="A")))) == 2
    assert len(register_rows(workbook(api.get("reports/petitions.xlsx", unit="B")))) == 0
    bad = api.get("reports/petitions.xlsx", **{"from": "2026-03-05", "to": "2026-03-01"})
    assert bad.status_code == 422 and "to" in bad.json()["errors"]
    bad = api.get("reports/petitions.xlsx", **{"from": "05/03/2026"})
    assert bad.status_code == 422 and "from" in bad.json()["errors"]
    assert world.api(world.official_b).get("reports/petitions.xlsx", unit="A").status_code == 404
    assert world.api(None).get("reports/petitions.xlsx").status_code == 401


def test_an_export_imports_back(world: Any, tmp_path: Path) -> None:
    file(world)
    file(
        world,
        kind="denunciation",
        category="corruption",
        summary="Tố cáo",
        petitioners=[{"full_name": SENTINEL, "id_number": SENTINEL_ID}],
    )
    file(world, kind="proposal", channel="in_person", summary="=1+1 kiến nghị", petitioners=[])
    response = world.api(world.head_a).get("reports/petitions.xlsx")
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    out = io.StringIO()
    call_command("import_petitions", str(path), "--unit", "C", stdout=out)
    assert out.getvalue().strip() == "imported 3"
    imported = Matter.objects.filter(owner__code="C").order_by("code")
    assert [m.title for m in imported] == [
        "Khiếu nại quyết định thu hồi đất",
        "Tố cáo",
        "=1+1 kiến nghị",
    ]


def test_template_download(world: Any) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.clerk_a)
    response = client.get("/registry/import/template.xlsx")
    book = workbook(response)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == reg.COLUMNS
    assert sheet["E2"].number_format == "@" and sheet["G2"].number_format == "@"
    assert "Hướng dẫn" in book.sheetnames
