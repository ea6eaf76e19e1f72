"""The sentinel sweep: a sealed denouncer's name, ID number, address and phone, planted at
intake, are searched for in everything the running system gives out or keeps outside the
vault, in every form that could leak them (``common.testing.sentinel``):

- every GET endpoint of the API (from its OpenAPI schema), as every persona and anonymous,
  with the petition's code and with codes and ids that do not exist (errors too), and the
  searches for the name and the ID;
- every page each persona reaches by following links from the home page, and error pages;
- every export: the petition register (.xlsx), a periodic report, the plan report (.docx);
- a backup file (``dutdiem backup``), as written and decrypted member by member;
- every log line (SQL with its parameters, the access log, formatted as in production);
- notifications and e-mail;
- the main database: the SQLite file's bytes (every page, free pages holding deleted rows
  included) or, on PostgreSQL, a plain ``pg_dump``; every statement sent to it is in the
  logs searched above, so a value that passed through the write-ahead log is caught there.

The one allowed answer is the audited reveal to the handler. ``registry/tests/test_sentinel``
follows the same denouncer through a whole petition's life; this one sweeps.
"""

from __future__ import annotations

import logging
import re
import subprocess
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
from ops import backup
from ops.logging import JsonFormatter
from registry.tests.helpers import travel

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])
PERSONAS = (
    "clerk_a",
    "handler_a",
    "head_a",
    "official_b",
    "head_b",
    "head_c",
    "leader_p",
    "auditor_p",
    "admin",
)
PAGES_PER_PERSONA = 80
SKIP_PAGES = re.compile(r"^/(static/|accounts/logout|i18n/|admin/|api/)")


def _denunciation() -> dict[str, Any]:
    return {
        "kind": "denunciation",
        "channel": "in_person",
        "received_on": "2026-03-02",
        "area": "33",
        "category": "corruption",
        "summary": "Tố cáo cán bộ địa chính nhận tiền",
        "content": "Cán bộ địa chính xã nhận tiền khi làm hồ sơ cấp giấy chứng nhận.",
        "petitioners": [
            {"full_name": NAME, "id_number": ID_NUMBER, "address": ADDRESS, "phone": PHONE}
        ],
        "signers": 1,
        "confirm_date": True,
    }


def _get_paths(client: Client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return sorted(path for path, ops in schema["paths"].items() if "get" in ops)


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(?:int:)?(\w+)\}", lambda m: values.get(m.group(1), "1"), path)


def _crawl(client: Client, seen: Seen, who: str, failures: list[str]) -> int:
    """Follow same-site links breadth-first from the home page; returns pages fetched."""
    queue, visited = ["/"], set[str]()
    while queue and len(visited) < PAGES_PER_PERSONA:
        url = queue.pop(0)
        if url in visited or SKIP_PAGES.match(url):
            continue
        visited.add(url)
        response = client.get(url)
        seen.add(f"page {who} {url} [{response.status_code}]", response)
        if response.status_code >= 500:
            failures.append(f"page {who} {url}")
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in re.findall(r'href="(/[^"#]*)"', response.content.decode("utf-8", "replace")):
            link = link.replace("&amp;", "&")
            if link not in visited:
                queue.append(link)
    return len(visited)


def _database_image(seen: Seen, tmp_path: Path) -> None:
    connection = connections["default"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # The database file as written, page for page (free pages with deleted rows too).
        seen.add("main database file", connection.connection.serialize())
        return
    settings_dict = connection.settings_dict
    dump = subprocess.run(
        [backup._pg_tool("pg_dump"), "-Fp", "-d", str(settings_dict["NAME"])],
        env=backup._pg_env(settings_dict),
        capture_output=True,
        check=True,
    )
    seen.add("main database pg_dump", dump.stdout)


def test_the_sealed_denouncer_is_nowhere_but_in_the_audited_reveal(
    world: Any, caplog: Any, tmp_path: Path, settings: Any
) -> None:
    settings.BACKUP_KEY = "ab" * 32
    world.head_a.email = "head_a@example.org"
    world.head_a.save(update_fields=["email"])
    caplog.set_level(logging.DEBUG)
    for alias in ("default", "vault"):
        connections[alias].force_debug_cursor = True  # every statement and its parameters
    seen = Seen()
    apis = {name: world.api(getattr(world, name)) for name in PERSONAS}
    handler = apis["handler_a"]
    with travel():
        created = handler.post("petitions", _denunciation(), headers={"Idempotency-Key": "s-1"})
        assert created.status_code == 201, created.content
        seen.add("intake", created)
        code = created.json()["code"]
        seen.add(
            "intake retry",
            handler.post("petitions", _denunciation(), headers={"Idempotency-Key": "s-1"}),
        )
        bad = {
            **_denunciation(),
            "petitioners": [{"full_name": NAME, "id_number": "x" + ID_NUMBER}],
        }
        seen.add("intake refused", handler.post("petitions", bad))
        again = apis["official_b"].post("petitions", {**_denunciation(), "content": "Lần hai."})
        seen.add("intake by B", again)
        other_code = again.json()["code"]
        revealed = handler.get(f"petitions/{code}/identity", reason="xác minh nội dung tố cáo")
        assert revealed.status_code == 200 and NAME in revealed.content.decode()
        # ^ an audited reveal to the handler: the one place the identity may be.
        report = apis["head_a"].post("reports", {"unit": "A", "period": "year", "year": 2026})
        seen.add("report request", report)

        # Every GET endpoint, as everyone, with real and made-up parameters.
        paths = _get_paths(Client())
        assert len(paths) > 30
        values = {
            "code": code,
            "report_id": str(report.json().get("id", 1)),
            "plan_id": "1",
            "ref": "ref-none",
            "document_id": "1",
            "id": "1",
        }
        clients = {**apis, "anonymous": world.api(None)}
        calls, reveals, failures = 0, [], []
        for who, api in clients.items():
            for path in paths:
                variants = {_fill(path, values)}
                if "{" in path:  # B's petition by the same denouncer, and what does not exist
                    variants |= {
                        _fill(path, {**values, "code": other_code}),
                        _fill(path, {k: "999999" for k in values}),
                    }
                for filled in sorted(variants):
                    # With a reason, so that a reveal goes through where it may (and is audited).
                    response = api.get(filled, reason="rà soát")
                    calls += 1
                    if filled.endswith("/identity") and response.status_code == 200:
                        reveals.append((who, filled.split("/")[-2]))  # checked below
                        continue
                    seen.add(f"api {who} GET {filled} [{response.status_code}]", response)
                    if response.status_code >= 500:
                        failures.append(f"api {who} GET {filled}")
            for query in (NAME, ID_NUMBER, "Sentinel", PHONE):
                seen.add(f"api {who} search", api.get("petitions", q=query))
                seen.add(f"api {who} matters search", api.get("matters", q=query))
            seen.add(f"api {who} bad page", api.get("petitions", page="x"))
        assert calls > 400
        # Only the handler and the head of the owner unit get an identity, each time audited.
        assert sorted(set(reveals)) == [
            ("handler_a", code),
            ("head_a", code),
            ("head_b", other_code),
            ("official_b", other_code),
        ]
        for who, matter in reveals:
            audited = AuditEvent.objects.filter(
                action="identity.reveal", matter=matter, actor=getattr(world, who).username
            )
            assert audited.count() >= reveals.count((who, matter)) + (who == "handler_a")

        # Every page each persona can reach, and the error pages.
        pages = 0
        for who in PERSONAS:
            browser = Client(raise_request_exception=False)
            browser.force_login(getattr(world, who))
            pages += _crawl(browser, seen, who, failures)
            for url in (
                f"/petitions/{code}/",
                f"/registry/petition/{code}/identity/",
                "/no/such/page/",
            ):
                seen.add(f"page {who} {url}", browser.get(url))
        anonymous = Client(raise_request_exception=False)
        pages += _crawl(anonymous, seen, "anonymous", failures)
        assert pages > 200

        # Exports.
        for who in ("head_a", "leader_p", "head_b", "auditor_p", "admin"):
            seen.add(f"export {who}", apis[who].get("reports/petitions.xlsx"))
        listing = apis["head_a"].get("reports").json()
        downloads = [item["download"] for item in listing["items"] if item.get("download")]
        assert downloads, listing  # the periodic report on unit A's petitions
        for url in downloads:
            seen.add(f"report file {url}", apis["head_a"].get(url))

        # A backup, as written and decrypted.
        target = tmp_path / "sweep.dutdiem"
        call_command("backup", "--output", str(target))
        seen.add("backup file", target.read_bytes())
        with backup.opened(target) as (manifest, folder):
            seen.add("backup manifest", str(manifest))
            for member in manifest["members"]:
                seen.add(f"backup {member} decrypted", (folder / f"{member}.plain").read_bytes())

    for note in Notification.objects.all():
        seen.add(f"notification {note.kind}", note.text + " " + note.url)
    for message in mail.outbox:
        seen.add("mail", message.message().as_string())
    for event in AuditEvent.objects.all():
        seen.add(f"audit {event.action}", f"{event.data} {event.actor} {event.matter}")
    # Each log line as it is written, in production's JSON and in the plain format, and the
    # SQL statements with their parameters (the database's log at DEBUG).
    formatters = [
        JsonFormatter(),
        logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]),
    ]
    for record in caplog.records:
        seen.add(
            f"log {record.name}",
            " ".join(
                [f.format(record) for f in formatters]
                + [str(getattr(record, "sql", "")), str(getattr(record, "params", ""))]
            ),
        )
    _database_image(seen, tmp_path)
    assert len(seen.items) > 2000
    assert failures == []  # a 5xx is a bug, and its page might say anything
    leaks = seen.leaks()
    assert leaks == [], "\n".join(leaks)
    reveals_of_code = [r for r in reveals if r[1] == code]
    assert AuditEvent.objects.filter(action="identity.reveal", matter=code).count() == (
        len(reveals_of_code) + 1
    )
