"""Steps every HTML page of a domain app takes the same way: a form posted to a service
shows the service's refusal on the form. (A record the user may not see is a 404 page by
itself: common/middleware.py.)"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.http import HttpResponse

from common.errors import DomainError, Forbidden


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
