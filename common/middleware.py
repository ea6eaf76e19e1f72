"""A page whose selector says "not found" is a 404 page.

Selectors raise ``common.errors.NotFound`` both for what does not exist and for what lies
outside the caller's scope (the two must look the same). The API maps it to a 404 answer
(config/api.py); for the pages this middleware does the same, so that a view calls its
selector directly instead of wrapping each call in ``try``/``except NotFound``.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from common.errors import NotFound


class NotFoundPageMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            # Raised here, the 404 goes through Django's usual handling (the 404 page).
            raise Http404 from exception
