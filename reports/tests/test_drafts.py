"""A periodic report is issued under a number only for a period that is over; a period still
running gives a marked, unnumbered draft. Its file names are Vietnamese, and its figures are
the dashboard's for the same unit and month (issue 14 item 5)."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine

from reports.dashboard import dashboard_refresh
from reports.models import GeneratedReport
from reports.selectors import DashFilters, dashboard_data
from reports.tests.helpers import docx_text
from reports.tests.test_periodic import ask, open_docx, petition

DAY = date(2026, 3, 10)


@time_machine.travel(DAY, tick=False)
def test_an_open_period_gives_an_unnumbered_draft(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clerk = world.api(world.clerk_a)
    petition(clerk, "A", world.commune.code, "2026-03-02")
    head = world.api(world.head_a)
    running = ask(
        head, django_capture_on_commit_callbacks, unit="A", period="month", year=2026, index=3
    )
    assert running.status_code == 202, running.content
    draft = head.get(f"reports/{running.json()['id']}").json()
    assert draft["status"] == "done"
    assert not draft["symbol"] and draft["issued_on"] is None
    saved = GeneratedReport.objects.get(pk=running.json()["id"])
    assert saved.number is None and saved.file_name == "du-thao-bao-cao-thang-3-2026.docx"
    text = docx_text(open_docx(head.get(draft["download"])))
    assert "DỰ THẢO" in text and "Số: 01/" not in text
    from django.test import Client

    browser = Client()
    browser.force_login(world.head_a)
    assert "Dự thảo, chưa lấy số" in browser.get("/reports/documents/").content.decode()
    # The draft took no number: the first report of a closed period is still 01.
    closed = ask(
        head, django_capture_on_commit_callbacks, unit="A", period="quarter", year=2025, index=4
    )
    issued = GeneratedReport.objects.get(pk=closed.json()["id"])
    assert issued.number == 1 and issued.symbol == "01/BC-A"
    assert issued.file_name == "bao-cao-quy-4-2025-so-01.docx"
    assert "DỰ THẢO" not in docx_text(open_docx(head.get(f"reports/{issued.pk}/file")))


@time_machine.travel(DAY, tick=False)
def test_report_figures_agree_with_the_dashboard(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    clerk = world.api(world.clerk_a)
    area = world.commune.code
    for day in ("2026-02-03", "2026-02-10", "2026-02-27", "2026-01-20"):
        petition(clerk, "A", area, day)
    closing = petition(clerk, "A", area, "2026-02-04", kind="proposal")
    done = clerk.post(
        f"petitions/{closing['code']}/accept",
        {"accepted_on": "2026-02-05", "complexity": "normal", "remote": False},
    )
    assert done.status_code == 200, done.content
    from reports.figures import petition_figures

    unit = world.unit_a if hasattr(world, "unit_a") else world.clerk_a.unit
    figures = petition_figures(unit, date(2026, 2, 1), date(2026, 2, 28))
    snapshot = dashboard_refresh(DAY)
    data = dashboard_data(DashFilters(unit=unit, kind="petition", period="12m"), snapshot)
    february = data["trend"]["labels"].index("02/2026")
    assert figures.total.received == 4
    assert data["trend"]["opened"][february] == figures.total.received
