"""Session limits and the second factor (SECURITY.md: 15 minutes idle, 12 hours in all)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Paths never redirected to the second-factor page. The JSON API is not redirected (a program
# cannot follow a redirect to a form) but enforces the second factor itself: config/api.py
# refuses a session that has not passed it, and tokens issued without it (401).
EXEMPT_PREFIXES = ("/static/", "/healthz", "/readyz", "/api/", "/public/", "/tra-cuu/")


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith("/api/"):
            now = int(time.time())
            last = request.session.get("last_seen", now)
            started = request.session.setdefault("started_at", now)
            if (
                now - last > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                return redirect(settings.LOGIN_URL)
            if now - last > 30:
                request.session["last_seen"] = now
            else:
                request.session.setdefault("last_seen", now)
        return self.get_response(request)


class RequireSecondFactorMiddleware:
    """With ``DUTDIEM_REQUIRE_MFA=1``, a signed-in official must confirm a TOTP code (or set
    up a device first) before any page but the second-factor pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_MFA
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not request.path.startswith("/accounts/")
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
        ):
            return redirect("accounts:otp")
        return self.get_response(request)
