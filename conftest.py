"""Shared fixtures: a small unit tree with fixed personas, and an API client per persona.

The tree (STYLE.md personas):
    P  province people's committee (area 33) — leader_p (leader), auditor_p (auditor)
    ├── A  department — clerk_a (clerk), handler_a (handler), head_a (head)
    ├── B  department — official_b (clerk, handler), head_b (head)
    └── C  commune people's committee (area 12345 style) — head_c (head)
admin is a superuser.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from accounts.models import ApiToken, User, hash_token
from areas.models import Area
from units.models import Unit
from units.services import unit_create

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside one unless told it is safe (it is: nothing here is async).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["common.testing.browser"]

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _audit_anchor_file(settings: Any, tmp_path_factory: Any) -> None:
    """Each test anchors the audit chain in a file of its own: a flushed or rolled-back log
    must not be compared with the tip another test anchored."""
    settings.AUDIT_ANCHOR_PATH = str(tmp_path_factory.mktemp("audit") / "anchor.json")


class ApiClient:
    """A thin JSON client for /api/v1 that authenticates with a bearer token."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.user = user
        self.headers: dict[str, str] = {}
        if user is not None:
            raw = f"test-token-{user.username}"
            ApiToken.objects.get_or_create(user=user, key_hash=hash_token(raw))
            self.headers["Authorization"] = f"Bearer {raw}"

    def _url(self, path: str) -> str:
        return path if path.startswith("/") else f"/api/v1/{path}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(self._url(path), params, headers=self.headers)

    def post(self, path: str, data: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            self._url(path),
            json.dumps(data if data is not None else {}),
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def put(self, path: str, data: Any = None) -> Any:
        return self.client.put(
            self._url(path),
            json.dumps(data or {}),
            content_type="application/json",
            headers=self.headers,
        )


@dataclass
class World:
    admin: User
    p: Unit
    a: Unit
    b: Unit
    c: Unit
    clerk_a: User
    handler_a: User
    head_a: User
    official_b: User
    head_b: User
    head_c: User
    leader_p: User
    auditor_p: User
    commune: Area

    def api(self, user: User | None) -> ApiClient:
        return ApiClient(user)


def make_official(username: str, unit: Unit, roles: list[str]) -> User:
    user = User.objects.create_user(
        username, password=PASSWORD, full_name=username.title(), unit=unit, roles=roles
    )
    if "head" in roles:
        unit.head = user
        unit.save(update_fields=["head"])
    return user


def ensure_reference_data() -> None:
    """Areas and categories come from data migrations; a transactional test's flush empties
    them, so put them back when missing (same code as the migrations)."""
    import importlib

    from django.apps import apps

    from areas.models import FormerArea
    from areas.services import gazetteer
    from matters.models import Category

    if not Area.objects.exists():
        importlib.import_module("areas.migrations.0002_load_official").load(apps, None)
        importlib.import_module("plans.migrations.0002_commune_coordinates").fill(apps, None)
    if not FormerArea.objects.exists():
        importlib.import_module("areas.migrations.0004_load_former").load(apps, None)
        gazetteer.cache_clear()
    if not Category.objects.exists():
        importlib.import_module("matters.migrations.0002_categories").seed(apps, None)
    from matters.models import DeadlineRule

    for app in ("petitions", "statements"):
        if not DeadlineRule.objects.filter(key__startswith=f"{app}.").exists():
            importlib.import_module(f"{app}.migrations.0002_deadline_rules").seed(apps, None)
            if app == "petitions":
                importlib.import_module("petitions.migrations.0005_rule_sources").clean(apps, None)
    # What the demo needs of the other apps' data migrations (reviews' own tests reseed the
    # rest in reviews/tests/conftest.py).
    if not DeadlineRule.objects.filter(key__startswith="reviews.").exists():
        importlib.import_module("reviews.migrations.0002_deadline_rules").seed(apps, None)
        importlib.import_module("reviews.migrations.0004_foreign_capital_notice_configurable").mark(
            apps, None
        )
    if not Category.objects.filter(code="investment").exists():
        importlib.import_module("reviews.migrations.0003_category").seed(apps, None)
    if not DeadlineRule.objects.filter(key="citizens.DSR").exists():
        importlib.import_module("citizens.migrations.0002_citizens_data_request_rule").seed(
            apps, None
        )


@pytest.fixture
def world(db: Any) -> World:
    ensure_reference_data()
    admin = User.objects.create_superuser("root", "", PASSWORD)
    commune = Area.objects.filter(parent_id="33").order_by("code").first()
    assert commune is not None
    p = unit_create(actor=admin, code="P", name="UBND tỉnh", kind="peoples_committee", area="33")
    a = unit_create(actor=admin, code="A", name="Sở A", kind="department", parent="P", area="33")
    b = unit_create(actor=admin, code="B", name="Sở B", kind="department", parent="P", area="33")
    c = unit_create(
        actor=admin,
        code="C",
        name="UBND xã C",
        kind="peoples_committee",
        parent="P",
        area=commune.code,
    )
    return World(
        admin=admin,
        p=p,
        a=a,
        b=b,
        c=c,
        clerk_a=make_official("clerk_a", a, ["clerk"]),
        handler_a=make_official("handler_a", a, ["handler"]),
        head_a=make_official("head_a", a, ["head"]),
        official_b=make_official("official_b", b, ["clerk", "handler"]),
        head_b=make_official("head_b", b, ["head"]),
        head_c=make_official("head_c", c, ["head"]),
        leader_p=make_official("leader_p", p, ["leader"]),
        auditor_p=make_official("auditor_p", p, ["auditor"]),
        commune=commune,
    )
