import pytest
from django.db import connection, transaction

from audit.models import AuditEvent, AuditHead
from audit.services import audit_record, audit_verify
from audit.tests.tampering import tamper


def record(n):
    with transaction.atomic():
        for i in range(n):
            audit_record(
                actor="tester", action="test.event", matter=f"M{i}", data={"i": i, "text": "Việt"}
            )


def raw(sql, params=()):
    """Run SQL with the append-only triggers lifted, as a tamperer who owns the database
    would."""
    tamper(sql, params)


def test_clean_chain_verifies(db):
    record(5)
    result = audit_verify()
    assert result.ok and result.events == 5 and result.first_bad is None


def test_edited_entry_is_named(db):
    record(5)
    raw("UPDATE audit_auditevent SET action = %s WHERE seq = 3", ["forged"])
    result = audit_verify()
    assert not result.ok and result.first_bad == 3


def test_deleted_entry_is_named(db):
    record(5)
    raw("DELETE FROM audit_auditevent WHERE seq = 2")
    assert audit_verify().first_bad == 3


def test_deleted_last_entry_is_caught(db):
    record(5)
    raw("DELETE FROM audit_auditevent WHERE seq = 5")
    result = audit_verify()
    assert not result.ok and result.first_bad == 5


def test_swapped_entries_are_caught(db):
    record(5)
    first = AuditEvent.objects.get(seq=2)
    second = AuditEvent.objects.get(seq=3)
    # Swap the contents of 2 and 3 but keep each row's hash fields: the order is wrong now.
    raw(
        "UPDATE audit_auditevent SET matter = %s, data = %s WHERE seq = 2",
        [second.matter, '{"i": 2, "text": "Việt"}'],
    )
    raw(
        "UPDATE audit_auditevent SET matter = %s, data = %s WHERE seq = 3",
        [first.matter, '{"i": 1, "text": "Việt"}'],
    )
    assert audit_verify().first_bad == 2


def test_updates_are_refused_by_the_database(db):
    record(1)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(action="forged")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="DELETE trigger exists on PostgreSQL only"
)
def test_deletes_are_refused_on_postgresql(db):
    record(1)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).delete()


def test_audit_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError):
        audit_record(actor="x", action="y")


def test_verify_api_and_command(world):
    response = world.api(world.auditor_p).get("audit/verify")
    body = response.json()
    assert (
        response.status_code == 200
        and body["ok"] is True
        and body["events"] == AuditHead.objects.get().last_seq
    )
    raw("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = 1")
    body = world.api(world.auditor_p).get("audit/verify").json()
    assert {k: body[k] for k in ("ok", "events", "first_bad", "reason")} == {
        "ok": False,
        "events": 1,
        "first_bad": 1,
        "reason": "edited",
    }
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="entry 1"):
        call_command("audit", "verify")


def test_events_for_auditors_and_heads(world):
    api = world.api(world.auditor_p)
    assert api.get("audit/events").json()["count"] > 0
    assert world.api(world.clerk_a).get("audit/events").status_code == 403
