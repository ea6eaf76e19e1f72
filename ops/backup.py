"""Backup and restore of the database and the vault, taken while the app runs.

A backup is one tar file:

    manifest.json   what is inside: engine, when, row counts per table and the audit chain's
                    tip at the moment of the copy (no personal data), and how to decrypt
    default.bin     the main database, encrypted (ops.crypto)
    vault.bin       the vault, encrypted separately (its own nonce and associated data)

How each database is copied:
- SQLite: the online backup API copies a consistent snapshot while others keep writing;
  the counts are taken from the copy.
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot; the row counts are taken in
  that transaction and ``pg_dump -Fc --snapshot`` dumps exactly the same state.

The main database is copied before the vault, so every sealed identity that a copied
petition refers to was already committed when the vault copy starts.

``restore_verify`` restores into scratch databases (a temporary SQLite file, or a scratch
PostgreSQL database created and dropped on the same server), compares every table's row
count with the manifest and verifies the audit chain there. ``restore_into_live`` restores
over the configured databases (all or nothing), then checks the same way.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections
from django.db.utils import load_backend
from django.utils import timezone

from audit.anchors import Reading
from ops import crypto
from ops.routing import using_database

FORMAT = 1
MEMBERS = ("default", "vault")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what and where."""


# --- Taking a backup ---------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def backup_create(output: Path, *, include_vault: bool = True) -> BackupResult:
    """Write a backup to ``output`` (atomically: a half-written file never has that name)."""
    output = output.resolve()
    if output.exists() and output.is_dir():
        raise BackupError(f"{output} is a directory; give a file name")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} does not exist")
    key = _key()
    backup_id = secrets.token_hex(8)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "backup_id": backup_id,
        "started_at": timezone.now().isoformat(),
        "key_id": crypto.key_id(key),
        "members": {},
    }
    aliases = ["default", "vault"] if include_vault else ["default"]
    partial = output.with_name(f".{output.name}.{backup_id}.partial")
    try:
        with tempfile.TemporaryDirectory(prefix="dutdiem-backup-", dir=_scratch_dir(output)) as tmp:
            encrypted: dict[str, Path] = {}
            for alias in aliases:
                plain = Path(tmp) / f"{alias}.plain"
                info = _dump(alias, plain)
                target = Path(tmp) / f"{alias}.bin"
                with target.open("wb") as handle:
                    info.update(
                        crypto.encrypt_file(
                            plain,
                            handle,
                            key,
                            backup_id=backup_id,
                            member=alias,
                            compress=info["kind"] == "sqlite",
                        )
                    )
                plain.unlink()
                encrypted[alias] = target
                _sign_audit_tip(info)
                manifest["members"][alias] = info
            manifest["finished_at"] = timezone.now().isoformat()
            with tarfile.open(partial, "w") as archive:
                partial.chmod(0o600)
                _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
                for alias, path in encrypted.items():
                    archive.add(path, arcname=f"{alias}.bin")
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot write the backup to {output}: {exc.strerror or exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(path=output, manifest=manifest)


def _sign_audit_tip(info: dict[str, Any]) -> None:
    """Add to the copy's audit tip an anchor under the audit key: ``restore --verify`` checks
    the restored chain against it (the live anchors have moved on since)."""
    from audit.anchors import make_anchor
    from audit.keys import load_key

    tip = info.get("audit")
    if not tip or "keyed_from" not in tip:
        return
    digest = tip["last_hash"] or "0" * 64
    anchor = make_anchor(load_key(), tip["last_seq"], digest, tip["keyed_from"])
    tip["anchor"] = anchor.as_dict()


def _key() -> bytes:
    try:
        return crypto.backup_key()
    except crypto.BackupKeyError as exc:
        raise BackupError(str(exc)) from exc


def _scratch_dir(output: Path) -> str | None:
    # Work beside the output so the final rename stays on one filesystem, unless told otherwise.
    return os.environ.get("DUTDIEM_BACKUP_TMPDIR") or str(output.parent)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    member = tarfile.TarInfo(name)
    member.size = len(data)
    member.mtime = int(timezone.now().timestamp())
    archive.addfile(member, io.BytesIO(data))


def _dump(alias: str, target: Path) -> dict[str, Any]:
    connection = connections[alias]
    try:
        connection.ensure_connection()
    except Exception as exc:
        raise BackupError(
            f"the {alias} database does not answer ({exc.__class__.__name__}); "
            + ("use --without-vault to back up the rest" if alias == "vault" else "")
        ) from exc
    if connection.vendor == "sqlite":
        return _dump_sqlite(alias, target)
    if connection.vendor == "postgresql":
        return _dump_postgres(alias, target)
    raise BackupError(f"cannot back up a {connection.vendor} database")


def _dump_sqlite(alias: str, target: Path) -> dict[str, Any]:
    source = connections[alias].connection
    copy = sqlite3.connect(target)
    try:
        # pages=-1: one step, so the copy is one consistent snapshot even while others write.
        source.backup(copy, pages=-1)
        counts, audit = _sqlite_counts(copy)
    finally:
        copy.close()
    return {"kind": "sqlite", "counts": counts, "audit": audit}


def _sqlite_counts(conn: sqlite3.Connection) -> tuple[dict[str, int], dict[str, Any] | None]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    counts = {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}  # noqa: S608
    audit = None
    if "audit_audithead" in tables:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(audit_audithead)")}
        row = conn.execute(_audit_tip_sql(columns)).fetchone()
        audit = _audit_tip(row)
    return counts, audit


def _audit_tip_sql(columns: set[str]) -> str:
    keyed = "keyed_from" if "keyed_from" in columns else "NULL"
    return f"SELECT last_seq, last_hash, {keyed} FROM audit_audithead WHERE id = 1"  # noqa: S608


def _audit_tip(row: Any) -> dict[str, Any]:
    """The chain's tip in the copy; ``keyed_from`` where the copy's schema has it."""
    if not row:
        return {"last_seq": 0, "last_hash": "", "keyed_from": 1}
    tip: dict[str, Any] = {"last_seq": int(row[0]), "last_hash": row[1]}
    if row[2] is not None:
        tip["keyed_from"] = int(row[2])
    return tip


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for var, key in (("PGSSLMODE", "sslmode"), ("PGTARGETSESSIONATTRS", "target_session_attrs")):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _pg_tool(name: str) -> str:
    folder = os.environ.get("DUTDIEM_PG_BIN", "")
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not Path(path).exists():
        raise BackupError(f"{name} not found: install postgresql-client (or set DUTDIEM_PG_BIN)")
    return path


def _pg_raw(alias: str) -> Any:
    """A connection of our own (not Django's) to hold the exported snapshot."""
    wrapper = connections[alias]
    return wrapper.get_new_connection(wrapper.get_connection_params())


PG_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"


def _pg_counts(cursor: Any) -> tuple[dict[str, int], dict[str, Any] | None]:
    cursor.execute(PG_TABLES)
    tables = [row[0] for row in cursor.fetchall()]
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = int(cursor.fetchone()[0])
    audit = None
    if "audit_audithead" in tables:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'audit_audithead'"
        )
        columns = {row[0] for row in cursor.fetchall()}
        cursor.execute(_audit_tip_sql(columns))
        audit = _audit_tip(cursor.fetchone())
    return counts, audit


def _dump_postgres(alias: str, target: Path) -> dict[str, Any]:
    settings_dict = connections[alias].settings_dict
    raw = _pg_raw(alias)
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts, audit = _pg_counts(cursor)
            # The snapshot lives as long as this transaction: pg_dump runs inside it.
            result = subprocess.run(
                [
                    _pg_tool("pg_dump"),
                    "-Fc",
                    "--snapshot",
                    snapshot,
                    "-f",
                    str(target),
                    "-d",
                    str(settings_dict["NAME"]),
                ],
                env=_pg_env(settings_dict),
                capture_output=True,
                text=True,
                check=False,
            )
            cursor.execute("ROLLBACK")
    finally:
        raw.close()
    if result.returncode != 0:
        raise BackupError(f"pg_dump of {alias} failed: {result.stderr.strip()[-500:]}")
    return {"kind": "pg_dump", "counts": counts, "audit": audit}


# --- Reading a backup --------------------------------------------------------------------------


@contextmanager
def opened(path: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """Unpack a backup into a temporary folder and decrypt its members; yields the manifest and
    the folder holding ``<member>.plain`` files."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    key = _key()
    with tempfile.TemporaryDirectory(
        prefix="dutdiem-restore-", dir=os.environ.get("DUTDIEM_BACKUP_TMPDIR")
    ) as tmp:
        folder = Path(tmp)
        try:
            with tarfile.open(path, "r") as archive:
                manifest_file = archive.extractfile("manifest.json")
                if manifest_file is None:
                    raise KeyError("manifest.json")
                manifest = json.loads(manifest_file.read())
                if manifest.get("format") != FORMAT:
                    raise BackupError(
                        f"{path}: backup format {manifest.get('format')} is not {FORMAT}"
                    )
                if manifest.get("key_id") != crypto.key_id(key):
                    raise BackupError(
                        f"{path} was encrypted with another backup key (key id {manifest.get('key_id')})"
                    )
                for member, info in manifest["members"].items():
                    handle = archive.extractfile(f"{member}.bin")
                    if handle is None:
                        raise KeyError(f"{member}.bin")
                    crypto.decrypt_file(
                        handle,
                        folder / f"{member}.plain",
                        key,
                        backup_id=manifest["backup_id"],
                        member=member,
                        info=info,
                    )
        except (tarfile.TarError, KeyError, json.JSONDecodeError, EOFError) as exc:
            raise BackupError(f"{path} is not a complete dutdiem backup ({exc})") from exc
        except crypto.BackupCorrupt as exc:
            raise BackupError(f"{path}: {exc}") from exc
        yield manifest, folder


# --- Restoring ---------------------------------------------------------------------------------


@dataclass
class MemberCheck:
    member: str
    counts_match: bool
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    tables: int = 0
    rows: int = 0


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    members: list[MemberCheck]
    audit_ok: bool | None
    audit_events: int
    audit_first_bad: int | None
    audit_tip_matches: bool | None
    audit_reason: str = ""

    @property
    def ok(self) -> bool:
        return (
            all(m.counts_match for m in self.members)
            and self.audit_ok is not False
            and self.audit_tip_matches is not False
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "backup_id": self.manifest["backup_id"],
            "started_at": self.manifest["started_at"],
            "members": {
                m.member: {
                    "tables": m.tables,
                    "rows": m.rows,
                    "counts_match": m.counts_match,
                    "mismatches": {t: list(v) for t, v in m.mismatches.items()},
                }
                for m in self.members
            },
            "audit": {
                "ok": self.audit_ok,
                "events": self.audit_events,
                "first_bad": self.audit_first_bad,
                "tip_matches": self.audit_tip_matches,
                "reason": self.audit_reason,
            },
        }


def restore_verify(
    path: Path, *, keep: bool = False, probe: Callable[[str], object] | None = None
) -> RestoreReport:
    """Restore ``path`` into scratch databases and check it; the live databases are untouched.
    ``probe`` is called with the scratch alias of the main database while it exists (drills use
    it to look for what they wrote)."""
    with opened(path) as (manifest, folder):
        checks: list[MemberCheck] = []
        audit: tuple[bool | None, int, int | None, bool | None, str] = (None, 0, None, None, "")
        for member, info in manifest["members"].items():
            alias = f"ops_scratch_{member}_{secrets.token_hex(3)}"
            with _scratch_database(member, info, folder / f"{member}.plain", alias, keep=keep):
                checks.append(_compare(member, info, alias))
                if member == "default":
                    audit = _audit_check(alias, info)
                    if probe is not None:
                        probe(alias)
        return RestoreReport(manifest, checks, *audit)


def restore_into_live(
    path: Path, *, replace: bool = False, members: tuple[str, ...] = MEMBERS
) -> RestoreReport:
    """Restore ``path`` over the configured databases, then check them. A target that already
    holds tables is refused unless ``replace``; on PostgreSQL the restore is one transaction,
    so a restore that fails or is killed leaves the target as it was."""
    with opened(path) as (manifest, folder):
        chosen = [m for m in manifest["members"] if m in members]
        for member in chosen:
            _check_engine(member, manifest["members"][member])
            if not replace and _has_tables(member):
                raise BackupError(
                    f"the {member} database already holds tables; restore into an empty database "
                    "or pass --replace to overwrite it"
                )
        checks: list[MemberCheck] = []
        audit: tuple[bool | None, int, int | None, bool | None, str] = (None, 0, None, None, "")
        for member in chosen:
            info = manifest["members"][member]
            _load(member, info, folder / f"{member}.plain", replace=replace)
            checks.append(_compare(member, info, member))
            if member == "default":
                audit = _audit_check(member, info)
        report = RestoreReport(manifest, checks, *audit)
        _reanchor(report, restored_main="default" in chosen)
        return report


def _reanchor(report: RestoreReport, *, restored_main: bool) -> None:
    """The live anchors still hold the tip of the log that was replaced, which a restored
    (older) log falls short of: once the restored chain has verified, anchor its tip instead.
    A chain that did not verify keeps the old anchors, so that it keeps failing."""
    from audit.services import audit_anchor, audit_reanchor

    if restored_main and report.ok and report.audit_ok:
        audit_reanchor()
    elif not restored_main:
        audit_anchor(witness=False)


def _check_engine(alias: str, info: dict[str, Any]) -> None:
    vendor = connections[alias].vendor
    expected = "sqlite" if info["kind"] == "sqlite" else "postgresql"
    if vendor != expected:
        raise BackupError(
            f"the backup's {alias} database is {expected} but the configured one is {vendor}; "
            "restore onto the same engine"
        )


def _has_tables(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        return bool(connections[alias].introspection.table_names(cursor))


def _load(alias: str, info: dict[str, Any], plain: Path, *, replace: bool) -> None:
    connection = connections[alias]
    if info["kind"] == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(plain)
        try:
            source.backup(connection.connection, pages=-1)
        finally:
            source.close()
        return
    connection.close()
    args = [
        _pg_tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "-d",
        str(connection.settings_dict["NAME"]),
    ]
    if replace:
        args[1:1] = ["--clean", "--if-exists"]
    result = subprocess.run(
        [*args, str(plain)],
        env=_pg_env(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore into {alias} failed: {result.stderr.strip()[-500:]}")


@contextmanager
def _scratch_database(
    member: str, info: dict[str, Any], plain: Path, alias: str, *, keep: bool
) -> Iterator[None]:
    """A database holding the member's copy, reachable as ``alias`` while the block runs."""
    base = connections[member] if member in connections.settings else connections["default"]
    settings_dict = dict(base.settings_dict)
    settings_dict["TEST"] = dict(settings_dict.get("TEST") or {})
    created_pg: str | None = None
    if info["kind"] == "sqlite":
        settings_dict.update(ENGINE="django.db.backends.sqlite3", NAME=str(plain), OPTIONS={})
    else:
        if base.vendor != "postgresql":
            raise BackupError(
                f"the backup's {member} database is a PostgreSQL dump; verifying it needs the "
                "configured database to be PostgreSQL (a scratch database is made on that server)"
            )
        created_pg = f"{settings_dict['NAME']}_verify_{secrets.token_hex(4)}"[:63]
        with base._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{created_pg}"')
        settings_dict["NAME"] = created_pg
        result = subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "-d",
                created_pg,
                str(plain),
            ],
            env=_pg_env(settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            _drop_pg(base, created_pg)
            raise BackupError(
                f"pg_restore of {member} into scratch failed: {result.stderr.strip()[-500:]}"
            )
    # A connection of this thread only, not added to settings.DATABASES: nothing else (and no
    # migration, no test flush) ever sees the scratch alias.
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    setattr(connections._connections, alias, wrapper)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        wrapper.close()
        delattr(connections._connections, alias)  # type: ignore[attr-defined]
        if created_pg and not keep:
            _drop_pg(base, created_pg)


def _drop_pg(base: Any, name: str) -> None:
    with base._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _compare(member: str, info: dict[str, Any], alias: str) -> MemberCheck:
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            counts, _audit = _pg_counts(cursor)
        else:
            counts = {}
            for table in connection.introspection.table_names(cursor):
                if table.startswith("sqlite_"):
                    continue
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
                counts[table] = int(cursor.fetchone()[0])
    expected: dict[str, int] = info["counts"]
    mismatches = {
        table: (n, counts.get(table)) for table, n in expected.items() if counts.get(table) != n
    }
    return MemberCheck(
        member=member,
        counts_match=not mismatches,
        mismatches=mismatches,
        tables=len(counts),
        rows=sum(counts.values()),
    )


def _audit_check(
    alias: str, info: dict[str, Any]
) -> tuple[bool | None, int, int | None, bool | None, str]:
    from audit.anchors import Anchor, is_genuine
    from audit.keys import load_key
    from audit.models import AuditHead
    from audit.services import audit_verify

    recorded = info.get("audit")
    if recorded is None:
        return None, 0, None, None, ""
    readings = []
    if recorded.get("anchor"):
        anchor = Anchor.from_dict(recorded["anchor"])
        status = "ok" if is_genuine(load_key(), anchor) else "forged"
        readings.append(Reading("backup", status, anchor))
    with using_database(alias):
        # Against the tip recorded in the backup, not the live anchors, which have moved on.
        result = audit_verify(against=readings)
        head = AuditHead.objects.filter(id=1).values_list("last_seq", "last_hash").first()
    tip = {"last_seq": head[0], "last_hash": head[1]} if head else {"last_seq": 0, "last_hash": ""}
    expected = {"last_seq": recorded["last_seq"], "last_hash": recorded["last_hash"]}
    return result.ok, result.events, result.first_bad, tip == expected, result.reason
