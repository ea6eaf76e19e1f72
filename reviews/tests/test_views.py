"""The review pages: who sees what, and the forms' happy and unhappy paths."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from reviews.models import Consultation, Review

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel("2026-04-27 10:00 +0700", tick=False)
def test_pages_render_for_the_registration_agency(rw):
    api = rw.w.api(rw.w.clerk_a)
    code = api.post("reviews", rw.review_body()).json()["code"]
    consultation = api.post(
        f"reviews/{code}/consultations", {"unit": "M", "sent_on": "2026-04-06"}
    ).json()
    web = client_for(rw.w.clerk_a)
    for url in (
        "/reviews/",
        "/reviews/new/",
        f"/reviews/{code}/",
        "/reviews/consultations/",
        f"/reviews/consultations/{consultation['code']}/",
        "/reviews/scorecard/",
        "/reviews/map/",
    ):
        response = web.get(url)
        assert response.status_code == 200, url
    page = web.get(f"/reviews/{code}/").content.decode()
    assert "Khu du lịch sinh thái biển Đồng Châu" in page
    assert consultation["code"] in page
    rows = web.get("/reviews/", {"q": "dong chau"}, headers={"HX-Request": "true"}).content.decode()
    assert code in rows and "<html" not in rows


@time_machine.travel("2026-04-27 10:00 +0700", tick=False)
def test_consulted_unit_answers_through_the_form_and_never_sees_the_review(rw):
    api = rw.w.api(rw.w.clerk_a)
    code = api.post("reviews", rw.review_body()).json()["code"]
    c_code = api.post(
        f"reviews/{code}/consultations", {"unit": "M", "sent_on": "2026-04-24"}
    ).json()["code"]
    web = client_for(rw.head_m)
    assert web.get(f"/reviews/{code}/").status_code == 404
    assert (
        web.post(f"/reviews/{code}/consult/", {"unit": "C", "sent_on": "27/04/2026"}).status_code
        == 404
    )
    bad = web.post(
        f"/reviews/consultations/{c_code}/", {"opinion": "disagree", "answered_on": "27/04/2026"}
    )
    assert bad.status_code == 422
    assert Consultation.objects.get(matter__code=c_code).answered_on is None
    ok = web.post(
        f"/reviews/consultations/{c_code}/",
        {"opinion": "agree", "answered_on": "27/04/2026", "document_number": "45/BCH-TM"},
    )
    assert ok.status_code == 302
    saved = Consultation.objects.get(matter__code=c_code)
    assert saved.opinion == "agree" and saved.documents[0]["number"] == "45/BCH-TM"
    # The registration agency sees the answer but has no form to answer.
    page = client_for(rw.w.clerk_a).get(f"/reviews/consultations/{c_code}/").content.decode()
    assert 'name="opinion"' not in page
    assert client_for(rw.w.official_b).get(f"/reviews/consultations/{c_code}/").status_code == 404


@time_machine.travel("2026-04-27 10:00 +0700", tick=False)
def test_register_form_and_actions(rw):
    web = client_for(rw.w.clerk_a)
    response = web.post(
        "/reviews/new/",
        {
            "project": "Nhà máy điện gió ngoài khơi",
            "investor": "Công ty CP Gió Biển",
            "procedure": "province",
            "area": rw.w.commune.code,
            "flags": ["coastal", "island"],
            "flag_document": "Quyết định 1234/QĐ-BQP",
            "received_on": "01/04/2026",
            "valid_on": "03/04/2026",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.flag_documents == {
        "coastal": "Quyết định 1234/QĐ-BQP",
        "island": "Quyết định 1234/QĐ-BQP",
    }
    assert review.valid_on.isoformat() == "2026-04-03"  # 03/04 is 3 April
    code = review.matter.code
    bad = web.post(f"/reviews/{code}/consult/", {"unit": "NOPE", "sent_on": "06/04/2026"})
    assert bad.status_code == 422 and "NOPE" in bad.content.decode()
    assert (
        web.post(f"/reviews/{code}/consult/", {"unit": "M", "sent_on": "06/04/2026"}).status_code
        == 302
    )
    assert review.consultations.count() == 1
    assert (
        client_for(rw.w.leader_p)
        .post(f"/reviews/{code}/consult/", {"unit": "Q", "sent_on": "06/04/2026"})
        .status_code
        == 403
    )
    # The form is not offered to those who cannot register (no link leads to it either).
    assert client_for(rw.w.head_c).get("/reviews/new/").status_code == 403
    refused = client_for(rw.w.head_c).post(
        "/reviews/new/",
        {
            "project": "X",
            "investor": "Y",
            "procedure": "province",
            "area": rw.w.commune.code,
            "received_on": "01/04/2026",
        },
    )
    assert refused.status_code == 403
    assert Review.objects.count() == 1
