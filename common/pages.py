"""Steps every HTML page of a domain app takes the same way: a record the user may not see
is a 404 page, and a form posted to a service shows the service's refusal on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpResponse

from common.errors import DomainError, Forbidden, NotFound


def or_404[T](getter: Callable[..., T], *args: Any) -> T:
    """``getter(*args)`` (a ``get_..._for_user`` selector); NotFound becomes a 404 page."""
    try:
        return getter(*args)
    except NotFound:
        raise Http404


def apply_errors(form: forms.Form, exc: DomainError) -> None:
    """Put a service's refusal on the form: each error on its field, the others (and a
    refusal without fields) above the form."""
    for field, message in getattr(exc, "errors", {"__all__": exc.message}).items():
        form.add_error(field if field in form.fields else None, message)


def submit(form: forms.Form, act: Callable[[], HttpResponse]) -> HttpResponse | None:
    """Run ``act`` (the service call and the redirect after it) if the form is valid.

    Returns the response of ``act``; a 403 response when the service forbids the caller;
    None when the form or the service found errors (they are then on the form, and the page
    is shown again with status 422)."""
    if not form.is_valid():
        return None
    try:
        return act()
    except Forbidden as exc:
        return HttpResponse(exc.message, status=403)
    except DomainError as exc:
        apply_errors(form, exc)
        return None
