"""Each kind of tampering with the audit log, done as someone who owns the main database and
knows the chain's algorithm but not its key would do it: every hash recomputed after the
change and the head record rewound to match. Before the chain was keyed and anchored each of
these passed ``audit verify`` (``consistent_without_key`` checks that the tampering would still
pass that older check); now each is named."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from audit import anchors, keys
from audit.guard import erase_refused
from audit.models import AuditEvent, AuditHead
from audit.services import GENESIS, _canonical, audit_record, audit_verify, chain_hash, keyed_hash
from audit.tests.tampering import (
    consistent_without_key,
    rechain,
    remember,
    tamper,
    triggers_lifted,
)

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def log(django_capture_on_commit_callbacks: Any) -> Any:
    """Write ``n`` events, one transaction each, anchoring after every commit as the running
    system does."""

    def write(n: int, actor: str = "tester") -> None:
        for i in range(n):
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                audit_record(actor=actor, action="test.event", matter=f"M{i}", data={"i": i})
        remember()

    return write


def statuses(result: Any) -> dict[str, str]:
    return {a.source: a.status for a in result.anchors}


def test_a_clean_log_verifies_against_both_anchors(log):
    log(6)
    result = audit_verify()
    assert (result.ok, result.events, result.first_bad, result.reason) == (True, 6, None, "")
    assert statuses(result) == {"vault": "ok", "file": "ok"}
    assert {a.seq for a in result.anchors} == {6}


def test_edit_with_recomputed_hashes(log):
    log(6)
    tamper("UPDATE audit_auditevent SET action = 'forged' WHERE seq = 3")
    rechain(start=3)
    assert consistent_without_key()
    result = audit_verify()
    assert (result.ok, result.first_bad, result.reason) == (False, 3, "edited")


def test_delete_in_the_middle_with_renumbering(log):
    log(6)
    tamper("DELETE FROM audit_auditevent WHERE seq = 3")
    rechain(start=3)  # 4, 5, 6 become 3, 4, 5 with fresh hashes; the head says 5
    assert consistent_without_key() and AuditEvent.objects.count() == 5
    result = audit_verify()
    assert (result.ok, result.first_bad, result.reason) == (False, 3, "edited")


def test_delete_the_tail_and_rewind_the_head(log):
    log(6)
    kept = AuditEvent.objects.get(seq=4)
    tamper("DELETE FROM audit_auditevent WHERE seq > 4")
    tamper("UPDATE audit_audithead SET last_seq = 4, last_hash = %s", [kept.hash])
    assert consistent_without_key()
    result = audit_verify()
    assert (result.ok, result.events, result.first_bad, result.reason) == (
        False,
        4,
        5,
        "tail-missing",
    )
    assert statuses(result) == {"vault": "ahead", "file": "ahead"}


@pytest.mark.parametrize("head", ["deleted", "reset"])
def test_truncate_the_log(log, head):
    log(6)
    statement = (
        "TRUNCATE audit_auditevent"
        if connection.vendor == "postgresql"
        else "DELETE FROM audit_auditevent"
    )
    tamper(statement)
    if head == "deleted":
        tamper("DELETE FROM audit_audithead")
    else:
        tamper("UPDATE audit_audithead SET last_seq = 0, last_hash = %s", [GENESIS])
    assert consistent_without_key()
    result = audit_verify()
    assert (result.ok, result.events, result.first_bad, result.reason) == (
        False,
        0,
        1,
        "tail-missing",
    )


def test_rewrite_everything_with_recomputed_hashes(log):
    log(6)
    tamper("UPDATE audit_auditevent SET actor = 'mallory'")
    rechain()
    assert consistent_without_key()
    result = audit_verify()
    assert (result.ok, result.first_bad, result.reason) == (False, 1, "edited")


def test_rewrite_and_move_the_keyed_boundary_past_the_end(log):
    """The tamperer also claims that the whole log predates the key."""
    log(6)
    tamper("UPDATE audit_auditevent SET actor = 'mallory'")
    rechain(start=1, keyed_from=100)
    assert consistent_without_key()
    result = audit_verify()
    assert (result.ok, result.first_bad, result.reason) == (False, 1, "boundary-moved")
    assert result.keyed_from == 1  # the anchored boundary, not the head's


def test_rewrite_with_another_key(log):
    log(3)
    other = keys.AuditKey(b"\x01" * 32)
    prev = GENESIS
    rewritten = list(
        AuditEvent.objects.order_by("seq").values_list(
            "seq", "at", "actor", "action", "matter", "unit", "data"
        )
    )
    tamper("DELETE FROM audit_auditevent")
    for seq, at, _actor, action, matter, unit, data in rewritten:
        digest = keyed_hash(
            other.secret, prev, _canonical(seq, at, "mallory", action, matter, unit, data)
        )
        AuditEvent.objects.create(
            seq=seq,
            at=at,
            actor="mallory",
            action=action,
            matter=matter,
            unit=unit,
            data=data,
            prev_hash=prev,
            hash=digest,
        )
        prev = digest
    tamper("UPDATE audit_audithead SET last_hash = %s", [prev])
    result = audit_verify()
    assert (result.ok, result.first_bad, result.reason) == (False, 1, "edited")


def test_a_cut_tail_is_seen_with_the_vault_down(log):
    """Either anchor alone is enough: the vault being unreachable leaves the file."""
    from vault.testing import vault_broken

    log(5)
    kept = AuditEvent.objects.get(seq=3)
    tamper("DELETE FROM audit_auditevent WHERE seq > 3")
    tamper("UPDATE audit_audithead SET last_seq = 3, last_hash = %s", [kept.hash])
    with vault_broken():
        result = audit_verify()
    assert (result.ok, result.first_bad) == (False, 4)
    assert statuses(result) == {"vault": "unreachable", "file": "ahead"}


def test_a_cut_tail_is_seen_with_the_file_gone(log, settings):
    log(5)
    Path(settings.AUDIT_ANCHOR_PATH).unlink()
    kept = AuditEvent.objects.get(seq=3)
    tamper("DELETE FROM audit_auditevent WHERE seq > 3")
    tamper("UPDATE audit_audithead SET last_seq = 3, last_hash = %s", [kept.hash])
    result = audit_verify()
    assert (result.ok, result.first_bad) == (False, 4)
    assert statuses(result) == {"vault": "ahead", "file": "missing"}


def test_a_rewound_anchor_is_forged(log, settings):
    """Cutting the tail and rewinding the anchor file too: the file's MAC no longer holds, and
    the vault still has the real tip."""
    log(5)
    path = Path(settings.AUDIT_ANCHOR_PATH)
    kept = AuditEvent.objects.get(seq=3)
    tamper("DELETE FROM audit_auditevent WHERE seq > 3")
    tamper("UPDATE audit_audithead SET last_seq = 3, last_hash = %s", [kept.hash])
    body = json.loads(path.read_text())
    path.write_text(json.dumps({**body, "seq": 3, "hash": kept.hash}))
    result = audit_verify()
    assert not result.ok and result.first_bad == 4
    assert statuses(result) == {"vault": "ahead", "file": "forged"}
    # With the vault rewound the same way, the forged file alone still fails the check.
    from vault.models import AuditAnchor

    AuditAnchor.objects.using("vault").all().delete()
    result = audit_verify()
    assert (result.ok, result.reason) == (False, "anchor-forged")


def test_anchors_lag_but_never_lead(log, settings):
    """An anchor behind the tip (a store was down at the last commit) is not an alarm."""
    log(3)
    with transaction.atomic():  # committed by the test's transaction: no anchoring callback
        audit_record(actor="tester", action="test.late")
    result = audit_verify()
    assert result.ok and result.events == 4
    assert {a.seq for a in result.anchors} == {3}


def test_the_tip_is_anchored_once_per_commit(log, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for i in range(5):
            audit_record(actor="tester", action="test.event", data={"i": i})
    assert len(callbacks) == 1
    anchor = json.loads(Path(settings.AUDIT_ANCHOR_PATH).read_text())
    head = AuditHead.objects.get()
    assert (anchor["seq"], anchor["hash"], anchor["keyed_from"]) == (5, head.last_hash, 1)
    assert anchors.is_genuine(keys.load_key(), anchors.Anchor.from_dict(anchor))


def test_an_older_unkeyed_chain_goes_on_keyed_and_is_held_by_the_boundary(log):
    """An installation upgraded with entries 1-3 already written: they keep plain SHA-256,
    the chain is keyed from 4 on, and rewriting the old part breaks the link into 4."""
    import importlib

    from django.apps import apps

    with transaction.atomic():
        for i in range(3):
            audit_record(actor="old", action="test.old", data={"i": i})
    # What migration 0003 does to an existing head: the keyed part starts at the next entry.
    # (The test's chain began keyed at 1; make it look like one written before the key.)
    rechain(start=1, keyed_from=999)
    migration = importlib.import_module("audit.migrations.0003_keyed_chain")
    tamper("UPDATE audit_audithead SET keyed_from = 1")
    with triggers_lifted():  # the migration sets it before it creates the triggers
        migration.start_keyed_chain(apps, type("Editor", (), {"connection": connection})())
    assert AuditHead.objects.get().keyed_from == 4
    log(3, actor="new")
    events = list(AuditEvent.objects.order_by("seq"))
    assert events[1].hash == chain_hash(
        events[0].hash,
        _canonical(2, events[1].at, "old", "test.old", "", "", events[1].data),
    )
    result = audit_verify()
    assert (result.ok, result.events, result.keyed_from) == (True, 6, 4)
    # Rewrite entry 2 and re-hash 2 and 3 (unkeyed, so that much is possible): entry 4, the
    # first keyed one, still links to the old entry 3.
    tamper("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = 2")
    prev = events[0].hash
    for event in AuditEvent.objects.filter(seq__in=[2, 3]).order_by("seq"):
        digest = chain_hash(
            prev,
            _canonical(event.seq, event.at, event.actor, event.action, "", "", event.data),
        )
        tamper(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
            [prev, digest, event.seq],
        )
        prev = digest
    result = audit_verify()
    assert (result.ok, result.first_bad, result.reason) == (False, 4, "edited")


def test_the_database_refuses_to_erase_the_log(log):
    log(2)
    with erase_refused(connection):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(seq=2).delete()
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            AuditHead.objects.all().delete()
        if connection.vendor == "postgresql":
            with pytest.raises(Exception, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("TRUNCATE audit_auditevent")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditHead.objects.update(last_seq=1)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditHead.objects.update(keyed_from=50)
    assert AuditEvent.objects.count() == 2
    assert audit_verify().ok


def test_verify_command_says_why(log):
    log(3)
    tamper("DELETE FROM audit_auditevent WHERE seq = 3")
    tamper(
        "UPDATE audit_audithead SET last_seq = 2, last_hash = %s",
        [AuditEvent.objects.get(seq=2).hash],
    )
    with pytest.raises(CommandError, match=r"at entry 3 \(tail-missing\)"):
        call_command("audit", "verify")


# --- The key -----------------------------------------------------------------------------------


@pytest.fixture
def own_key(settings: Any, tmp_path: Path) -> Any:
    settings.AUDIT_KEY = ""
    settings.AUDIT_KEY_PATH = str(tmp_path / "audit.key")
    keys.key_reset()
    yield Path(settings.AUDIT_KEY_PATH)
    keys.key_reset()


def test_the_key_is_made_on_first_use_outside_production(own_key):
    key = keys.load_key()
    assert own_key.exists() and oct(own_key.stat().st_mode & 0o777) == "0o600"
    assert len(key.secret) == 32 and key.key_id.startswith("a")
    assert "secret" not in repr(key) and own_key.read_text().strip() not in repr(key)


def test_production_refuses_to_run_without_a_key(own_key, settings):
    from django.apps import apps

    settings.PRODUCTION = True
    settings.AUDIT_ERASE_ALLOWED = False
    with pytest.raises(ImproperlyConfigured, match="No audit key"):
        keys.load_key()
    with pytest.raises(ImproperlyConfigured, match="No audit key"):
        apps.get_app_config("audit").ready()
    assert not own_key.exists()
    settings.AUDIT_KEY = "ab" * 32
    assert keys.load_key().secret == b"\xab" * 32


def test_production_refuses_the_test_runners_erase_permission(own_key, settings):
    from django.apps import apps

    settings.PRODUCTION = True
    settings.AUDIT_ERASE_ALLOWED = True
    with pytest.raises(ImproperlyConfigured, match="AUDIT_ERASE_ALLOWED"):
        apps.get_app_config("audit").ready()


def test_init_key_command(tmp_path):
    target = tmp_path / "k" / "audit.key"
    call_command("audit", "init-key", "--path", str(target))
    assert len(keys.decode_key(target.read_text())) == 32
    with pytest.raises(CommandError, match="exists already"):
        call_command("audit", "init-key", "--path", str(target))


# --- The witness -------------------------------------------------------------------------------


def test_the_anchor_command_posts_the_tip_to_the_witness(log, settings):
    received: list[dict[str, Any]] = []

    class Witness(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers["Content-Length"])
            received.append(
                {"auth": self.headers["Authorization"], **json.loads(self.rfile.read(length))}
            )
            self.send_response(201)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Witness)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.AUDIT_WITNESS_URL = f"http://127.0.0.1:{server.server_port}/anchors"
    settings.AUDIT_WITNESS_TOKEN = "witness-token"
    try:
        log(2)
        call_command("audit", "anchor")
        thread.join(timeout=10)
    finally:
        server.server_close()
    (body,) = received
    assert body["auth"] == "Bearer witness-token" and body["system"] == "dutdiem"
    anchor = anchors.Anchor.from_dict(body)
    assert anchor.seq == 2 and anchor.hash == AuditHead.objects.get().last_hash
    assert anchors.is_genuine(keys.load_key(), anchor)


def test_a_witness_that_does_not_answer_stops_nothing(log, settings):
    settings.AUDIT_WITNESS_URL = "http://127.0.0.1:9/none"  # discard port: refused
    settings.AUDIT_WITNESS_TIMEOUT = 1
    log(1)
    call_command("audit", "anchor")
    assert audit_verify().ok


def test_verify_can_require_an_anchor(log, settings):
    with transaction.atomic():  # no commit in this test's transaction: nothing anchored
        audit_record(actor="tester", action="test.event")
    call_command("audit", "verify")  # an unanchored log is not, by itself, a broken one
    with pytest.raises(CommandError, match="no anchor"):
        call_command("audit", "verify", "--require-anchor")
    log(1)
    call_command("audit", "verify", "--require-anchor")


def test_a_vault_that_is_down_is_skipped_for_a_while_after_commits(log, settings, monkeypatch):
    from vault.testing import vault_broken

    monkeypatch.setattr(anchors, "_vault_down_until", 0.0)
    tries = []
    real = anchors.write_vault

    def counting(anchor: Any, **kwargs: Any) -> bool:
        tries.append(anchor.seq)
        return real(anchor, **kwargs)

    monkeypatch.setattr(anchors, "write_vault", counting)
    with vault_broken():
        log(3)  # the first commit tries the vault and fails; the next two skip it
        assert tries == [1]
        assert json.loads(Path(settings.AUDIT_ANCHOR_PATH).read_text())["seq"] == 3
        call_command("audit", "anchor")  # the periodic job always tries
        assert tries == [1, 3]
    call_command("audit", "anchor")
    assert tries == [1, 3, 3]
    result = audit_verify()
    assert result.ok and statuses(result) == {"vault": "ok", "file": "ok"}
