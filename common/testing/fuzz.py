"""Schema-driven fuzzing of the JSON API with Schemathesis: every operation of
/api/v1/openapi.json, called in-process through the WSGI application (no server), with
inputs generated from its schema (valid ones and, in Schemathesis' negative mode, invalid
ones), as each of the given personas.

A finding is a 5xx, or a response that does not conform to the operation's schema. Used by
``ops/tests/test_fuzz_api.py`` (a small fixed budget, in every CI run) and
``drills/fuzz_api.py`` (a longer run whose figures go in docs/benchmarks-fuzz.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Finding:
    role: str
    operation: str
    status: int
    kind: str  # "5xx" or "schema"
    detail: str
    request: str


@dataclass
class FuzzResult:
    requests: int = 0
    operations: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"{f.role} {f.operation} -> {f.status} ({f.kind}): {f.detail[:300]} | {f.request[:300]}"
            for f in self.findings
        ]


def fuzz_api(
    headers_by_role: dict[str, dict[str, str]],
    *,
    max_examples: int = 3,
    negative: bool = True,
    seed: int = 13,
    skip: tuple[str, ...] = (),
) -> FuzzResult:
    """Call every operation ``max_examples`` times per persona and mode; return what failed."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    # Like Django's test client: the request signals must not close the test's connection
    # (on PostgreSQL that would end the test's transaction and every request after it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return _fuzz_all(headers_by_role, max_examples, negative, skip, get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz_all(
    headers_by_role: dict[str, dict[str, str]],
    max_examples: int,
    negative: bool,
    skip: tuple[str, ...],
    app: Any,
) -> FuzzResult:
    import schemathesis
    from schemathesis.core.result import Ok

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    modes = [schemathesis.GenerationMode.POSITIVE]
    if negative:
        modes.append(schemathesis.GenerationMode.NEGATIVE)
    result = FuzzResult()
    for loaded in schema.get_all_operations():
        if not isinstance(loaded, Ok):  # an operation whose schema cannot be read
            result.findings.append(Finding("-", "?", 0, "schema", str(loaded.err()), ""))
            continue
        operation = loaded.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if any(part in label for part in skip):
            continue
        result.operations += 1
        for role, headers in headers_by_role.items():
            for mode in modes:
                _fuzz_one(operation, label, role, headers, mode, max_examples, result)
    return result


def _fuzz_one(
    operation: Any,
    label: str,
    role: str,
    headers: dict[str, str],
    mode: Any,
    max_examples: int,
    result: FuzzResult,
) -> None:
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.specs.openapi.checks import response_schema_conformance

    positive = mode == schemathesis.GenerationMode.POSITIVE
    seen: set[tuple[int, str]] = set()

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
        print_blob=False,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        result.requests += 1
        status = response.status_code
        result.by_status[status] = result.by_status.get(status, 0) + 1
        request = f"path={case.path_parameters} query={case.query} body={case.body!r}"
        if status >= 500:
            if (status, "5xx") not in seen:
                seen.add((status, "5xx"))
                result.findings.append(
                    Finding(role, label, status, "5xx", response.text[:500], request)
                )
            return
        if positive and status in (200, 201):
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except Exception as exc:  # noqa: BLE001 - any check failure is a finding
                if (status, "schema") not in seen:
                    seen.add((status, "schema"))
                    result.findings.append(
                        Finding(role, label, status, "schema", str(exc)[:500], request)
                    )

    try:
        run()
    except Unsatisfiable:
        pass  # e.g. no invalid input exists for an operation without parameters
