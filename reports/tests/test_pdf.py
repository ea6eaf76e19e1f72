"""Every report also as PDF/A signed by its unit (API.md, "Connections to the state's
systems"): ``/reports/plans/<id>.pdf`` beside ``.docx``, ``/reports/<id>/file.pdf`` beside
``/file``, and the "Signed PDF" link of the reports page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client, TestCase

from audit.models import AuditEvent
from common.ooxml import libreoffice
from conftest import make_official
from matters.models import Sequence
from reports.models import GeneratedReport
from reports.tests.test_plan_report import plan_with_history
from signing.pdfa import pdfa_problems
from signing.verify import check_pdf
from units.services import unit_create

pytestmark = pytest.mark.django_db(databases=["default", "vault"])
DAY = date(2026, 3, 16)


@pytest.fixture(autouse=True)
def _signing(settings: Any, tmp_path: Any) -> None:
    settings.SIGNING_DIR = str(tmp_path / "signing")
    settings.SIGNING_TRUST_ROOTS = ""
    settings.SIGNING_TSA_URL = ""
    settings.SIGNING_DEMO = True


def needs_libreoffice() -> None:
    missing = libreoffice.available()
    if missing:
        pytest.skip(f"no PDF: {missing} (.ci/run installs libreoffice-writer-nogui)")


def text_of(pdf: bytes) -> str:
    return "".join("".join(libreoffice.pdf_pages(pdf)).split())


@time_machine.travel(DAY, tick=False)
def test_plan_report_pdf_is_the_report_signed_by_the_plans_unit(world: Any) -> None:
    needs_libreoffice()
    plan = plan_with_history(world)
    response = world.api(world.leader_p).get(f"reports/plans/{plan}.pdf")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    pdf = response.content
    verdict = check_pdf(pdf)
    assert verdict.valid, verdict
    assert verdict.signer == world.leader_p.unit.name
    assert pdfa_problems(pdf) == []
    assert "Số:01/BC-P" in text_of(pdf)
    report = GeneratedReport.objects.get()
    assert (report.symbol, report.plan_id) == ("01/BC-P", plan)
    assert report.pdf and report.signed_at is not None
    assert AuditEvent.objects.filter(action="report.sign").count() == 1
    # The .docx path is as it was: the next one is the next number.
    docx = world.api(world.leader_p).get(f"reports/plans/{plan}.docx")
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")


@time_machine.travel(DAY, tick=False)
def test_plan_report_pdf_access(world: Any) -> None:
    needs_libreoffice()
    plan = plan_with_history(world)
    assert world.api(world.head_a).get(f"reports/plans/{plan}.pdf").status_code == 403
    outside = unit_create(
        actor=world.admin, code="D", name="Sở D", kind="department", parent=None, area="01"
    )
    head_d = make_official("head_d", outside, ["head"])
    assert world.api(head_d).get(f"reports/plans/{plan}.pdf").status_code == 404
    assert GeneratedReport.objects.count() == 0


@time_machine.travel(DAY, tick=False)
def test_no_pdf_converter_issues_nothing(world: Any, monkeypatch: Any) -> None:
    plan = plan_with_history(world)
    monkeypatch.setattr(libreoffice, "available", lambda: "soffice not installed")
    response = world.api(world.leader_p).get(f"reports/plans/{plan}.pdf")
    assert response.status_code == 503
    assert "soffice not installed" in response.json()["detail"]
    assert response["Retry-After"]
    assert GeneratedReport.objects.count() == 0
    assert not Sequence.objects.filter(scope__startswith="doc:").exists()


def periodic(world: Any) -> dict[str, Any]:
    api = world.api(world.head_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = api.post("reports", {"unit": "A", "period": "month", "year": 2026, "index": 3})
    assert asked.status_code == 202, asked.content
    return dict(api.get(f"reports/{asked.json()['id']}").json())


@time_machine.travel("2026-04-06 09:00 +07:00", tick=False)
def test_periodic_report_pdf_is_made_once_and_kept(world: Any) -> None:
    needs_libreoffice()
    report = periodic(world)
    api = world.api(world.head_a)
    first = api.get(f"reports/{report['id']}/file.pdf")
    assert first.status_code == 200, first.content[:300]
    assert check_pdf(first.content).valid
    again = api.get(f"reports/{report['id']}/file.pdf")
    assert again.content == first.content
    assert AuditEvent.objects.filter(action="report.sign").count() == 1
    # The same file from the reports page's link; others do not see the report.
    client = Client()
    client.force_login(world.head_a)
    page = client.get(f"/reports/documents/{report['id']}/download.pdf")
    assert page.status_code == 200 and page.content == first.content
    assert (
        f"/reports/documents/{report['id']}/download.pdf"
        in client.get("/reports/documents/").content.decode()
    )
    assert world.api(world.official_b).get(f"reports/{report['id']}/file.pdf").status_code == 404
    other = Client()
    other.force_login(world.official_b)
    assert other.get(f"/reports/documents/{report['id']}/download.pdf").status_code == 404


@time_machine.travel("2026-04-06 09:00 +07:00", tick=False)
def test_a_report_not_ready_has_no_pdf(world: Any) -> None:
    api = world.api(world.head_a)
    asked = api.post("reports", {"unit": "A", "period": "month", "year": 2026, "index": 3})
    assert asked.status_code == 202
    assert api.get(f"reports/{asked.json()['id']}/file.pdf").status_code == 409


@time_machine.travel(DAY, tick=False)
def test_a_unit_without_certificate_gets_unsigned_pdfa(world: Any, settings: Any) -> None:
    """Production with no certificate for the unit: PDF/A, no signature, nothing made up."""
    needs_libreoffice()
    settings.SIGNING_DEMO = False
    plan = plan_with_history(world)
    response = world.api(world.leader_p).get(f"reports/plans/{plan}.pdf")
    assert response.status_code == 200
    assert check_pdf(response.content).code == "unsigned"
    assert pdfa_problems(response.content) == []
    assert GeneratedReport.objects.get().signed_at is None
    assert AuditEvent.objects.filter(action="report.pdf").count() == 1
