"""GET /api/v1/reports/plans/<id>.docx: the report on carrying out a plan."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import time_machine
from docx import Document

from conftest import make_official
from matters.models import Sequence
from reports.models import GeneratedReport
from reports.tests.helpers import docx_text
from units.services import unit_create

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 16)


def plan_with_history(world: Any) -> int:
    """P's plan on 32-KL/TW for A, B and C: A holds its briefing late, B and C do not; A's
    task is overdue, B's done on time, C's in time."""
    p = world.api(world.leader_p)
    with time_machine.travel(date(2026, 2, 2), tick=False):
        r = p.post(
            "directives",
            {
                "number": "32-KL/TW",
                "title": "tăng cường an ninh trật tự",
                "issued_on": "2018-07-05",
                "issuer": "Bộ Chính trị",
            },
        )
        assert r.status_code == 201, r.content
        r = p.post(
            "plans",
            {
                "directive": r.json()["id"],
                "unit": "P",
                "number": "12/KH-UBND",
                "title": "thực hiện Kết luận 32-KL/TW",
                "issued_on": "2026-02-02",
                "briefing_due": "2026-02-20",
                "targets": ["A", "B", "C"],
                "parent": None,
            },
        )
        assert r.status_code == 201, r.content
        plan = r.json()["id"]
        for lead, due in (("A", "2026-03-01"), ("B", "2026-03-10"), ("C", "2026-04-30")):
            t = p.post(
                f"plans/{plan}/tasks",
                {
                    "title": f"Nhiệm vụ của {lead}",
                    "lead": lead,
                    "cooperating": [],
                    "due_on": due,
                    "area": world.commune.code,
                    "category": "public_order",
                },
            )
            assert t.status_code == 201, t.content
            if lead == "B":
                code = t.json()["code"]
    with time_machine.travel(date(2026, 2, 25), tick=False):
        b = world.api(world.head_a).post(
            f"plans/{plan}/briefings",
            {"unit": "A", "held_on": "2026-02-25", "attendees": 40, "minutes": "Đã quán triệt"},
        )
        assert b.status_code == 201, b.content
    with time_machine.travel(date(2026, 3, 5), tick=False):
        done = world.api(world.official_b).post(
            f"tasks/{code}/complete", {"completed_on": "2026-03-05", "note": "Xong"}
        )
        assert done.status_code == 200, done.content
    return int(plan)


@time_machine.travel(DAY, tick=False)
def test_plan_report_in_decree_30_format_with_units_named(world: Any) -> None:
    plan = plan_with_history(world)
    response = world.api(world.leader_p).get(f"reports/plans/{plan}.docx")
    assert response.status_code == 200, response.content
    doc = Document(io.BytesIO(response.content))
    text = docx_text(doc)
    assert "Số: 01/BC-P" in text and "Hưng Yên, ngày 16 tháng 3 năm 2026" in text
    assert "Kết quả thực hiện Kế hoạch số 12/KH-UBND ngày 02/02/2026" in text
    # Briefings: three required, one held (late), B and C missing, named.
    assert (
        "phải tổ chức hội nghị quán triệt, triển khai: 3; đã tổ chức 1 (trong đó 1 đơn vị" in text
    )
    assert "Sở B (hạn 20/02/2026)" in text and "UBND xã C (hạn 20/02/2026)" in text
    held = doc.tables[1]
    assert [c.text for c in held.rows[1].cells] == ["Sở A", "25/02/2026", "Không"]
    # Tasks by state.
    tasks = doc.tables[2]
    assert [c.text for c in tasks.rows[1].cells] == ["3", "1", "0", "1", "0", "1"]
    # Units behind: A with one overdue task.
    behind = doc.tables[3]
    assert [c.text for c in behind.rows[1].cells] == ["Sở A", "1"]
    closing = [p.text for p in doc.tables[-1].cell(0, 1).paragraphs if p.text]
    assert closing == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Leader_P"]
    recipients = [p.text for p in doc.tables[-1].cell(0, 0).paragraphs if p.text]
    assert recipients == ["Nơi nhận:", "- Bộ Chính trị;", "- Lưu: VT, P."]
    # Kept in the list with its number; the next one gets 02.
    report = GeneratedReport.objects.get()
    assert (report.kind, report.symbol, report.plan_id) == ("plan", "01/BC-P", plan)
    again = world.api(world.leader_p).get(f"reports/plans/{plan}.docx")
    assert "Số: 02/BC-P" in docx_text(Document(io.BytesIO(again.content)))


@time_machine.travel(DAY, tick=False)
def test_plan_report_access(world: Any) -> None:
    plan = plan_with_history(world)
    # A target unit sees the plan but does not issue P's report.
    assert world.api(world.head_a).get(f"reports/plans/{plan}.docx").status_code == 403
    assert world.api(world.auditor_p).get(f"reports/plans/{plan}.docx").status_code == 403
    outside = unit_create(
        actor=world.admin, code="D", name="Sở D", kind="department", parent=None, area="01"
    )
    head_d = make_official("head_d", outside, ["head"])
    assert world.api(head_d).get(f"reports/plans/{plan}.docx").status_code == 404
    assert world.api(world.leader_p).get("reports/plans/999999.docx").status_code == 404
    assert GeneratedReport.objects.count() == 0
    assert not Sequence.objects.filter(scope__startswith="doc:").exists()
