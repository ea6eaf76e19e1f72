"""The interface speaks Vietnamese whatever language the browser asks for.

Officials' computers often run an English Windows or browser, whose ``Accept-Language``
would turn Django's usual negotiation to English. Here the language is the one chosen
explicitly (the language cookie, set by ``/i18n/setlang/``) when it is one of ours, and
Vietnamese otherwise. The JSON API (``/api/``) keeps HTTP's usual negotiation: a system
that asks for English with ``Accept-Language`` gets it there, Vietnamese by default.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: Any) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
