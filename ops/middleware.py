"""Request ids, the access log line, request metrics, /metrics, and replica pinning."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from ops import metrics, routing
from ops.logging import request_id_var

access_log = logging.getLogger("dutdiem.access")
ops_log = logging.getLogger("dutdiem.ops")
_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class RequestContextMiddleware:
    """First in the chain: gives the request an id (the proxy's ``X-Request-ID`` when it is a
    plausible one, else a fresh one), answers ``/metrics``, and after the response writes one
    access log line and the request metrics. The id goes back in ``X-Request-ID``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _ID_RE.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            if request.path == "/metrics":
                response = metrics.metrics_response(request)
            else:
                response = self.get_response(request)
            elapsed = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            route = match.route if match is not None and match.route else "unmatched"
            if request.path == "/metrics":
                route = "metrics"
            metrics.observe(route, request.method or "", response.status_code, elapsed)
            user = getattr(request, "user", None)
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            response["X-Request-ID"] = request_id
            return response
        finally:
            request_id_var.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A database that is switching over, read-only, unreachable or out of disk space is
        an outage, not a bug: answer 503 with Retry-After, saying that nothing was saved (the
        transaction rolled back), instead of a 500."""
        if not _is_outage(exception):
            return None
        ops_log.warning("database unavailable", exc_info=exception)
        detail = _(
            "The database is not available right now (maintenance, failover or a full disk). Nothing was saved; try again in a few seconds."
        )
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": detail}, status=503)
        else:
            response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "5"
        return response


_OUTAGE_SQLSTATES = {"25006", "53100", "57P01", "57P02", "57P03", "08000", "08003", "08006"}


def _is_outage(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, InternalError):
        cause = exc.__cause__
        return getattr(cause, "sqlstate", None) in _OUTAGE_SQLSTATES
    return False


class ReplicaMiddleware:
    """Keeps a client that wrote on the primary until the replica has caught up with it.

    A request that changes something (any unsafe method, or any write the router saw) ends by
    setting a cookie with the primary's WAL position; the next requests of that client read
    from the replica only once the replica has replayed that far. Without a replica alias this
    middleware does nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not routing.replica_configured():
            return self.get_response(request)
        unsafe = request.method not in SAFE_METHODS
        with routing.request_routing(request.COOKIES.get(routing.LSN_COOKIE), unsafe) as state:
            response = self.get_response(request)
            if state.wrote:
                try:
                    lsn = routing.primary_lsn()
                except Exception:  # noqa: BLE001 - no position: pin by time alone
                    lsn = "FFFFFFFF/FFFFFFFF"
                if lsn:
                    response.set_cookie(
                        routing.LSN_COOKIE,
                        lsn,
                        max_age=int(getattr(settings, "REPLICA_PIN_SECONDS", 300)),
                        httponly=True,
                        samesite="Lax",
                        secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
                    )
        return response
