"""Every kind of .docx and .xlsx that dutdiem writes, made the way an official gets it (through
the API, from data filed through the API), for the checks in this folder; and every .docx
that also answers as signed PDF/A (``PDF_KINDS``).

Adding a document kind to every check is one line in ``KINDS`` (and its maker here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.test import Client, TestCase

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


@dataclass(frozen=True)
class Kind:
    name: str
    extension: str  # "docx" or "xlsx"
    make: Callable[[Any], bytes]
    # Text that must come out of the document as LibreOffice prints it.
    says: tuple[str, ...] = field(default=())


def _body(response: Any, content_type: str) -> bytes:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith(content_type)
    return bytes(response.content)


def _plan(world: Any) -> int:
    """P's plan with its history, made once per world (both plan documents read it)."""
    from reports.tests.test_plan_report import plan_with_history

    if not hasattr(world, "ooxml_plan"):
        world.ooxml_plan = plan_with_history(world)
    return int(world.ooxml_plan)


def plan_report(world: Any) -> bytes:
    plan = _plan(world)
    with time_machine.travel("2026-03-16 09:00 +07:00", tick=False):
        return _body(world.api(world.leader_p).get(f"reports/plans/{plan}.docx"), DOCX)


def periodic_report(world: Any) -> bytes:
    """The quarterly report of department A on petitions: a month would do as well, the
    builder is the same; a quarter has a category table too."""
    api, report = _periodic(world)
    return _body(api.get(report["download"]), DOCX)


def _periodic(world: Any) -> tuple[Any, dict[str, Any]]:
    from registry.tests.helpers import file

    with time_machine.travel("2026-04-06 09:00 +07:00", tick=False):
        for day, category in (("2026-02-03", "land"), ("2026-03-10", "environment")):
            file(world, received_on=day, category=category, summary=f"Đơn về {category}")
        api = world.api(world.head_a)
        with TestCase.captureOnCommitCallbacks(execute=True):
            asked = api.post(
                "reports", {"unit": "A", "period": "quarter", "year": 2026, "index": 1}
            )
        assert asked.status_code == 202, asked.content
        report = api.get(f"reports/{asked.json()['id']}").json()
        assert report["status"] == "done", report
        return api, report


def progress_template(world: Any) -> bytes:
    plan = _plan(world)
    with time_machine.travel("2026-03-16 09:00 +07:00", tick=False):
        return _body(world.api(world.head_a).get(f"plans/{plan}/progress-template.xlsx"), XLSX)


def register_template(world: Any) -> bytes:
    client = Client()
    client.force_login(world.clerk_a)
    return _body(client.get("/registry/import/template.xlsx"), XLSX)


def petitions_export(world: Any) -> bytes:
    from registry.tests.helpers import file, travel

    with travel():
        file(world)
        file(world, kind="denunciation", category="corruption", summary="=1+1 tố cáo")
        file(world, kind="proposal", summary="Kiến nghị", petitioners=[])
        return _body(world.api(world.head_a).get("reports/petitions.xlsx"), XLSX)


def indicators(world: Any) -> bytes:
    from statements.tests.test_api import deliver, open_statement

    with time_machine.travel("2026-12-16 09:00 +07:00", tick=False):
        code = open_statement(world, triggered_at="2026-09-01T10:00:00+07:00")["code"]
        deliver(world, code, "2026-09-01T20:00:00+07:00", form="press_conference")
        open_statement(world, trigger="press_request", triggered_at="2026-10-01T10:00:00+07:00")
        response = world.api(world.head_a).get("statements/indicators.xlsx", unit="A", year=2026)
        return _body(response, XLSX)


def _reception_data(world: Any) -> None:
    """A reception session of A with a complaint, a sealed denunciation and a group visit."""
    from datetime import date

    from petitions.services.reception import reception_session_create, visit_record

    if getattr(world, "ooxml_visits", False):
        return
    session = reception_session_create(
        actor=world.head_a, held_on=date(2026, 3, 10), place="Trụ sở Sở A"
    )
    for kind, name in (("complaint", "Nguyễn Văn An"), ("denunciation", "Người tố cáo")):
        visit_record(
            actor=world.clerk_a,
            session=session,
            visited_on=date(2026, 3, 10),
            full_name=name,
            id_document="034080001234",
            content="=1+1 nội dung vụ việc",
            petition={"kind": kind, "area": world.commune.code, "category": "land"},
        )
    visit_record(actor=world.clerk_a, visited_on=date(2026, 3, 11), content="Phản ánh", people=12)
    world.ooxml_visits = True


def reception_book(world: Any) -> bytes:
    from registry.tests.helpers import travel

    with travel():
        _reception_data(world)
        return _body(world.api(world.head_a).get("reports/registers/reception.xlsx"), XLSX)


def processing_book(world: Any) -> bytes:
    from registry.tests.helpers import travel

    with travel():
        _reception_data(world)
        return _body(world.api(world.head_a).get("reports/registers/processing.xlsx"), XLSX)


DECREE_30 = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Nơi nhận:")

KINDS = [
    Kind(
        "plan report",
        "docx",
        plan_report,
        (
            *DECREE_30,
            "UBND TỈNH",
            "Số: 01/BC-P",
            "Hưng Yên, ngày 16 tháng 3 năm 2026",
            "BÁO CÁO",
            "Kết quả thực hiện Kế hoạch số 12/KH-UBND ngày 02/02/2026",
            "- Bộ Chính trị;",
            "- Lưu: VT, P.",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Leader_P",
        ),
    ),
    Kind(
        "periodic report",
        "docx",
        periodic_report,
        (
            *DECREE_30,
            "UBND TỈNH",
            "SỞ A",
            "Số: 01/BC-A",
            "Hưng Yên, ngày 06 tháng 4 năm 2026",
            "BÁO CÁO",
            "- UBND tỉnh;",
            "- Thanh tra tỉnh;",
            "- Lưu: VT, A.",
            "GIÁM ĐỐC",
            "Head_A",
        ),
    ),
    Kind("progress template", "xlsx", progress_template, ("Mã nhiệm vụ", "Tiến độ (%)")),
    Kind("register import template", "xlsx", register_template, ("Ngày nhận", "Cách ghi")),
    Kind("petitions.xlsx export", "xlsx", petitions_export, ("Mã đơn", "Khiếu nại")),
    Kind("Decree 244 indicators", "xlsx", indicators, ("Nghị định 244/2026/NĐ-CP",)),
    Kind("book of citizen reception", "xlsx", reception_book, ("SỔ TIẾP CÔNG DÂN", "Hướng xử lý")),
    Kind(
        "book of processing petitions",
        "xlsx",
        processing_book,
        ("SỔ THEO DÕI TIẾP NHẬN, XỬ LÝ ĐƠN", "Kết quả xử lý đơn"),
    ),
]


@dataclass(frozen=True)
class PdfKind:
    name: str
    # The .docx and the same document as PDF, both as an official downloads them.
    make: Callable[[Any], tuple[bytes, bytes]]
    says: tuple[str, ...] = field(default=())


def plan_report_pdf(world: Any) -> tuple[bytes, bytes]:
    from reports.models import GeneratedReport

    plan = _plan(world)
    with time_machine.travel("2026-03-16 09:00 +07:00", tick=False):
        pdf = _body(world.api(world.leader_p).get(f"reports/plans/{plan}.pdf"), PDF)
    # The .pdf path issues the report as the .docx path does; this is the .docx it made.
    report = GeneratedReport.objects.filter(plan_id=plan).latest("id")
    with report.file.open("rb") as handle:
        return handle.read(), pdf


def periodic_report_pdf(world: Any) -> tuple[bytes, bytes]:
    api, report = _periodic(world)
    with time_machine.travel("2026-04-06 09:05 +07:00", tick=False):
        docx = _body(api.get(report["download"]), DOCX)
        return docx, _body(api.get(report["download"] + ".pdf"), PDF)


PDF_KINDS = [
    PdfKind("plan report", plan_report_pdf, KINDS[0].says),
    PdfKind("periodic report", periodic_report_pdf, KINDS[1].says),
]
