"""Pages that hand a form to a service: what the service refuses goes back on the form,
and the answer is the same for every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from common.errors import Conflict, Invalid


def errors_to_form(form: forms.Form, errors: dict[str, str]) -> None:
    """Put a service's field errors on the form (unknown fields as form errors)."""
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)


def on_form[T](form: forms.Form, call: Callable[[], T]) -> T | None:
    """What ``call`` (a service) returns; or, when it refuses the input (``Invalid``, by
    field) or the change (``Conflict``), None with the refusal shown on ``form``. Other
    errors (NotFound, Forbidden) go through to the page's handler."""
    try:
        return call()
    except Invalid as exc:
        errors_to_form(form, exc.errors)
    except Conflict as exc:
        form.add_error(None, exc.message)
    return None


def form_taken[T](
    request: HttpRequest, form: forms.Form, call: Callable[[], T], done: str | Callable[[T], str]
) -> T | None:
    """Hand a posted ``form`` to a service: when the form is valid and ``call`` takes it, its
    result, with ``done`` (or ``done(result)``) shown to the official; otherwise None, with
    why on the form."""
    if not form.is_valid():
        return None
    result = on_form(form, call)
    if result is not None:
        messages.success(request, done if isinstance(done, str) else done(result))
    return result


def answer_step[T, F: forms.Form](
    request: HttpRequest,
    form: F,
    call: Callable[[], T],
    done: str,
    where: tuple[str, str | None, str],
    context: Callable[[F | None], dict[str, Any]],
) -> HttpResponse:
    """Answer a step posted from a matter's page (an action, a progress report, settling),
    taken by ``call`` when the form is valid. ``where``: the page's template, the template
    of the part htmx swaps (None: the step is never posted by htmx), and the page's address.
    htmx gets that part, with an empty form (``context(None)``) or the form and its errors
    (htmx swaps only 2xx answers); a plain post goes back to the page with ``done``, or gets
    the page again with the errors (422)."""
    taken = form.is_valid() and on_form(form, call) is not None
    page, part, url = where
    if part is not None and getattr(request, "htmx", False):
        return render(request, part, context(None if taken else form))
    if taken:
        messages.success(request, done)
        return redirect(url)
    return render(request, page, context(form), status=422)
