"""The router's decisions, without a real replica (the replica tests show them on one)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction

from accounts.models import User
from matters.models import Matter
from ops import routing
from units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def replica_up(monkeypatch):
    """Pretend a healthy replica alias exists, and remember whether its lag was asked for."""
    monkeypatch.setattr(routing, "replica_configured", lambda: True)
    monkeypatch.setattr(routing, "_health", lambda: routing.ReplicaHealth(True, True, 0.0, 0.0))
    replayed: dict[str, bool] = {"value": True}
    monkeypatch.setattr(routing, "_replayed", lambda lsn: replayed["value"])
    return replayed


def read_alias(model) -> str:
    return routing.alias_for_read(model, {})


def test_without_a_replica_everything_reads_the_primary():
    with routing.read_from_replica():
        assert read_alias(Matter) == "default"


def test_reads_go_to_the_replica_only_when_asked(replica_up):
    assert read_alias(Matter) == "default"
    with routing.read_from_replica():
        assert read_alias(Matter) == "replica"
        assert read_alias(Unit) == "replica"
    assert read_alias(Matter) == "default"


def test_the_decorator_form_asks_for_each_call(replica_up):
    @routing.read_from_replica()
    def board() -> str:
        return read_alias(Matter)

    assert board() == "replica"
    assert board() == "replica"
    assert read_alias(Matter) == "default"


@pytest.mark.parametrize("model", [Session, User])
def test_sessions_and_officials_always_read_the_primary(replica_up, model):
    with routing.read_from_replica():
        assert read_alias(model) == "default"


def test_inside_a_transaction_reads_stay_on_the_primary(replica_up):
    with routing.read_from_replica(), transaction.atomic():
        assert read_alias(Matter) == "default"


def test_a_request_that_wrote_reads_the_primary_for_the_rest_of_it(replica_up):
    with routing.request_routing(None, wrote=False), routing.read_from_replica():
        assert read_alias(Matter) == "replica"
        routing.alias_for_write(Unit)
        assert read_alias(Matter) == "default"


def test_session_bookkeeping_is_not_a_write_that_pins(replica_up):
    with routing.request_routing(None, wrote=False), routing.read_from_replica():
        routing.alias_for_write(Session)
        assert read_alias(Matter) == "replica"


def test_a_client_whose_last_write_is_not_replayed_yet_reads_the_primary(replica_up):
    replica_up["value"] = False
    with routing.request_routing("0/3000060", wrote=False), routing.read_from_replica():
        assert read_alias(Matter) == "default"
    replica_up["value"] = True
    with routing.request_routing("0/3000060", wrote=False), routing.read_from_replica():
        assert read_alias(Matter) == "replica"
    # A cookie that is not an LSN is ignored rather than trusted.
    replica_up["value"] = False
    with routing.request_routing("x'; DROP", wrote=False) as state:
        assert state.pin_lsn is None


def test_an_unhealthy_or_lagging_replica_is_not_used(monkeypatch):
    monkeypatch.setattr(routing, "replica_configured", lambda: True)
    monkeypatch.setattr(routing, "_health", lambda: routing.ReplicaHealth(False, True, 99.0, 0.0))
    with routing.read_from_replica():
        assert read_alias(Matter) == "default"


def test_using_database_forces_reads_and_writes():
    with routing.using_database("elsewhere"):
        assert read_alias(Matter) == "elsewhere"
        assert routing.alias_for_write(Matter) == "elsewhere"
