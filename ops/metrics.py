"""Metrics in the Prometheus text format.

Two kinds:
- per process, counted as requests are served: requests and their durations by route. Under
  gunicorn the workers share them through ``PROMETHEUS_MULTIPROC_DIR`` (deploy/gunicorn.conf.py
  sets it), so one scrape sees the whole server;
- read from the database at scrape time (and from the replica when there is one): whether each
  database answers, replica lag, open and overdue matters by kind, the audit chain's length,
  jobs waiting and failed.

``/metrics`` answers a request that carries ``Authorization: Bearer <DUTDIEM_METRICS_TOKEN>``,
or one made on this machine directly (loopback address and no proxy header); anything else
gets 404, as if there were nothing there.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import connections
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from ops import routing

REQUESTS = Counter(
    "dutdiem_http_requests",
    "HTTP requests served, by route pattern, method and status.",
    ["route", "method", "status"],
)
DURATION = Histogram(
    "dutdiem_http_request_duration_seconds",
    "Time to serve a request, by route pattern.",
    ["route", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0),
)

LOOPBACK = {"127.0.0.1", "::1"}


def observe(route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    DURATION.labels(route=route, method=method).observe(seconds)


def allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").strip(), token)
    proxied = "X-Forwarded-For" in request.headers or "X-Real-Ip" in request.headers
    return request.META.get("REMOTE_ADDR") in LOOPBACK and not proxied


def metrics_response(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        return HttpResponse("not found\n", status=404, content_type="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    database = CollectorRegistry()
    database.register(DatabaseCollector())
    body += generate_latest(database)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


class DatabaseCollector(Collector):
    """Gauges read from the database when Prometheus scrapes."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "dutdiem_database_up", "1 if the database answers.", labels=["alias"]
        )
        for alias in settings.DATABASES:
            up.add_metric([alias], 1.0 if _answers(alias) else 0.0)
        yield up
        if routing.replica_configured():
            lag = GaugeMetricFamily(
                "dutdiem_replica_lag_seconds", "Replay lag of the read replica."
            )
            try:
                value = routing.replica_lag_seconds()
            except Exception:  # noqa: BLE001 - an unreachable replica has no lag to show
                value = None
                connections[routing.REPLICA].close()
            if value is not None:
                lag.add_metric([], value)
            yield lag
        try:
            yield from _domain_cached()
        except Exception:  # noqa: BLE001 - the database being down is shown by dutdiem_database_up
            return


_domain_lock = threading.Lock()
_domain_cache: tuple[float, list[Metric]] | None = None


def _domain_cached() -> list[Metric]:
    """The matter counts read the whole open part of the matter table (0.7 s at a million
    matters, docs/benchmarks-ops.md): computed at most every METRICS_DOMAIN_SECONDS (60) per
    process, from the replica when there is one."""
    global _domain_cache
    ttl = float(getattr(settings, "METRICS_DOMAIN_SECONDS", 60))
    with _domain_lock:
        if _domain_cache is not None and time.monotonic() - _domain_cache[0] < ttl:
            return _domain_cache[1]
        fresh = list(_domain())
        _domain_cache = (time.monotonic(), fresh)
        return fresh


def _domain() -> Iterator[Metric]:
    from django_tasks_db.models import DBTaskResult

    from audit.models import AuditHead
    from common.clock import today
    from matters.models import Matter

    day = today()
    with routing.read_from_replica():
        rows = (
            Matter.objects.filter(is_open=True)
            .values("kind")
            .annotate(
                open=Count("id"),
                overdue=Count("id", filter=Q(due_on__lt=day, suspended_on__isnull=True)),
            )
            .order_by("kind")
        )
        open_ = GaugeMetricFamily("dutdiem_matters_open", "Open matters by kind.", labels=["kind"])
        overdue = GaugeMetricFamily(
            "dutdiem_matters_overdue",
            "Open matters past their due date, by kind.",
            labels=["kind"],
        )
        for row in rows:
            open_.add_metric([row["kind"]], row["open"])
            overdue.add_metric([row["kind"]], row["overdue"])
        yield open_
        yield overdue
    head = AuditHead.objects.filter(id=1).values_list("last_seq", flat=True).first()
    audit = GaugeMetricFamily("dutdiem_audit_events", "Entries in the audit chain.")
    audit.add_metric([], float(head or 0))
    yield audit
    jobs = GaugeMetricFamily("dutdiem_jobs", "Background jobs by status.", labels=["status"])
    for status, n in (
        DBTaskResult.objects.filter(status__in=["READY", "RUNNING", "FAILED"])
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by("status")
    ):
        jobs.add_metric([status.lower()], n)
    yield jobs


def _answers(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means down
        connections[alias].close()
        return False
