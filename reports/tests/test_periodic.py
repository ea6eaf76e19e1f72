"""The periodic report on petitions and citizen reception: who may ask for it, what it says,
its number, its file and its list; and the schedule."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
import time_machine
from docx import Document
from docx.shared import Mm

from matters.models import Sequence
from reports.models import GeneratedReport, ReportSchedule
from reports.tests.helpers import docx_text, make_matter

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 10)


def petition(
    api: Any,
    owner: str,
    area: str,
    received_on: str,
    kind: str = "complaint",
    category: str = "land",
) -> dict[str, Any]:
    """A petition through the public contract of API.md."""
    body = {
        "kind": kind,
        "channel": "in_person",
        "received_on": received_on,
        "area": area,
        "category": category,
        "summary": f"Đơn {kind} về {category}",
        "content": "Nội dung đơn",
        "petitioners": [
            {
                "full_name": "Nguyễn Văn An",
                "id_number": "001203004567",
                "address": "Hưng Yên",
                "phone": "0912345678",
            }
        ],
        "signers": 1,
        "confirm_date": True,
        "owner": owner,
    }
    response = api.post("petitions", body)
    assert response.status_code == 201, response.content
    return response.json()


def ask(api: Any, callbacks: Any, **body: Any) -> Any:
    with callbacks(execute=True):
        return api.post("reports", body)


def open_docx(response: Any) -> Any:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return Document(io.BytesIO(response.content))


@time_machine.travel(DAY, tick=False)
def test_owner_gets_a_numbered_report_with_the_figures(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clerk = world.api(world.clerk_a)
    area = world.commune.code
    first = petition(clerk, "A", area, "2026-02-03", "complaint", "land")
    petition(clerk, "A", area, "2026-02-10", "proposal", "environment")
    petition(clerk, "A", area, "2026-01-20", "complaint", "land")  # carried over
    accepted = clerk.post(
        f"petitions/{first['code']}/accept",
        {"accepted_on": "2026-02-05", "complexity": "normal", "remote": False},
    )
    assert accepted.status_code == 200, accepted.content

    response = ask(
        world.api(world.head_a),
        django_capture_on_commit_callbacks,
        unit="A",
        period="month",
        year=2026,
        index=2,
    )
    assert response.status_code == 202
    report = world.api(world.head_a).get(f"reports/{response.json()['id']}").json()
    assert report["status"] == "done" and report["progress"] == 100
    assert report["symbol"] == "01/BC-A" and report["issued_on"] == "2026-03-10"

    doc = open_docx(world.api(world.head_a).get(report["download"]))
    text = docx_text(doc)
    assert "Số: 01/BC-A" in text
    assert "Hưng Yên, ngày 10 tháng 3 năm 2026" in text
    assert "tháng 2 năm 2026" in text
    header = doc.tables[0]
    assert header.cell(0, 0).paragraphs[0].text == "UBND TỈNH"  # parent body of a department
    assert header.cell(0, 0).paragraphs[1].text == "SỞ A"
    # The table by kind: complaint row = carried 1, received 1, accepted 1.
    by_kind = doc.tables[1]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in by_kind.rows[1:]}
    assert rows["Khiếu nại"][:2] == ["1", "1"]
    assert rows["Khiếu nại"][3] == "1"  # accepted in the period
    assert rows["Kiến nghị, phản ánh"][:2] == ["0", "1"]
    assert rows["Tổng cộng"][:2] == ["1", "2"]
    # Signed by the head who asked; recipients end with the archive line.
    closing = doc.tables[-1]
    signature = [p.text for p in closing.cell(0, 1).paragraphs if p.text]
    assert signature == ["GIÁM ĐỐC", "Head_A"]
    recipients = [p.text for p in closing.cell(0, 0).paragraphs if p.text]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT, A."
    assert abs(doc.sections[0].page_width - Mm(210)) < Mm(0.5)


@time_machine.travel(DAY, tick=False)
def test_numbers_are_gapless_per_unit_and_restart_each_year(
    world: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    api = world.api(world.head_a)
    symbols = []
    for index in (1, 2):
        r = ask(
            api,
            django_capture_on_commit_callbacks,
            unit="A",
            period="month",
            year=2026,
            index=index,
        )
        symbols.append(api.get(f"reports/{r.json()['id']}").json()["symbol"])
    assert symbols == ["01/BC-A", "02/BC-A"]
    # Another unit has its own register.
    other = ask(
        world.api(world.head_b),
        django_capture_on_commit_callbacks,
        unit="B",
        period="quarter",
        year=2025,
        index=4,
    )
    assert (
        world.api(world.head_b).get(f"reports/{other.json()['id']}").json()["symbol"] == "01/BC-B"
    )

    # A generation that fails gives its number back.
    def boom(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.services.petitions_document", boom)
    failed = ask(api, django_capture_on_commit_callbacks, unit="A", period="year", year=2025)
    assert api.get(f"reports/{failed.json()['id']}").json()["status"] == "failed"
    monkeypatch.undo()
    again = ask(api, django_capture_on_commit_callbacks, unit="A", period="year", year=2025)
    assert api.get(f"reports/{again.json()['id']}").json()["symbol"] == "03/BC-A"

    with time_machine.travel(date(2027, 1, 4), tick=False):
        nxt = ask(api, django_capture_on_commit_callbacks, unit="A", period="year", year=2026)
        assert api.get(f"reports/{nxt.json()['id']}").json()["symbol"] == "01/BC-A"


@time_machine.travel(DAY, tick=False)
def test_visible_but_not_own_unit_is_403_and_outsider_404(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    body = {"unit": "A", "period": "month", "year": 2026, "index": 2}
    forbidden = ask(world.api(world.leader_p), django_capture_on_commit_callbacks, **body)
    assert forbidden.status_code == 403
    assert "detail" in forbidden.json()
    missing = ask(world.api(world.official_b), django_capture_on_commit_callbacks, **body)
    assert missing.status_code == 404
    auditor = ask(
        world.api(world.auditor_p), django_capture_on_commit_callbacks, **{**body, "unit": "P"}
    )
    assert auditor.status_code == 403  # an auditor reads, never issues
    assert GeneratedReport.objects.count() == 0
    assert not Sequence.objects.filter(scope__startswith="doc:").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"unit": "A", "period": "week", "year": 2026, "index": 1}, "period"),
        ({"unit": "A", "period": "month", "year": 2026, "index": 13}, "index"),
        ({"unit": "A", "period": "quarter", "year": 2026, "index": 5}, "index"),
        ({"unit": "A", "period": "month", "year": 1999, "index": 1}, "year"),
        ({"unit": "A", "period": "month", "year": 2026}, "index"),
        ({"unit": "A", "period": "month", "year": 2026, "index": 4}, "year"),  # not started yet
        ({"period": "month", "year": 2026, "index": 1}, "unit"),
    ],
)
@time_machine.travel(DAY, tick=False)
def test_bad_input_is_422_naming_the_field_and_changes_nothing(
    world: Any, django_capture_on_commit_callbacks: Any, body: dict[str, Any], field: str
) -> None:
    response = ask(world.api(world.head_a), django_capture_on_commit_callbacks, **body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert GeneratedReport.objects.count() == 0
    assert not Sequence.objects.filter(scope__startswith="doc:").exists()


@time_machine.travel(DAY, tick=False)
def test_reading_and_downloading_follow_the_unit_tree(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    made = ask(
        world.api(world.head_a),
        django_capture_on_commit_callbacks,
        unit="A",
        period="month",
        year=2026,
        index=2,
    ).json()
    # The province's leader oversees A: reads and downloads it.
    assert world.api(world.leader_p).get(f"reports/{made['id']}/file").status_code == 200
    assert world.api(world.leader_p).get("reports").json()["count"] == 1
    # B does not see A: 404 on the report, its file and an empty list.
    assert world.api(world.official_b).get(f"reports/{made['id']}").status_code == 404
    assert world.api(world.official_b).get(f"reports/{made['id']}/file").status_code == 404
    assert world.api(world.official_b).get("reports").json() == {"items": [], "count": 0}
    assert world.api(world.official_b).get("reports", unit="A").status_code == 404
    # The web download checks the same.
    from django.test import Client

    browser = Client()
    browser.force_login(world.official_b)
    assert browser.get(f"/reports/documents/{made['id']}/download/").status_code == 404
    browser.force_login(world.head_a)
    download = browser.get(f"/reports/documents/{made['id']}/download/")
    assert download.status_code == 200
    assert re.search(
        r'filename="bao-cao-thang-2-2026-so-01\.docx"', download["Content-Disposition"]
    )


@time_machine.travel(DAY, tick=False)
def test_the_web_form_asks_for_a_report_and_the_list_shows_progress(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.head_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reports/documents/", {"period": "quarter", "year": 2025, "index": 4}
        )
    # Quarter 4 of 2025 is over: accepted, issued by the immediate backend.
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    assert report.status == "done" and report.symbol == "01/BC-A"
    page = client.get("/reports/documents/")
    assert "01/BC-A" in page.content.decode()
    row = client.get(f"/reports/documents/{report.pk}/status/")
    assert row.status_code == 200 and "hx-trigger" not in row.content.decode()
    bad = client.post("/reports/documents/", {"period": "month", "year": 2026, "index": 14})
    assert bad.status_code == 422
    assert GeneratedReport.objects.count() == 1
    client.force_login(world.leader_p)
    assert (
        client.post(
            "/reports/documents/", {"period": "month", "year": 2026, "index": 1}
        ).status_code
        == 302
    )
    client.force_login(world.auditor_p)
    assert (
        client.post(
            "/reports/documents/", {"period": "month", "year": 2026, "index": 1}
        ).status_code
        == 403
    )


def test_pending_row_polls_for_progress(world: Any) -> None:
    from django.test import Client

    report = GeneratedReport.objects.create(
        unit=world.a, kind="petitions", title="x", period="month"
    )
    client = Client()
    client.force_login(world.head_a)
    body = client.get(f"/reports/documents/{report.pk}/status/").content.decode()
    assert 'hx-trigger="every 1s"' in body and "<progress" in body
    client.force_login(world.official_b)
    assert client.get(f"/reports/documents/{report.pk}/status/").status_code == 404


@time_machine.travel(DAY, tick=False)
def test_schedule_makes_each_report_once_after_its_period(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from reports.services import schedules_run

    response = world.api(world.head_a).post("reports/schedules", {"unit": "A", "period": "month"})
    assert response.status_code == 200
    assert response.json()["next_period_start"] == "2026-03-01"
    assert (
        world.api(world.leader_p)
        .post("reports/schedules", {"unit": "A", "period": "month"})
        .status_code
        == 403
    )
    assert (
        world.api(world.official_b)
        .post("reports/schedules", {"unit": "A", "period": "month"})
        .status_code
        == 404
    )
    assert (
        world.api(world.head_a)
        .post("reports/schedules", {"unit": "A", "period": "week"})
        .status_code
        == 422
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert schedules_run(date(2026, 3, 31)) == 0  # March not over yet
    with (
        time_machine.travel(date(2026, 5, 2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert schedules_run() == 2  # March and April
        assert schedules_run() == 0  # never twice
    reports = list(GeneratedReport.objects.order_by("period_start"))
    assert [(r.period_start, r.status, r.scheduled) for r in reports] == [
        (date(2026, 3, 1), "done", True),
        (date(2026, 4, 1), "done", True),
    ]
    assert [r.symbol for r in reports] == ["01/BC-A", "02/BC-A"]
    assert ReportSchedule.objects.get().next_period_start == date(2026, 5, 1)


@time_machine.travel(DAY, tick=False)
def test_matters_without_petition_details_still_count(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_matter(world.a, opened_on=date(2026, 2, 2), due_on=date(2026, 2, 20))
    made = ask(
        world.api(world.head_a),
        django_capture_on_commit_callbacks,
        unit="A",
        period="month",
        year=2026,
        index=2,
    ).json()
    doc = open_docx(world.api(world.head_a).get(f"reports/{made['id']}/file"))
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in doc.tables[1].rows[1:]}
    assert rows["Tổng cộng"][1] == "1"
    assert "Sở A (1 đơn)" in docx_text(doc)


@time_machine.travel(DAY, tick=False)
def test_demo_schedules_asks_for_last_month_and_counts(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from types import SimpleNamespace

    from reports import demo
    from reports.models import DashSnapshot

    ctx = SimpleNamespace(
        units={"HY-BTCD": world.a, "HY-TTR": world.b},
        officials={"tcd.truongban": world.head_a, "thanhtra.chanhtt": world.head_b},
        log=[],
    )
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(ctx)
    report = GeneratedReport.objects.get()
    assert (report.unit, report.period_start, report.status) == (world.a, date(2026, 2, 1), "done")
    assert sorted(ReportSchedule.objects.values_list("period", flat=True)) == ["month", "quarter"]
    assert DashSnapshot.objects.get().as_of == DAY
