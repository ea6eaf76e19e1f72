"""Issue 13, findings 3, 4, 7 and 8: what the edge refuses, and that it refuses it with a 4xx
naming the field before anything is stored or parsed."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import ninja
import pytest
from django.test import Client
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from calendars.models import CalendarDay
from common.errors import Invalid
from common.schema import Schema
from units.models import Unit

UNIT = {"code": "X1", "name": "Phòng X", "kind": "department", "parent": "P"}


# --- finding 4: control characters -------------------------------------------------------------


@pytest.mark.parametrize("bad", ["ab\u0000cd", "ab\u0007cd", "ab\u001bcd", "ab\u0085cd"])
def test_api_refuses_control_characters_naming_the_field(world: Any, bad: str) -> None:
    response = world.api(world.admin).post("units", {**UNIT, "name": bad})
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert not Unit.objects.filter(code="X1").exists()


def test_single_line_field_refuses_a_line_break(world: Any) -> None:
    response = world.api(world.admin).post("units", {**UNIT, "name": "Phòng\nX"})
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
    assert not Unit.objects.filter(code="X1").exists()


def test_form_refuses_control_characters_naming_the_field(world: Any) -> None:
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        "/calendar/", {"day": "2026-05-04", "kind": "off", "note": "nghỉ\u0001bù"}
    )
    assert response.status_code == 400
    assert "note" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_query_string_refuses_control_characters(world: Any) -> None:
    response = world.api(world.admin).get("units", parent="P\u0000")
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]


def test_exports_drop_what_a_cell_cannot_hold() -> None:
    from registry.register import defuse
    from statements.indicators import _safe

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([WriteOnlyCell(sheet, value=defuse("ab\u0000cd")), _safe("x\u0008y")])
    book.save(io.BytesIO())
    assert defuse("ab\u0000cd") == "abcd"


# --- finding 7: 500s on odd input --------------------------------------------------------------


def test_lone_surrogate_is_400_not_500(world: Any) -> None:
    body = '{"username": "\\ud800", "password": "x"}'
    response = Client().post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 400
    assert "username" in response.json()["errors"]
    response = world.api(world.admin).client.post(
        "/api/v1/units",
        json.dumps({**UNIT, "name": "X"}).replace('"X"', '"\\udfff"'),
        content_type="application/json",
        headers=world.api(world.admin).headers,
    )
    assert response.status_code == 400


def test_integer_beyond_64_bits_is_refused(world: Any) -> None:
    response = world.api(world.clerk_a).post("cases", {"title": "Vụ việc", "participants": 2**64})
    assert response.status_code == 400
    assert "participants" in response.json()["errors"]


@pytest.mark.parametrize("year", ["2.025", "\u00b2", "99999", "2100", "-1"])
def test_calendar_page_with_odd_year_is_a_clean_page(world: Any, year: str) -> None:
    client = Client()
    client.force_login(world.admin)
    assert client.get("/calendar/", {"year": year}).status_code == 200


def test_calendar_day_outside_the_calendar_is_422(world: Any) -> None:
    response = world.api(world.admin).put("calendar/days/2100-01-01", {"kind": "off"})
    assert response.status_code == 422
    assert "day" in response.json()["errors"]


def _progress_workbook() -> bytes:
    book = Workbook()
    book.active.append(["Mã nhiệm vụ", "Tiến độ (%)", "Ngày báo cáo"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item))
    return out.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    b"</sheetData></worksheet>"
)


def test_billion_laughs_progress_workbook_is_refused() -> None:
    from plans.spreadsheet import _read

    data = _replace_member(_progress_workbook(), "xl/worksheets/sheet1.xml", BILLION_LAUGHS)
    with pytest.raises(Invalid) as refused:
        _read(io.BytesIO(data))
    assert "file" in refused.value.errors


# --- finding 3: the import bomb ----------------------------------------------------------------


def _bomb(expanded: int) -> bytes:
    """A workbook-shaped zip whose sheet unpacks to ``expanded`` bytes of blanks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1024 * 1024)
            for _ in range(expanded // len(block)):
                member.write(block)
    return out.getvalue()


def test_register_bomb_is_refused_before_parsing(world: Any, monkeypatch: Any) -> None:
    from registry.services import importer

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(importer.CalamineWorkbook, "from_filelike", never)
    monkeypatch.setattr(importer, "load_workbook", never)
    data = _bomb(64 * 1024 * 1024)
    assert len(data) < 1024 * 1024
    with pytest.raises(Invalid) as refused:
        importer.read_register(io.BytesIO(data), world.a)
    assert "file" in refused.value.errors


def test_progress_bomb_is_refused_before_parsing(monkeypatch: Any) -> None:
    from plans import spreadsheet

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(spreadsheet, "load_workbook", never)
    with pytest.raises(Invalid) as refused:
        spreadsheet._read(io.BytesIO(_bomb(16 * 1024 * 1024)))
    assert "file" in refused.value.errors


def test_archive_expanding_past_the_ceiling_is_refused(settings: Any) -> None:
    import os

    from common.archive import check_xlsx_archive

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(3 * 1024 * 1024))
    with pytest.raises(Invalid) as refused:
        check_xlsx_archive(out.getvalue(), max_expanded=2 * 1024 * 1024)
    assert "file" in refused.value.errors
    check_xlsx_archive(out.getvalue(), max_expanded=4 * 1024 * 1024)


# --- finding 8: lengths ------------------------------------------------------------------------


def test_megabyte_unit_code_is_refused(world: Any) -> None:
    response = world.api(world.admin).post("units", {**UNIT, "code": "X" * 1_000_000})
    assert response.status_code in (400, 422)
    assert "code" in response.json()["errors"]
    assert not Unit.objects.filter(name="Phòng X").exists()


def test_case_title_and_summary_have_a_ceiling(world: Any) -> None:
    api = world.api(world.clerk_a)
    response = api.post("cases", {"title": "T" * 5000})
    assert response.status_code == 422
    assert "title" in response.json()["errors"]
    response = api.post("cases", {"title": "T", "summary": "S" * 200_000})
    assert response.status_code in (400, 422)
    assert "summary" in response.json()["errors"]


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    subs: list[type] = cls.__subclasses__()
    for sub in subs:
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_every_api_schema_takes_the_edge_rules() -> None:
    """A schema built on ninja.Schema directly would skip the text rules: CI refuses it."""
    import config.api  # noqa: F401 - registers every app's API

    ours = [
        cls
        for cls in _subclasses(ninja.Schema)
        if cls.__module__.split(".")[0] not in ("ninja", "common", "abc")
        and not cls.__module__.startswith("ninja")
        and "Params" not in cls.__name__
    ]
    assert ours
    strays = [f"{c.__module__}.{c.__name__}" for c in ours if not issubclass(c, Schema)]
    assert not strays, strays


def test_deeply_nested_body_is_400(world: Any) -> None:
    api = world.api(world.admin)
    body = "[" * 100_000 + "]" * 100_000
    response = api.client.post(
        "/api/v1/units", body, content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400


def test_api_body_sent_as_text_is_checked_too(world: Any) -> None:
    api = world.api(world.admin)
    body = json.dumps({**UNIT, "name": "ab\u0000cd"})
    response = api.client.post(
        "/api/v1/units", body, content_type="text/plain", headers=api.headers
    )
    assert response.status_code in (400, 422)
    assert not Unit.objects.filter(code="X1").exists()


def test_path_with_a_control_character_is_400(world: Any) -> None:
    response = world.api(world.admin).post("/api/v1/officials/ab%07cd/deactivate")
    assert response.status_code == 400
