"""GET /api/v1/reports/registers/{reception,processing}.xlsx: the books of Circular 05/2021
laid out as the paper forms; a denouncer only ever "sealed"; formulas defused, codes and
ID numbers as text; access by scope, 404 out of it, 422 on bad dates."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from petitions.services.reception import reception_session_create, visit_record
from registry.registers import PROCESSING_COLUMNS, RECEPTION_COLUMNS, SEALED
from registry.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

SENTINEL = "Trần Thị Sentinel Sổ"
SENTINEL_ID = "079199000777"
FIRST_DATA_ROW = 10


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def book(response: Any) -> Any:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def data_rows(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))


def everything(sheet: Any) -> str:
    return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_book_of_citizen_reception(world: Any) -> None:
    session = reception_session_create(
        actor=world.head_a, held_on=date(2026, 3, 10), place="Trụ sở Sở A"
    )
    accepted = visit_record(
        actor=world.clerk_a,
        session=session,
        visited_on=date(2026, 3, 10),
        full_name='=HYPERLINK("http://x")',
        address="Thôn Đông",
        id_document="034080001234",
        content="Khiếu nại việc thu hồi đất",
        prior_handling="UBND xã C",
        request="Xem xét lại",
        petition={"kind": "complaint", "area": world.commune.code, "category": "land"},
    )
    transferred = visit_record(
        actor=world.clerk_a,
        session=session,
        visited_on=date(2026, 3, 10),
        full_name=SENTINEL,
        address="Số 9 ngõ Kín",
        id_document=SENTINEL_ID,
        content="Tố cáo cán bộ nhận tiền",
        petition={"kind": "denunciation", "area": world.commune.code, "category": "corruption"},
    )
    assert transferred.petition is not None
    code = transferred.petition.matter.code
    assert accepted.petition is not None
    assert (
        world.api(world.clerk_a)
        .post(f"petitions/{accepted.petition.matter.code}/accept", {"accepted_on": "2026-03-11"})
        .status_code
        == 200
    )
    moved = world.api(world.clerk_a).post(
        f"petitions/{code}/transfer",
        {"to": "B", "reason": "Thuộc Sở B", "legal_basis": "Điều 24 Luật Tố cáo"},
    )
    assert moved.status_code == 200
    visit_record(
        actor=world.clerk_a,
        visited_on=date(2026, 3, 11),
        full_name="Đoàn hộ dân thôn Tây",
        content="Phản ánh ô nhiễm",
        people=12,
    )
    visit_record(
        actor=world.official_b, visited_on=date(2026, 3, 11), content="Ở Sở B", full_name="B"
    )

    sheet = book(world.api(world.head_a).get("reports/registers/reception.xlsx"))
    # The form: header block, title, the two heading rows (merged), the column numbers.
    assert sheet["A4"].value == "SỔ TIẾP CÔNG DÂN"
    assert [c.value for c in sheet[9]] == [f"({i})" for i in range(1, 12)]
    assert sheet.cell(row=7, column=7).value == "Hướng xử lý"
    assert [sheet.cell(row=8, column=c).value for c in (7, 8, 9)] == [
        sub for _h, sub, _w in RECEPTION_COLUMNS[6:9]
    ]
    assert "G7:I7" in {str(r) for r in sheet.merged_cells.ranges}
    rows = data_rows(sheet)
    assert [r[0] for r in rows] == [1, 2, 3]  # A's book only: B's visit is not in it
    first, second, third = rows
    assert first[2].startswith("'=HYPERLINK") and "034080001234" in first[2]
    assert first[5] == "UBND xã C" and first[6] == "X"
    assert "Yêu cầu: Xem xét lại" in first[3]
    assert first[4].startswith("Khiếu nại")
    assert second[2] == SEALED and second[8] == "X — Sở B"
    assert third[4] == "Không có đơn / Đoàn đông người, 12 người"
    text = everything(sheet)
    for secret in (SENTINEL, SENTINEL_ID, "Số 9 ngõ Kín"):
        assert secret not in text
    # The province's leader sees both units' books; a range leaves the 11th out.
    leader = world.api(world.leader_p)
    assert len(data_rows(book(leader.get("reports/registers/reception.xlsx")))) == 4
    only_10 = leader.get(
        "reports/registers/reception.xlsx", **{"from": "2026-03-10", "to": "2026-03-10"}
    )
    assert len(data_rows(book(only_10))) == 2


def test_book_of_processing_petitions(world: Any) -> None:
    complaint = file(
        world,
        petitioners=[
            {"full_name": "Nguyễn Văn An", "id_number": "034080001234", "address": "Thôn Đông"}
        ],
        summary="@SUM(A1) khiếu nại",
    )["code"]
    sealed = file(
        world,
        kind="denunciation",
        petitioners=[{"full_name": SENTINEL, "id_number": SENTINEL_ID, "address": "Ngõ Kín"}],
        summary="Tố cáo cán bộ",
    )["code"]
    refused = file(world, summary="Đơn quá hạn")["code"]
    api = world.api(world.clerk_a)
    api.post(f"petitions/{refused}/refuse", {"reason": "Hết thời hiệu", "ground": "time_bar"})
    api.post(
        f"petitions/{sealed}/transfer",
        {"to": "B", "reason": "Thuộc Sở B", "legal_basis": "Điều 24 Luật Tố cáo"},
    )
    api.post(f"petitions/{complaint}/accept", {"accepted_on": "2026-03-05"})

    sheet = book(world.api(world.leader_p).get("reports/registers/processing.xlsx"))
    assert [c.value for c in sheet[9]] == [f"({i})" for i in range(1, len(PROCESSING_COLUMNS) + 1)]
    rows = {r[1]: r for r in data_rows(sheet)}
    assert set(rows) == {complaint, sealed, refused}
    a = rows[complaint]
    assert a[4] == "Nguyễn Văn An\nThôn Đông" and a[5] == "034080001234"
    assert a[6].startswith("'@SUM") and a[11] is not None
    b = rows[sealed]
    assert b[4] == SEALED and b[5] == SEALED and b[7] == "Tố cáo"
    assert b[12] == "Sở B (Điều 24 Luật Tố cáo)" and b[17] == "Sở B"
    assert rows[refused][14] == "Hết thời hiệu"
    # Codes and ID numbers are text cells (leading zeros kept).
    for cell in sheet[FIRST_DATA_ROW]:
        if cell.column in (2, 6, 11):
            assert cell.data_type == "s" and cell.number_format == "@"
    text = everything(sheet)
    assert SENTINEL not in text and SENTINEL_ID not in text


def test_registers_access_and_bad_input(world: Any) -> None:
    file(world)
    other = world.api(world.official_b)
    for name in ("reception", "processing"):
        path = f"reports/registers/{name}.xlsx"
        # A's petitions are not in B's book; naming A is out of B's scope (404).
        assert data_rows(book(other.get(path))) == []
        assert other.get(path, unit="A").status_code == 404
        bad = world.api(world.head_a).get(path, **{"from": "2026-03-10", "to": "2026-03-01"})
        assert bad.status_code == 422 and "to" in bad.json()["errors"]
        assert world.api(None).get(path).status_code == 401
    assert (
        len(
            data_rows(
                book(world.api(world.head_a).get("reports/registers/processing.xlsx", unit="A"))
            )
        )
        == 1
    )
    assert world.api(world.head_a).get("reports/registers/other.xlsx").status_code == 404


def test_export_page_offers_the_books(world: Any, client: Any) -> None:
    client.force_login(world.head_a)
    page = client.get("/registry/export/").content.decode()
    assert 'value="reception"' in page and 'value="processing"' in page
    response = client.get("/registry/export/", {"book": "reception", "start": "2026-03-01"})
    assert response["Location"] == "/api/v1/reports/registers/reception.xlsx?from=2026-03-01"
    assert "/registry/export/" in client.get("/reports/documents/").content.decode()
