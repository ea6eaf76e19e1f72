"""The JSON API under /api/v1: authentication, error shapes, and the routers of every app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth

from accounts.services import token_user
from common.errors import DomainError
from common.unicode import NfcJsonParser


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class Utf8Renderer(JSONRenderer):
    """JSON with Vietnamese text as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8Renderer(),
    parser=NfcJsonParser(),
    title="dutdiem API",
    version="1",
    description="Petitions, tasks, cases and their clocks. Errors carry a `detail` in words.",
    auth=[BearerToken(), SessionAuth()],
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
    return _error(request, 401, "authentication required: send Authorization: Bearer <token>")


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
    ):
        try:
            imported = __import__(f"{module}.api", fromlist=["router"])
        except ModuleNotFoundError as exc:
            if exc.name != f"{module}.api":
                raise
            continue
        api.add_router("/", imported.router)


_register()
