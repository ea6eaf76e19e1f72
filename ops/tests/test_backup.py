"""dutdiem backup / restore on the database in use (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import io
import json
import tarfile
import threading
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import override_settings

from audit.models import AuditEvent
from audit.services import audit_verify
from ops import backup
from units.models import Unit
from units.services import unit_create

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])
KEY = "ab" * 32
OTHER_KEY = "cd" * 32


@pytest.fixture(autouse=True)
def backup_key(settings):
    settings.BACKUP_KEY = KEY


def add_units(world, codes):
    for code in codes:
        unit_create(
            actor=world.admin,
            code=code,
            name=f"Unit {code}",
            kind="department",
            parent="P",
            area="33",
        )


def command(name: str, *args: str) -> dict:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return json.loads(out.getvalue())


def test_backup_then_verify_compares_counts_and_the_audit_chain(world, tmp_path):
    add_units(world, ["X1", "X2"])
    target = tmp_path / "b.dutdiem"
    summary = command("backup", "--output", str(target))
    assert summary["members"]["default"]["rows"] > 0
    assert set(summary["members"]) == {"default", "vault"}
    assert oct(target.stat().st_mode & 0o777) == "0o600"

    report = command("restore", "--input", str(target), "--verify")
    assert report["ok"] is True
    assert report["members"]["default"]["counts_match"] is True
    assert report["members"]["vault"]["counts_match"] is True
    assert report["audit"] == {
        "ok": True,
        "events": AuditEvent.objects.count(),
        "first_bad": None,
        "tip_matches": True,
        "reason": "",
    }


def test_the_backup_file_holds_nothing_readable(world, tmp_path):
    add_units(world, ["XSECRET"])
    target = tmp_path / "b.dutdiem"
    command("backup", "--output", str(target))
    with tarfile.open(target) as archive:
        assert sorted(archive.getnames()) == ["default.bin", "manifest.json", "vault.bin"]
        manifest = json.loads(archive.extractfile("manifest.json").read())
    raw = target.read_bytes()
    assert b"Unit XSECRET" not in raw and "Sở A".encode() not in raw
    assert manifest["members"]["default"]["counts"]["units_unit"] == Unit.objects.count()


def test_a_changed_byte_or_another_key_or_a_cut_file_is_refused(world, tmp_path):
    target = tmp_path / "b.dutdiem"
    command("backup", "--output", str(target))
    with tarfile.open(target) as archive:
        offset = archive.getmember("default.bin").offset_data
    flipped = tmp_path / "flipped.dutdiem"
    data = bytearray(target.read_bytes())
    data[offset + 100] ^= 1
    flipped.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="default: cannot decrypt"):
        command("restore", "--input", str(flipped), "--verify")

    cut = tmp_path / "cut.dutdiem"
    cut.write_bytes(target.read_bytes()[: offset + 50])
    with pytest.raises(CommandError, match="not a complete dutdiem backup|cannot decrypt"):
        command("restore", "--input", str(cut), "--verify")

    with (
        override_settings(BACKUP_KEY=OTHER_KEY),
        pytest.raises(CommandError, match="another backup key"),
    ):
        command("restore", "--input", str(target), "--verify")
    with pytest.raises(CommandError, match="no such file"):
        command("restore", "--input", str(tmp_path / "missing"), "--verify")


def test_verify_names_the_first_bad_audit_entry(world, tmp_path):
    add_units(world, ["X1", "X2", "X3"])
    victim = AuditEvent.objects.order_by("seq")[3]
    # The application cannot edit the log; someone with the database file can.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [victim.seq])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_change")
    target = tmp_path / "b.dutdiem"
    command("backup", "--output", str(target))
    with pytest.raises(CommandError, match=f"audit chain broken at entry {victim.seq + 1}"):
        command("restore", "--input", str(target), "--verify")


def test_verify_checks_the_chain_against_the_tip_signed_in_the_backup(world, tmp_path):
    """The manifest's tip is signed with the audit key: one rewound (as if the backup had
    been taken before its last entries) no longer holds, and the check says so."""
    add_units(world, ["X1", "X2"])
    target = tmp_path / "b.dutdiem"
    command("backup", "--output", str(target))
    report = command("restore", "--input", str(target), "--verify")
    assert report["audit"]["ok"] is True and report["audit"]["reason"] == ""

    forged = tmp_path / "forged.dutdiem"
    with tarfile.open(target) as source, tarfile.open(forged, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                anchor = manifest["members"]["default"]["audit"]["anchor"]
                anchor["seq"] -= 1
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match=r"audit chain broken \(anchor-forged\)"):
        command("restore", "--input", str(forged), "--verify")


def test_restore_over_a_database_that_has_tables_needs_replace_and_then_brings_back_the_copy(
    world, tmp_path
):
    add_units(world, ["X1"])
    target = tmp_path / "b.dutdiem"
    command("backup", "--output", str(target))
    add_units(world, ["LATER"])
    before = Unit.objects.count()

    with pytest.raises(CommandError, match="already holds tables; .* --replace"):
        command("restore", "--input", str(target))
    assert Unit.objects.count() == before

    report = command("restore", "--input", str(target), "--replace")
    assert report["ok"] is True
    assert not Unit.objects.filter(code="LATER").exists()
    assert Unit.objects.filter(code="X1").exists()
    assert audit_verify().ok


def test_a_backup_of_an_unreachable_vault_says_so_and_writes_nothing(world, tmp_path):
    from unittest import mock

    from django.db import OperationalError

    target = tmp_path / "b.dutdiem"
    with mock.patch.object(
        connections["vault"], "ensure_connection", side_effect=OperationalError("down")
    ):
        with pytest.raises(
            CommandError, match="the vault database does not answer .*--without-vault"
        ):
            command("backup", "--output", str(target))
    assert list(tmp_path.iterdir()) == []
    with mock.patch.object(
        connections["vault"], "ensure_connection", side_effect=OperationalError("down")
    ):
        summary = command("backup", "--output", str(target), "--without-vault")
    assert set(summary["members"]) == {"default"}
    assert command("restore", "--input", str(target), "--verify")["ok"] is True


def test_a_backup_that_cannot_be_written_leaves_no_file(world, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        command("backup", "--output", str(tmp_path / "no" / "such" / "dir" / "b"))
    with pytest.raises(CommandError, match="is a directory"):
        command("backup", "--output", str(tmp_path))


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="concurrent writers need PostgreSQL (the SQLite test database lives in memory)",
)
def test_a_backup_taken_while_writes_go_on_holds_every_write_committed_before_it_started(
    world, tmp_path
):
    committed: list[tuple[float, str]] = []
    stop = threading.Event()

    def writer() -> None:
        try:
            n = 0
            while not stop.is_set() and n < 2000:
                n += 1
                code = f"W{n:05d}"
                add_units(world, [code])
                committed.append((time.monotonic(), code))
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    while len(committed) < 20:
        time.sleep(0.01)
    started = time.monotonic()
    target = tmp_path / "b.dutdiem"
    command("backup", "--output", str(target))
    stop.set()
    thread.join()
    before = {code for at, code in committed if at < started}
    assert len(before) >= 20

    found: set[str] = set()

    def probe(alias: str) -> None:
        found.update(
            Unit.objects.using(alias).filter(code__startswith="W").values_list("code", flat=True)
        )

    report = backup.restore_verify(target, probe=probe)
    assert report.ok, report.as_dict()
    assert before <= found
    assert found <= {code for _at, code in committed}
