"""The steps every page takes the same way (common/pages.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.http import Http404, HttpResponse

from common.errors import Conflict, Forbidden, Invalid, NotFound
from common.middleware import NotFoundPageMiddleware
from common.pages import submit


class NoteForm(forms.Form):
    note = forms.CharField()


def test_a_record_out_of_sight_is_a_404_page(rf) -> None:
    """A selector's NotFound raised by a view becomes Django's 404; other errors pass by."""
    middleware = NotFoundPageMiddleware(lambda request: HttpResponse())
    request = rf.get("/petitions/X/")
    with pytest.raises(Http404):
        middleware.process_exception(request, NotFound("No petition with code X"))
    middleware.process_exception(request, Conflict("changed"))  # no 404 for other errors


def test_a_hidden_petition_page_answers_404(client, django_user_model) -> None:
    """Through the whole stack: a page whose selector says "not found" is a 404 page."""
    from units.models import Unit

    unit = Unit.objects.create(code="T-404", name="Đơn vị thử")
    user = django_user_model.objects.create_user(username="t404", password="x", unit=unit)
    client.force_login(user)
    assert client.get("/petitions/NO-SUCH-CODE/").status_code == 404


def test_a_valid_form_gets_the_response_of_its_step() -> None:
    form = NoteForm({"note": "ok"})
    response = submit(form, lambda: HttpResponse("done", status=302))
    assert response is not None and response.status_code == 302


def test_an_invalid_form_does_not_call_the_service() -> None:
    called: list[str] = []

    def step() -> HttpResponse:
        called.append("service")
        return HttpResponse()

    assert submit(NoteForm({}), step) is None
    assert called == []


def test_a_forbidden_step_answers_403_with_the_reason() -> None:
    def forbidden() -> HttpResponse:
        raise Forbidden("only officials of the unit")

    response = submit(NoteForm({"note": "ok"}), forbidden)
    assert response is not None and response.status_code == 403
    assert response.content.decode() == "only officials of the unit"


def test_a_refusal_lands_on_the_form_field_by_field() -> None:
    def invalid() -> HttpResponse:
        raise Invalid({"note": "too short", "unknown_field": "bad"})

    form = NoteForm({"note": "ok"})
    assert submit(form, invalid) is None
    assert form.errors["note"] == ["too short"]
    assert form.non_field_errors() == ["bad"]


def test_a_refusal_without_fields_stands_above_the_form() -> None:
    def conflict() -> HttpResponse:
        raise Conflict("changed by someone else")

    form = NoteForm({"note": "ok"})
    assert submit(form, conflict) is None
    assert form.non_field_errors() == ["changed by someone else"]
