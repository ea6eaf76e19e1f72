"""The sentinel: a denouncer's name, ID, address and phone planted at intake must appear in
no response, page, export, notification, audit record, log line or database row of a full
scenario, except in the answers to audited reveals (SECURITY.md, "Sealed identity"). The
forms searched for, and the opening of .xlsx files to search inside them, are in
``common.testing.sentinel``; ``ops/tests/test_sentinel_sweep`` sweeps every endpoint, page,
export, backup and log with the same sentinel."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.test import Client

from audit.models import AuditEvent
from common.testing.sentinel import ADDRESS, ID_NUMBER, NAME, PHONE, Seen
from notifications.models import Notification
from registry.tests.helpers import travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def _all_rows(alias: str) -> str:
    """Every value of every table of a database, as text."""
    connection = connections[alias]
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                chunks.append(
                    " ".join(
                        bytes(v).decode("utf-8", "replace")
                        if isinstance(v, bytes | memoryview)
                        else str(v)
                        for v in row
                    )
                )
    return "\n".join(chunks)


def test_the_denouncer_appears_nowhere(
    world: Any, caplog: Any, tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world.head_a.email = "head_a@example.org"
    world.head_a.save(update_fields=["email"])
    caplog.set_level(logging.DEBUG)
    for alias in ("default", "vault"):
        connections[alias].force_debug_cursor = True  # SQL and its parameters go to the log
    seen = Seen()
    handler, head, clerk, other = (
        world.api(u) for u in (world.handler_a, world.head_a, world.clerk_a, world.official_b)
    )
    with travel(), django_capture_on_commit_callbacks(execute=True):
        person = {"full_name": NAME, "id_number": ID_NUMBER, "address": ADDRESS, "phone": PHONE}
        body: dict[str, Any] = {
            "kind": "denunciation",
            "channel": "in_person",
            "received_on": "2026-03-02",
            "area": "33",
            "category": "corruption",
            "summary": "Tố cáo cán bộ địa chính nhận tiền",
            "content": "Cán bộ địa chính xã nhận tiền khi làm hồ sơ cấp giấy chứng nhận quyền sử dụng đất.",
            "petitioners": [
                {"full_name": NAME, "id_number": ID_NUMBER, "address": ADDRESS, "phone": PHONE}
            ],
            "signers": 1,
            "confirm_date": True,
        }
        created = seen.add(
            "intake", handler.post("petitions", body, headers={"Idempotency-Key": "k-1"})
        ).json()
        code = created["code"]
        seen.add(
            "intake retry", handler.post("petitions", body, headers={"Idempotency-Key": "k-1"})
        )
        seen.add(
            "intake refused",
            handler.post(
                "petitions",
                {**body, "petitioners": [{**person, "phone": "x" + PHONE}]},
            ),
        )
        seen.add("intake refused type", handler.post("petitions", {**body, "signers": NAME}))
        # The same denouncer files again elsewhere: unit B is not told of A's sealed petition
        # (that would say who the denouncer is); A's handler is, without names.
        again = seen.add(
            "intake B",
            other.post("petitions", {**body, "content": "Tố cáo lần hai, nội dung khác hẳn."}),
        ).json()
        assert code not in again["duplicates"]
        assert Notification.objects.filter(
            user=world.handler_a, kind="petition.duplicate_elsewhere", matter=code
        ).exists()
        for user_api, who in (
            (handler, "handler"),
            (clerk, "clerk"),
            (head, "head"),
            (world.api(world.leader_p), "leader"),
        ):
            seen.add(f"list {who}", user_api.get("petitions"))
            seen.add(f"matters {who}", user_api.get("matters", kind="petition"))
            seen.add(f"detail {who}", user_api.get(f"petitions/{code}"))
            seen.add(f"deadline {who}", user_api.get(f"petitions/{code}/deadline"))
            seen.add(f"duplicates {who}", user_api.get(f"petitions/{code}/duplicates"))
            seen.add(f"search {who}", user_api.get("petitions", q="Sentinel"))
        seen.add(
            "check",
            clerk.post(
                "petitions/duplicates/check", {"kind": "denunciation", "id_numbers": [ID_NUMBER]}
            ),
        )
        seen.add("identity denied", clerk.get(f"petitions/{code}/identity", reason="x"))
        seen.add("identity outsider", other.get(f"petitions/{code}/identity", reason="x"))
        revealed = handler.get(f"petitions/{code}/identity", reason="xác minh nội dung tố cáo")
        assert NAME in revealed.content.decode()  # the one audited reveal: not added to `seen`
        moved = seen.add(
            "transfer",
            handler.post(
                f"petitions/{code}/transfer",
                {
                    "to": "B",
                    "reason": "Không thuộc thẩm quyền",
                    "legal_basis": "Điều 24 Luật Tố cáo 2018",
                },
            ),
        )
        assert moved.status_code == 200 and moved.json()["owner"] == "B"
        assert seen.add(
            "identity after transfer", handler.get(f"petitions/{code}/identity", reason="x")
        ).status_code in (403, 404)
        assert seen.add(
            "identity head after transfer", head.get(f"petitions/{code}/identity", reason="x")
        ).status_code in (403, 404)
        accepted = seen.add(
            "accept",
            other.post(
                f"petitions/{code}/accept", {"accepted_on": "2026-03-05", "complexity": "normal"}
            ),
        )
        assert accepted.status_code == 200, accepted.content
        seen.add("detail B", other.get(f"petitions/{code}"))
        seen.add("audit", world.api(world.auditor_p).get("audit/events", matter=code))
        seen.add("audit all", world.api(world.auditor_p).get("audit/events", page_size=500))
        seen.add("export A", head.get("reports/petitions.xlsx"))
        seen.add("export P", world.api(world.leader_p).get("reports/petitions.xlsx"))
        seen.add("export B", world.api(world.head_b).get("reports/petitions.xlsx"))
        seen.add(
            "public",
            Client().get(f"/api/v1/public/petitions/{code}", {"pin": created["receipt_pin"]}),
        )
        seen.add(
            "public wrong", Client().get(f"/api/v1/public/petitions/{code}", {"pin": "000000"})
        )
        seen.add(
            "public page",
            Client().post("/registry/track/", {"code": code, "pin": created["receipt_pin"]}),
        )
        browser = Client()
        browser.force_login(world.head_b)
        for url in (
            "/",
            "/matters/",
            "/petitions/",
            f"/petitions/{code}/",
            f"/registry/petition/{code}/identity/",
            f"/registry/petition/{code}/duplicates/",
            f"/registry/petition/{code}/receipt/",
            "/petitions/D2026-33-999999/",
            "/registry/petition/D2026-33-999999/identity/",
            "/no/such/page/",
        ):
            seen.add(f"page {url}", browser.get(url))
        seen.add(
            "receipt print", browser.post(f"/registry/petition/{code}/receipt/", {"reissue": "1"})
        )
        # The registers (cell by cell: an .xlsx is compressed), the national records as the
        # worker delivers them and as export-national writes them, the outbox pages.
        for book in ("reception", "processing"):
            response = head.get(f"reports/registers/{book}.xlsx")
            seen.add(
                f"register {book}",
                _xlsx_text(response) if response.status_code == 200 else response,
            )
        seen.add(
            "export P (cells)", _xlsx_text(world.api(world.leader_p).get("reports/petitions.xlsx"))
        )
        settings.OUTBOX_DIR = tmp_path / "outbox"
        from outbox.services import deliver_due

        deliver_due()
        sent = sorted((tmp_path / "outbox").rglob("*.json"))
        assert sent
        seen.add("outbox files", "\n".join(p.read_text(encoding="utf-8") for p in sent))
        national = tmp_path / "national.jsonl"
        call_command(
            "export_national", since="2026-01-01", output=str(national), stdout=io.StringIO()
        )
        seen.add("export-national", national.read_text(encoding="utf-8"))
        admin = Client()
        admin.force_login(world.admin)
        seen.add("outbox page", admin.get("/outbox/"))
        seen.add("outbox sent page", admin.get("/outbox/sent/"))
        out = io.StringIO()
        export = tmp_path / "export.xlsx"
        export.write_bytes(head.get("reports/petitions.xlsx").content)
        call_command("import_petitions", str(export), "--unit", "C", stdout=out, stderr=out)
        seen.add("import output", out.getvalue())
        seen.add("vault status", _command("vault", "status"))
    for note in Notification.objects.all():
        seen.add(f"notification {note.kind}", note.text + " " + note.url)
    for message in mail.outbox:
        seen.add("mail", message.subject + " " + message.body)
    for event in AuditEvent.objects.all():
        seen.add(f"audit {event.action}", str(event.data) + event.actor + event.matter)
    seen.add(
        "log",
        "\n".join(
            r.getMessage() + " " + str(getattr(r, "sql", "")) + " " + str(getattr(r, "params", ""))
            for r in caplog.records
        ),
    )
    seen.add("default database", _all_rows("default"))
    seen.add("vault database (plain text)", _all_rows("vault"))
    assert len(seen.items) > 60
    assert seen.leaks() == []
    # And the reveal was audited, once.
    assert AuditEvent.objects.filter(action="identity.reveal", matter=code).count() == 1


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def _xlsx_text(response: Any) -> str:
    from openpyxl import load_workbook

    assert response.status_code == 200, response.content[:200]
    book = load_workbook(io.BytesIO(response.content))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
