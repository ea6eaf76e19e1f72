"""The pages: register upload with its job and progress, the identity panel (reveal with a
reason, audited), the export form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.models import AuditEvent
from matters.models import Matter
from notifications.models import Notification
from registry import register as reg
from registry.models import ImportBatch
from registry.services.uploads import upload_path
from registry.tests.helpers import file, register, row, travel
from vault.testing import vault_broken

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

SENTINEL = "Trần Thị Sentinel"


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _jobs(django_capture_on_commit_callbacks: Any) -> Any:
    """Jobs are enqueued on commit; each request's are run when it ends (the immediate
    backend runs a job as soon as it is enqueued)."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield


_capture: Any = None


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    with _capture(execute=True):
        return client.post(url, data)


def upload(client: Client, path: Path, **extra: Any) -> Any:
    with path.open("rb") as handle:
        data = {"unit": "A", "file": SimpleUploadedFile(path.name, handle.read()), **extra}
    return post(client, "/registry/import/", data)


def test_upload_runs_the_job_and_shows_the_result(world: Any, tmp_path: Path) -> None:
    client = client_for(world.clerk_a)
    assert client.get("/registry/import/").status_code == 200
    path = register(tmp_path / "so.xlsx", [row(), row(**{reg.SUMMARY: "Đơn thứ hai"})])
    response = upload(client, path)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/registry/import/{batch.pk}/"
    assert batch.status == "done" and batch.imported == 2
    assert not upload_path(batch.pk).exists()  # the file is not kept
    page = client.get(response["Location"])
    assert page.status_code == 200 and "2" in page.content.decode()
    progress = client.get(response["Location"], headers={"HX-Request": "true"})
    assert (
        'id="rg-progress"' in progress.content.decode()
        and "hx-trigger" not in progress.content.decode()
    )
    assert Matter.objects.filter(owner__code="A").count() == 2
    # The head hears about the batch once, not once per petition.
    assert Notification.objects.filter(user=world.head_a, kind="petition.imported").count() == 1


def test_upload_with_bad_rows_lists_them(world: Any, tmp_path: Path) -> None:
    client = client_for(world.clerk_a)
    path = register(tmp_path / "bad.xlsx", [row(), row(**{reg.KIND: "?", reg.AREA: "99"})])
    response = upload(client, path)
    batch = ImportBatch.objects.get()
    assert batch.status == "refused"
    html = client.get(response["Location"]).content.decode()
    assert "Loại đơn" in html and "Mã địa bàn" in html
    assert Matter.objects.count() == 0
    upload(client, path, valid_only="on")
    assert Matter.objects.count() == 1


def test_upload_refuses_other_files_and_units(world: Any, tmp_path: Path) -> None:
    client = client_for(world.clerk_a)
    response = client.post(
        "/registry/import/", {"unit": "A", "file": SimpleUploadedFile("x.xlsx", b"not a zip")}
    )
    assert response.status_code == 422 and not ImportBatch.objects.exists()
    path = register(tmp_path / "so.xlsx", [row()])
    with path.open("rb") as handle:
        response = client.post(
            "/registry/import/", {"unit": "B", "file": SimpleUploadedFile("so.xlsx", handle.read())}
        )
    assert response.status_code == 422  # B is not among the clerk's choices
    auditor = client_for(world.auditor_p)
    with path.open("rb") as handle:
        response = auditor.post(
            "/registry/import/", {"unit": "P", "file": SimpleUploadedFile("so.xlsx", handle.read())}
        )
    assert response.status_code == 422
    assert not ImportBatch.objects.exists()
    other = client_for(world.official_b)
    upload(client, path)
    batch = ImportBatch.objects.get()
    assert other.get(f"/registry/import/{batch.pk}/").status_code == 404


def test_identity_panel_reveals_with_a_reason(world: Any) -> None:
    data = file(
        world,
        user=world.handler_a,
        kind="denunciation",
        category="corruption",
        petitioners=[{"full_name": SENTINEL, "id_number": "079199000123"}],
    )
    url = f"/registry/petition/{data['code']}/identity/"
    handler = client_for(world.handler_a)
    panel = handler.get(url).content.decode()
    assert SENTINEL not in panel and 'name="reason"' in panel
    empty = handler.post(url, {"reason": ""})
    assert SENTINEL not in empty.content.decode()
    assert not AuditEvent.objects.filter(action="identity.reveal").exists()
    shown = handler.post(url, {"reason": "xác minh"})
    assert SENTINEL in shown.content.decode()
    assert AuditEvent.objects.filter(action="identity.reveal", matter=data["code"]).count() == 1
    clerk = client_for(world.clerk_a)
    assert 'name="reason"' not in clerk.get(url).content.decode()
    assert clerk.post(url, {"reason": "x"}).status_code == 403
    assert client_for(world.official_b).get(url).status_code == 404
    with vault_broken():
        down = handler.get(url)
        assert down.status_code == 200 and "rg-unavailable" in down.content.decode()
        down = handler.post(url, {"reason": "x"})
        assert "rg-unavailable" in down.content.decode() and SENTINEL not in down.content.decode()
    assert AuditEvent.objects.filter(action="identity.reveal").count() == 1


def test_export_form_redirects_to_the_workbook(world: Any) -> None:
    client = client_for(world.head_a)
    assert client.get("/registry/export/").status_code == 200
    response = client.get(
        "/registry/export/", {"start": "2026-03-01", "end": "2026-03-31", "unit": "A"}
    )
    assert response.status_code == 302
    assert (
        response["Location"]
        == "/api/v1/reports/petitions.xlsx?from=2026-03-01&to=2026-03-31&unit=A"
    )
    assert client.get(response["Location"]).status_code == 200
    bad = client.get("/registry/export/", {"start": "2026-03-31", "end": "2026-03-01"})
    assert bad.status_code == 200 and "rg-error" in bad.content.decode()
