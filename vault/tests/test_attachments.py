"""Sealed files: sealed by content type, listed without names, opened only on audited reveal."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.models import AuditEvent
from vault.models import SealedRecord
from vault.tests.helpers import bare_petition

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

PDF = b"%PDF-1.4\n% handwritten letter of Tran Thi Sentinel\n%%EOF\n"


def upload(world: Any, user: Any, code: str, name: str, data: bytes) -> Any:
    api = world.api(user)
    client: Client = api.client
    return client.post(
        f"/api/v1/petitions/{code}/sealed-files",
        {"file": SimpleUploadedFile(name, data)},
        headers=api.headers,
    )


def test_seal_list_and_reveal_a_file(world: Any) -> None:
    matter = bare_petition(world.a, handler=world.handler_a)
    response = upload(world, world.clerk_a, matter.code, "Đơn tố cáo - Trần Thị Sentinel.pdf", PDF)
    assert response.status_code == 201, response.content
    ref = response.json()["ref"]
    record = SealedRecord.objects.using("vault").get(ref=ref)
    assert b"Sentinel" not in bytes(record.ciphertext)
    listing = world.api(world.clerk_a).get(f"petitions/{matter.code}/sealed-files")
    assert listing.json() == {"code": matter.code, "available": True, "files": [ref]}
    assert "Sentinel" not in listing.content.decode()
    # The clerk may seal but not open.
    denied = world.api(world.clerk_a).get(f"petitions/{matter.code}/sealed-files/{ref}", reason="x")
    assert denied.status_code == 403
    # The handler must say why (issue 13, finding 9): no reason, 422 naming it.
    unexplained = world.api(world.handler_a).get(f"petitions/{matter.code}/sealed-files/{ref}")
    assert unexplained.status_code == 422 and "reason" in unexplained.json()["errors"]
    assert not AuditEvent.objects.filter(action="identity.reveal").exists()
    opened = world.api(world.handler_a).get(
        f"petitions/{matter.code}/sealed-files/{ref}", reason="đối chiếu chữ ký"
    )
    assert opened.status_code == 200
    assert opened.content == PDF
    assert opened["Content-Type"] == "application/pdf"
    assert "Sentinel" not in opened["Content-Disposition"]
    event = AuditEvent.objects.get(matter=matter.code, action="identity.reveal")
    assert event.data == {"reason": "đối chiếu chữ ký", "what": "attachment", "ref": ref}


def test_only_scans_by_content(world: Any) -> None:
    matter = bare_petition(world.a)
    response = upload(world, world.clerk_a, matter.code, "letter.pdf", b"<html>not a pdf</html>")
    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert SealedRecord.objects.using("vault").count() == 0


def test_size_cap(world: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 64
    matter = bare_petition(world.a)
    response = upload(world, world.clerk_a, matter.code, "big.pdf", PDF + b"x" * 100)
    assert response.status_code == 422
    assert SealedRecord.objects.using("vault").count() == 0


def test_outsiders_and_readers(world: Any) -> None:
    matter = bare_petition(world.a, handler=world.handler_a)
    assert upload(world, world.official_b, matter.code, "a.pdf", PDF).status_code == 404
    assert upload(world, world.leader_p, matter.code, "a.pdf", PDF).status_code == 403
    assert upload(world, world.auditor_p, matter.code, "a.pdf", PDF).status_code == 403
    ref = upload(world, world.clerk_a, matter.code, "a.pdf", PDF).json()["ref"]
    assert (
        world.api(world.official_b).get(f"petitions/{matter.code}/sealed-files").status_code == 404
    )
    assert (
        world.api(world.official_b).get(f"petitions/{matter.code}/sealed-files/{ref}").status_code
        == 404
    )
    assert (
        world.api(world.handler_a)
        .get(f"petitions/{matter.code}/sealed-files/A-0000", reason="x")
        .status_code
        == 404
    )
    assert not AuditEvent.objects.filter(action="identity.reveal").exists()
