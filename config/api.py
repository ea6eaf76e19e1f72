"""The JSON API under /api/v1: authentication, error shapes, and the routers of every app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth

from accounts.services import token_user_or_refusal
from common.errors import DomainError
from common.unicode import NfcJsonParser


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user, refusal = token_user_or_refusal(token)
        if user is not None:
            request.user = user
        elif refusal:
            request.auth_refusal = refusal  # type: ignore[attr-defined]
        return user


SESSION_NEEDS_SECOND_FACTOR = (
    "this session has not passed the second factor, which this server requires: confirm "
    "your code at /accounts/second-factor/, or use a bearer token"
)


class VerifiedSession(SessionAuth):
    """The browser's session, once it has passed the second factor where the server
    requires one (``DUTDIEM_REQUIRE_MFA=1``): a password alone opens no API."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or not settings.REQUIRE_MFA:
            return user
        if not user.is_verified():
            request.auth_refusal = SESSION_NEEDS_SECOND_FACTOR  # type: ignore[attr-defined]
            return None
        return user


class Utf8Renderer(JSONRenderer):
    """JSON with Vietnamese text as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8Renderer(),
    parser=NfcJsonParser(),
    title="dutdiem API",
    version="1",
    description=(
        "Petitions, tasks, cases and their clocks. Errors carry a `detail` in words.\n\n"
        "Authentication: `Authorization: Bearer <token>` with a token from "
        '`POST /api/v1/auth/token` `{"username", "password"}`, or the browser\'s session '
        "cookie (with the CSRF token for writes). Where the server requires the second factor "
        "(`DUTDIEM_REQUIRE_MFA=1`, on in the production profile), the token request must "
        'also carry `"otp"`, the current 6-digit code of the official\'s authenticator, '
        "unless the account is an API account (a service account of another system, marked "
        "by an administrator); tokens issued without it, and sessions that have not passed "
        "the second factor, get 401."
    ),
    auth=[BearerToken(), VerifiedSession()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra = {"errors": exc.errors} if hasattr(exc, "errors") else {}
    response = _error(request, exc.status, exc.message, **extra)
    if exc.status == 503:
        response["Retry-After"] = "60"
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(retry_after, int):
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, str] = {}
    for item in exc.errors:
        loc = [
            str(part) for part in item.get("loc", []) if part not in ("body", "payload", "query")
        ]
        field = ".".join(loc) or "__all__"
        errors[field] = str(item.get("msg", "invalid"))
    detail = "; ".join(f"{field}: {msg}" for field, msg in errors.items())
    return _error(request, 422, detail or "invalid input", errors=errors)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    refusal = getattr(request, "auth_refusal", "")
    return _error(
        request, 401, refusal or "authentication required: send Authorization: Bearer <token>"
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


def _register() -> None:
    from accounts.api import router as accounts_router
    from areas.api import router as areas_router
    from audit.api import router as audit_router
    from calendars.api import router as calendar_router
    from matters.api import router as matters_router
    from units.api import router as units_router

    api.add_router("/auth", accounts_router)
    api.add_router("/areas", areas_router)
    api.add_router("/", units_router)
    api.add_router("/calendar", calendar_router)
    api.add_router("/", matters_router)
    api.add_router("/audit", audit_router)
    for module in (
        "vault",
        "petitions",
        "registry",
        "plans",
        "cases",
        "alerts",
        "reviews",
        "statements",
        "reports",
        "citizens",
        "opendata",
    ):
        try:
            imported = __import__(f"{module}.api", fromlist=["router"])
        except ModuleNotFoundError as exc:
            if exc.name != f"{module}.api":
                raise
            continue
        api.add_router("/", imported.router)


_register()
