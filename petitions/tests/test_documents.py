"""Documents of a petition: allow-listed by content, size cap, served after an access check."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from petitions.models import Document
from petitions.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 1024
    with travel():
        yield


def upload(world, user, code, name, data):
    api = world.api(user)
    return api.client.post(
        f"/api/v1/petitions/{code}/documents",
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
        headers=api.headers,
    )


def test_owner_attaches_a_pdf_and_readers_download_it(world):
    code = file(world)["code"]
    response = upload(world, world.clerk_a, code, "quyet-dinh.pdf", PDF)
    assert response.status_code == 201, response.content
    doc = response.json()
    assert (doc["name"], doc["content_type"], doc["size"]) == (
        "quyet-dinh.pdf",
        "application/pdf",
        len(PDF),
    )
    assert (
        world.api(world.clerk_a).get(f"petitions/{code}").json()["documents"][0]["id"] == doc["id"]
    )
    got = world.api(world.leader_p).get(f"petitions/{code}/documents/{doc['id']}")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert (
        world.api(world.official_b).get(f"petitions/{code}/documents/{doc['id']}").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("script.pdf", b"<script>alert(1)</script>"),
        ("empty.pdf", b""),
        ("big.pdf", PDF + b"x" * 2000),
        ("page.html", b"<html></html>"),
    ],
)
def test_bad_files_are_422_and_store_nothing(world, name, data):
    code = file(world)["code"]
    response = upload(world, world.clerk_a, code, name, data)
    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert not Document.objects.exists()


def test_only_the_owner_attaches_and_denunciations_are_refused(world):
    code = file(world)["code"]
    assert upload(world, world.leader_p, code, "a.pdf", PDF).status_code == 403
    assert upload(world, world.official_b, code, "a.pdf", PDF).status_code == 404
    sealed = file(world, kind="denunciation", petitioners=[])["code"]
    response = upload(world, world.clerk_a, sealed, "don-viet-tay.pdf", PDF)
    assert response.status_code == 422
    assert not Document.objects.exists()


def test_upload_page_form(world):
    from django.test import Client

    code = file(world)["code"]
    client = Client()
    client.force_login(world.clerk_a)
    response = client.post(
        f"/petitions/{code}/documents/", {"file": SimpleUploadedFile("kl.pdf", PDF)}
    )
    assert response.status_code == 302
    doc = Document.objects.get()
    assert client.get(f"/petitions/{code}/documents/{doc.pk}/").status_code == 200
    outsider = Client()
    outsider.force_login(world.official_b)
    assert outsider.get(f"/petitions/{code}/documents/{doc.pk}/").status_code == 404
