"""/healthz, /readyz, /metrics, request ids, security headers and the JSON logs."""

from __future__ import annotations

import io
import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client, override_settings

from ops.logging import JsonFormatter, RequestIdFilter
from ops.tests.urls import SENTINEL

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def fresh_metrics(settings):
    """Matter counts are cached per process in production; each test counts afresh."""
    settings.METRICS_DOMAIN_SECONDS = 0


def test_healthz_answers_while_the_process_lives():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


def test_readyz_is_200_when_database_and_vault_answer():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"default": "ok", "vault": "ok"}


@pytest.mark.parametrize("alias", ["default", "vault"])
def test_readyz_is_503_naming_the_database_that_does_not_answer(alias):
    with mock.patch.object(connections[alias], "cursor", side_effect=OperationalError("down")):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body[alias].startswith("unavailable")
    assert [v for k, v in body.items() if k != alias] == ["ok"]


def test_every_response_carries_the_security_headers():
    response = Client().get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_request_id_is_made_or_taken_from_the_proxy():
    made = Client().get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert (
        Client().get("/healthz", headers={"X-Request-ID": "nginx-abc123def"})["X-Request-ID"]
        == "nginx-abc123def"
    )
    # Something that is not an id (too short, or with spaces or newlines) is replaced.
    for bad in ["x", "has space in it", "line\nbreak1234"]:
        replaced = Client().get("/healthz", headers={"X-Request-ID": bad})["X-Request-ID"]
        assert replaced != bad and len(replaced) == 32


# --- /metrics ---------------------------------------------------------------------------------


def test_metrics_on_this_machine_in_prometheus_text_format(world):
    Client().get("/healthz")
    response = Client().get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'dutdiem_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert "dutdiem_http_request_duration_seconds_bucket" in text
    assert 'dutdiem_database_up{alias="default"} 1.0' in text
    assert 'dutdiem_database_up{alias="vault"} 1.0' in text
    assert "dutdiem_audit_events " in text


def test_metrics_count_open_and_overdue_matters_by_kind(world):
    from datetime import date, timedelta

    from django.db import transaction

    from areas.models import Area
    from matters.models import Category, Matter
    from matters.services import matter_new

    area = Area.objects.get(code="33")
    category = Category.objects.get(code="land")
    with transaction.atomic():
        late = matter_new(
            kind="task",
            title="late",
            area=area,
            category=category,
            owner=world.a,
            opened_on=date.today(),
            status="open",
        )
        matter_new(
            kind="task",
            title="fine",
            area=area,
            category=category,
            owner=world.a,
            opened_on=date.today(),
            status="open",
        )
    Matter.objects.filter(pk=late.pk).update(due_on=date.today() - timedelta(days=3))
    text = Client().get("/metrics").content.decode()
    assert 'dutdiem_matters_open{kind="task"} 2.0' in text
    assert 'dutdiem_matters_overdue{kind="task"} 1.0' in text


def test_metrics_through_the_proxy_or_from_elsewhere_is_not_found(world):
    assert Client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 404
    # Being an official (even an administrator) is not enough.
    admin = world.api(world.admin)
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics", headers=admin.headers).status_code == 404


@override_settings(METRICS_TOKEN="s3cret-metrics-token-value")
def test_metrics_with_the_token_from_anywhere():
    remote = Client(REMOTE_ADDR="10.1.2.3")
    ok = remote.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-token-value"})
    assert ok.status_code == 200 and b"dutdiem_database_up" in ok.content
    wrong = remote.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-token-valuX"})
    assert wrong.status_code == 404
    # A wrong token is refused even from this machine: a token that was sent must match.
    assert Client().get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 404


# --- JSON logs --------------------------------------------------------------------------------


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


@pytest.mark.urls("ops.tests.urls")
def test_log_lines_are_json_with_the_request_id_and_nothing_personal(world, json_log):
    api = world.api(world.admin)
    client = Client(raise_request_exception=False)
    ids = []
    ids.append(client.get("/api/v1/matters", {"q": SENTINEL}, headers=api.headers)["X-Request-ID"])
    ids.append(
        client.post(
            "/api/v1/units",
            json.dumps({"code": "Z", "name": SENTINEL, "kind": "nope"}),
            content_type="application/json",
            headers=api.headers,
        )["X-Request-ID"]
    )
    ids.append(client.get(f"/no-such-page/?name={SENTINEL}")["X-Request-ID"])
    crashed = client.get(f"/ops-test/explode?who={SENTINEL}")
    assert crashed.status_code == 500
    ids.append(crashed["X-Request-ID"])

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "dutdiem.access"]
    assert [line["request_id"] for line in access] == ids
    assert [line["status"] for line in access] == [200, 422, 404, 500]
    assert access[0]["route"] == "api/v1/matters" and access[0]["user_id"] == world.admin.pk
    error = next(
        line for line in lines if line["logger"] == "django.request" and line["level"] == "ERROR"
    )
    assert error["request_id"] == ids[3]
    assert error["exc_type"] == "builtins.ValueError"
    assert any("ops/tests/urls.py" in frame for frame in error["stack"])
    text = json_log.getvalue()
    assert SENTINEL not in text and "Sentinel" not in text and "079123456789" not in text


def test_json_formatter_never_writes_sql_parameters():
    record = logging.LogRecord(
        "django.db.backends",
        logging.DEBUG,
        __file__,
        1,
        "(%.3f) %s; args=%s",
        (0.1, "SELECT 1", [SENTINEL]),
        None,
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["msg"] == "sql" and SENTINEL not in json.dumps(line)


# --- Outages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        OperationalError("database or disk is full"),
    ],
)
def test_a_database_outage_is_a_503_that_says_nothing_was_saved(world, error):
    api = world.api(world.admin)
    with mock.patch("matters.api.matter_list_for_user", side_effect=error):
        response = Client().get("/api/v1/matters", headers=api.headers)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Chưa có dữ liệu nào được lưu" in response.json()["detail"]


@pytest.mark.urls("ops.tests.urls")
def test_a_bug_is_still_a_500(world):
    assert Client(raise_request_exception=False).get("/ops-test/explode").status_code == 500


def test_matter_counts_are_computed_at_most_once_a_minute(world, settings):
    settings.METRICS_DOMAIN_SECONDS = 60
    from ops import metrics

    metrics._domain_cache = None
    with mock.patch.object(metrics, "_domain", wraps=metrics._domain) as computed:
        Client().get("/metrics")
        Client().get("/metrics")
    assert computed.call_count == 1
    metrics._domain_cache = None
