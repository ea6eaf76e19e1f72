"""The read router against a real streaming replica (scripts/pg-replica, `make replica`).

Run with both URLs set, e.g.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ops_replica \
    DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/ops_replica \
    .venv/bin/pytest ops/tests/test_replica.py
The test database that pytest creates on the primary reaches the replica by streaming; the
tests pause WAL replay on the replica to make it lag on purpose.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from ops import routing
from units.services import unit_create

HAS_REPLICA = "replica" in settings.DATABASES
pytestmark = [
    pytest.mark.skipif(
        not HAS_REPLICA,
        reason="no replica: run `make replica` (scripts/pg-replica start) and set DATABASE_REPLICA_URL",
    ),
    pytest.mark.django_db(
        transaction=True, databases=["default", "vault"] + (["replica"] if HAS_REPLICA else [])
    ),
    pytest.mark.urls("ops.tests.urls"),
]


def _replica_sql(sql: str) -> object:
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.fixture
def replica(world):
    if connections["default"].vendor != "postgresql":
        pytest.skip("replica tests need PostgreSQL")
    wrapper = connections["replica"]
    mirrored = wrapper.settings_dict
    real = settings.DATABASES["replica"]
    # The test database exists on the replica under the primary's test name.
    wrapper.close()
    wrapper.settings_dict = {
        **mirrored,
        **{k: real[k] for k in ("HOST", "PORT", "USER", "PASSWORD")},
    }
    deadline = time.monotonic() + 30
    while True:
        try:
            in_recovery = _replica_sql("SELECT pg_is_in_recovery()")
            break
        except Exception as exc:  # noqa: BLE001
            wrapper.close()
            if time.monotonic() > deadline:
                wrapper.settings_dict = mirrored
                pytest.skip(
                    f"replica not reachable ({exc.__class__.__name__}): run scripts/pg-replica start"
                )
            time.sleep(0.5)
    if not in_recovery:
        wrapper.settings_dict = mirrored
        pytest.skip("DATABASE_REPLICA_URL does not point at a standby")
    routing.reset_health()
    wait_caught_up()
    yield wrapper
    _replica_sql("SELECT pg_wal_replay_resume()")
    wrapper.close()
    wrapper.settings_dict = mirrored
    routing.reset_health()


def pause() -> None:
    _replica_sql("SELECT pg_wal_replay_pause()")
    deadline = time.monotonic() + 10
    while _replica_sql("SELECT pg_get_wal_replay_pause_state()") != "paused":
        assert time.monotonic() < deadline, "replay did not pause"
        time.sleep(0.05)


def wait_caught_up() -> None:
    _replica_sql("SELECT pg_wal_replay_resume()")
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + 30
    while not _replica_sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
        assert time.monotonic() < deadline, "replica did not catch up"
        time.sleep(0.05)
    routing.reset_health()


def board(client: Client) -> dict:
    response = client.get("/ops-test/units/board")
    assert response.status_code == 200
    return response.json()


def test_a_dashboard_read_goes_to_the_replica_and_sees_old_data_while_it_lags(
    replica, world, settings
):
    settings.REPLICA_MAX_LAG_SECONDS = 3600
    first = board(Client())
    assert first["db"] == "replica"
    pause()
    unit_create(
        actor=world.admin, code="LAG1", name="Lag", kind="department", parent="P", area="33"
    )
    stale = board(Client())
    assert stale["db"] == "replica" and "LAG1" not in stale["codes"]
    wait_caught_up()
    assert "LAG1" in board(Client())["codes"]


def test_a_page_after_a_write_is_never_stale_while_the_replica_lags(replica, world, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 3600
    official = Client()
    official.force_login(world.admin)
    assert board(official)["db"] == "replica"
    pause()
    for code in ["MINE1", "MINE2", "MINE3"]:
        assert official.post("/ops-test/units/add", {"code": code}).status_code == 201
        after = board(official)
        # Read-your-writes: the official who wrote is served by the primary...
        assert after["db"] == "default" and code in after["codes"]
    # ... while the replica really is behind, as anyone else can see.
    others = board(Client())
    assert others["db"] == "replica" and "MINE1" not in others["codes"]
    # Once the replica has replayed past the official's last write, it serves them again.
    wait_caught_up()
    back = board(official)
    assert back["db"] == "replica" and {"MINE1", "MINE2", "MINE3"} <= set(back["codes"])


def test_a_replica_lagging_past_the_limit_is_left_alone(replica, world, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 0
    pause()
    unit_create(
        actor=world.admin, code="LAG2", name="Lag", kind="department", parent="P", area="33"
    )
    time.sleep(1.1)  # let the replica fall measurably behind (lag is in whole seconds here)
    routing.reset_health()
    seen = board(Client())
    assert seen["db"] == "default" and "LAG2" in seen["codes"]


def test_a_replica_that_is_down_means_reads_from_the_primary_not_errors(replica, world, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 3600
    replica.close()
    replica.settings_dict = {**replica.settings_dict, "PORT": "1"}
    routing.reset_health()
    seen = board(Client())
    assert seen["db"] == "default"
    replica.close()
    replica.settings_dict = {**replica.settings_dict, "PORT": settings.DATABASES["replica"]["PORT"]}
