"""Bulk progress from a spreadsheet (all or nothing, every error named) and uploaded
minutes (types checked by content, size cap, served after a permission check)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from openpyxl import Workbook, load_workbook

from plans.models import Briefing, ProgressReport
from plans.spreadsheet import COLUMNS
from plans.tests.conftest import make_task

DAY = "2026-03-02"


def workbook(rows: list[list], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(api, plan: int, data: bytes, name: str = "tien-do.xlsx"):
    return api.client.post(
        f"/api/v1/plans/{plan}/progress.xlsx",
        {"file": SimpleUploadedFile(name, data)},
        headers=api.headers,
    )


def test_template_lists_the_tasks_the_unit_reports_on(pw):
    w = pw.w
    with time_machine.travel(DAY, tick=False):
        mine = make_task(w.api(w.leader_p), pw.plan, "A", "2026-04-30")
        make_task(w.api(w.leader_p), pw.plan, "B", "2026-04-30")
        r = w.api(w.handler_a).get(f"plans/{pw.plan}/progress-template.xlsx")
        assert r.status_code == 200
        sheet = load_workbook(io.BytesIO(r.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == COLUMNS
        assert [row[0] for row in rows[1:]] == [mine]
        assert (
            w.api(pw.official_d).get(f"plans/{pw.plan}/progress-template.xlsx").status_code == 404
        )


def test_import_all_rows(pw):
    w = pw.w
    with time_machine.travel(DAY, tick=False):
        api = w.api(w.leader_p)
        t1 = make_task(api, pw.plan, "A", "2026-04-30")
        t2 = make_task(api, pw.plan, "A", "2026-04-30", ["B"])
        data = workbook(
            [
                [t1, "", "", "", 30, "01/03/2026", "", "Đã triển khai", None],
                [t2, "", "", "", "45%", date(2026, 3, 2), "2026-02", "", date(2026, 3, 2)],
            ]
        )
        r = upload(w.api(w.head_a), pw.plan, data)
        assert r.status_code == 200, r.content
        assert r.json() == {"imported": 2}
        body = w.api(w.head_a).get(f"tasks/{t2}").json()
        assert body["state"] == "done_on_time" and body["progress"] == 100
        assert w.api(w.head_a).get(f"tasks/{t1}").json()["progress"] == 30


def test_import_with_bad_rows_imports_nothing_and_names_every_error(pw):
    w = pw.w
    with time_machine.travel(DAY, tick=False):
        api = w.api(w.leader_p)
        t1 = make_task(api, pw.plan, "A", "2026-04-30")
        t2 = make_task(api, pw.plan, "A", "2026-04-30", ["B"])
        other = make_task(api, pw.plan, "B", "2026-04-30")
        t3 = make_task(api, pw.plan, "A", "2026-04-30")
        data = workbook(
            [
                [t1, "", "", "", 30, "01/03/2026", "", "", None],  # fine
                [t2, "", "", "", 130, "31/02/2026", "", "", None],  # bad progress and date
                [other, "", "", "", 10, "01/03/2026", "", "", None],  # not A's
                [t1, "", "", "", 40, "01/03/2026", "", "", None],  # twice
                ["", "", "", "", "", "", "", "", None],  # blank: skipped
                [t3, "", "", "", 20, "05/03/2026", "2026/02", "", None],  # future date, bad period
            ]
        )
        r = upload(w.api(w.handler_a), pw.plan, data)
        assert r.status_code == 422
        errors = r.json()["errors"]
        assert set(errors) == {
            "row 3, Tiến độ (%)",
            "row 3, Ngày báo cáo",
            "row 4, Mã nhiệm vụ",
            "row 5, Mã nhiệm vụ",
            "row 7, Ngày báo cáo",
            "row 7, Kỳ báo cáo",
        }, errors
        assert ProgressReport.objects.count() == 0
        # Only the lead unit finishes a task.
        r = upload(
            w.api(w.official_b),
            pw.plan,
            workbook([[t2, "", "", "", 100, "01/03/2026", "", "", "01/03/2026"]]),
        )
        assert r.status_code == 422 and "row 2, Ngày hoàn thành" in r.json()["errors"]
        assert ProgressReport.objects.count() == 0


def test_import_refuses_what_is_not_a_workbook_or_lacks_columns(pw):
    w = pw.w
    with time_machine.travel(DAY, tick=False):
        r = upload(w.api(w.handler_a), pw.plan, b"%PDF-1.4 not a workbook")
        assert r.status_code == 422 and "file" in r.json()["errors"]
        r = upload(
            w.api(w.handler_a), pw.plan, workbook([["x"]], header=["Mã nhiệm vụ", "Ghi chú"])
        )
        assert r.status_code == 422
        assert set(r.json()["errors"]) == {"row 1, Tiến độ (%)", "row 1, Ngày báo cáo"}
        assert upload(w.api(pw.official_d), pw.plan, workbook([])).status_code == 404


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def minutes(api, briefing: int, data: bytes, name: str):
    return api.client.post(
        f"/api/v1/briefings/{briefing}/minutes",
        {"file": SimpleUploadedFile(name, data)},
        headers=api.headers,
    )


def test_minutes_upload_checked_by_content_and_served_after_permission_check(pw):
    w = pw.w
    with time_machine.travel(DAY, tick=False):
        r = w.api(w.head_c).post(
            f"plans/{pw.plan}/briefings", {"unit": "C", "held_on": "2026-02-20", "attendees": 12}
        )
        bid = r.json()["id"]
        # A script named .pdf is refused: the content decides.
        r = minutes(w.api(w.head_c), bid, b"<script>alert(1)</script>", "bien-ban.pdf")
        assert r.status_code == 422 and "file" in r.json()["errors"]
        assert minutes(w.api(w.head_a), bid, b"%PDF-1.7\n...", "x.pdf").status_code == 403
        assert minutes(w.api(pw.official_d), bid, b"%PDF-1.7\n...", "x.pdf").status_code == 404
        r = minutes(w.api(w.head_c), bid, docx_bytes(), "Biên bản hội nghị.docx")
        assert r.status_code == 200 and r.json()["minutes_name"] == "Biên bản hội nghị.docx"
        url = r.json()["minutes_file"]
        got = w.api(w.leader_p).get(url)
        assert got.status_code == 200 and b"word/document.xml" in b"".join(got.streaming_content)
        assert "attachment" in got["Content-Disposition"]
        assert w.api(pw.official_d).get(url).status_code == 404
        # The page link too: login, then the same check.
        client = Client()
        client.force_login(pw.official_d)
        assert client.get(f"/plans/briefings/{bid}/minutes/").status_code == 404
        with override_settings(UPLOAD_MAX_BYTES=100):
            r = minutes(w.api(w.head_c), bid, b"%PDF-1.7\n" + b"x" * 200, "big.pdf")
            assert r.status_code == 422 and "vượt quá dung lượng" in r.json()["errors"]["file"]
        assert Briefing.objects.get(pk=bid).minutes_name == "Biên bản hội nghị.docx"


def test_directive_file_by_registering_unit(pw):
    w = pw.w
    with time_machine.travel(DAY, tick=False):
        url = f"/api/v1/directives/{pw.directive}/file"
        pdf = b"%PDF-1.4\nKet luan 32\n"
        r = w.api(w.head_a).client.post(
            url, {"file": SimpleUploadedFile("kl32.pdf", pdf)}, headers=w.api(w.head_a).headers
        )
        assert r.status_code == 403
        r = w.api(w.leader_p).client.post(
            url,
            {"file": SimpleUploadedFile("kl32.exe", b"MZ\x90\x00")},
            headers=w.api(w.leader_p).headers,
        )
        assert r.status_code == 422
        r = w.api(w.leader_p).client.post(
            url, {"file": SimpleUploadedFile("kl32.pdf", pdf)}, headers=w.api(w.leader_p).headers
        )
        assert r.status_code == 200 and r.json()["file_name"] == "kl32.pdf"
        got = w.api(pw.official_d).get(r.json()["file"])
        assert got.status_code == 200 and b"".join(got.streaming_content) == pdf
        assert got["Content-Type"] == "application/pdf"
