"""What every drill needs: a fresh database, a real server (gunicorn with deploy/gunicorn.conf.py)
that can be killed with SIGKILL and started again, and a small JSON client.

Drills talk only to 127.0.0.1. Each one makes its own database (``drill_<name>`` on the
PostgreSQL at 127.0.0.1:5432, or SQLite files in a temporary data directory) and removes it
at the end unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PASSWORD = "drill-password-2026"
PG = "postgres://postgres@127.0.0.1:5432"
ADMIN_CONNINFO = "host=127.0.0.1 port=5432 user=postgres"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sqlite", action="store_true", help="use the embedded SQLite default")
    parser.add_argument("--keep", action="store_true", help="keep the database and data directory")
    return parser


def psql(conninfo: str, sql: str, *, dbname: str = "postgres", check: bool = True) -> str:
    out = subprocess.run(
        ["psql", f"{conninfo} dbname={dbname}", "-XAtqc", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    if check and out.returncode != 0:
        raise RuntimeError(f"psql failed: {out.stderr}")
    return out.stdout.strip()


@dataclass
class Site:
    """A database (and data directory) made for one drill."""

    name: str
    sqlite: bool
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    admin: str = ADMIN_CONNINFO

    def dutdiem(
        self, *args: str, check: bool = True, **kw: Any
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(VENV / "dutdiem"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            **kw,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"dutdiem {' '.join(args)} failed:\n{result.stderr[-2000:]}")
        return result

    def sql(self, query: str) -> str:
        """One value from the main database (psql or sqlite3)."""
        if self.sqlite:
            import sqlite3

            with sqlite3.connect(self.data_dir / "dutdiem.sqlite3") as conn:
                row = conn.execute(query).fetchone()
            return "" if row is None else str(row[0])
        return psql(self.admin, query, dbname=f"drill_{self.name}")


@contextmanager
def site(
    name: str,
    *,
    sqlite: bool,
    keep: bool,
    data_dir: Path | None = None,
    database_url: str | None = None,
    admin: str = ADMIN_CONNINFO,
    extra_env: dict[str, str] | None = None,
    migrate: bool = True,
) -> Iterator[Site]:
    """A fresh site. On PostgreSQL the databases ``drill_<name>`` and ``drill_<name>_vault``
    are (re)made on the server that the libpq conninfo ``admin`` reaches; ``database_url``
    (default: the server at 127.0.0.1:5432) must point at ``drill_<name>``."""
    tmp = Path(tempfile.mkdtemp(prefix=f"dutdiem-drill-{name}-"))
    folder = data_dir or tmp
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE", "VAULT_", "DUTDIEM_", "DJANGO_"))
    }
    env.update(
        DUTDIEM_DATA_DIR=str(folder),
        DUTDIEM_LOG_LEVEL="WARNING",
        DUTDIEM_LOG_FORMAT="json",
        DJANGO_SUPERUSER_USERNAME="drill-admin",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        DUTDIEM_BACKUP_KEY="11" * 32,
        # The keys live apart from the data, as in service: a site restored elsewhere is
        # given the same ones (drill values, never production's).
        DUTDIEM_AUDIT_KEY="22" * 32,
        DUTDIEM_VAULT_KEY="33" * 32,
    )
    databases = (f"drill_{name}", f"drill_{name}_vault")
    if not sqlite:
        url = database_url or f"{PG}/drill_{name}"
        env["DATABASE_URL"] = url
        base, _, query = url.partition("?")
        env["VAULT_DATABASE_URL"] = base + "_vault" + (f"?{query}" if query else "")
        for db in databases:
            psql(admin, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            psql(admin, f'CREATE DATABASE "{db}"')
    env.update(extra_env or {})
    the_site = Site(name=name, sqlite=sqlite, data_dir=folder, env=env, admin=admin)
    log(f"setting up {'SQLite in ' + str(folder) if sqlite else env['DATABASE_URL']}")
    if migrate:
        the_site.dutdiem("migrate", "--noinput", "-v", "0", "--skip-checks")
        the_site.dutdiem("migrate", "--database", "vault", "--noinput", "-v", "0", "--skip-checks")
        the_site.dutdiem("createsuperuser", "--noinput", "--skip-checks")
    try:
        yield the_site
    finally:
        if not keep:
            if not sqlite:
                for db in databases:
                    psql(admin, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)', check=False)
            shutil.rmtree(tmp, ignore_errors=True)


class Server:
    """gunicorn with the production configuration file, in its own process group."""

    def __init__(
        self,
        the_site: Site,
        *,
        workers: int = 2,
        threads: int = 4,
        port: int | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.site = the_site
        self.port = port or free_port()
        self.workers = workers
        self.threads = threads
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen[bytes] | None = None
        # A function run in the child before gunicorn (it must call os.setsid()).
        self.preexec: Any = None
        # Logs and metrics files outside the data directory: the disk drill fills that one.
        self.run_dir = Path(tempfile.mkdtemp(prefix=f"dutdiem-server-{self.port}-"))
        self.log_path = self.run_dir / "server.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = dict(self.site.env)
        env.update(
            DUTDIEM_BIND=f"127.0.0.1:{self.port}",
            DUTDIEM_WEB_WORKERS=str(self.workers),
            DUTDIEM_WEB_THREADS=str(self.threads),
            PROMETHEUS_MULTIPROC_DIR=str(self.run_dir / "prometheus"),
        )
        env.update(self.extra_env)
        atexit.register(self.stop)  # a drill that fails half way leaves no server behind
        handle = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(VENV / "gunicorn"),
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=handle,
            start_new_session=self.preexec is None,
            preexec_fn=self.preexec,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.base, "GET", "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log_path}")
            time.sleep(0.2)
        raise RuntimeError(f"server did not come up; see {self.log_path}")

    def kill9(self) -> None:
        """SIGKILL to the master and every worker at once: nothing gets to clean up."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def request(
    base: str,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, Any]:
    """(status, parsed JSON or text). Raises OSError when the connection fails."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - loopback only
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        status = exc.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors="replace")


def token(base: str, username: str, password: str = PASSWORD) -> str:
    status, body = request(
        base, "POST", "/api/v1/auth/token", {"username": username, "password": password}
    )
    if status != 200:
        raise RuntimeError(f"no token for {username}: {status} {body}")
    return str(body["token"])


def prepare_officials(base: str) -> dict[str, str]:
    """A reception office with a clerk; returns bearer tokens by username."""
    admin = token(base, "drill-admin")
    request(
        base,
        "POST",
        "/api/v1/units",
        {
            "code": "DR-P",
            "name": "UBND tỉnh (diễn tập)",
            "kind": "peoples_committee",
            "parent": None,
            "area": "33",
        },
        admin,
    )
    request(
        base,
        "POST",
        "/api/v1/units",
        {
            "code": "DR-TCD",
            "name": "Ban Tiếp công dân (diễn tập)",
            "kind": "reception_office",
            "parent": "DR-P",
            "area": "33",
        },
        admin,
    )
    status, body = request(
        base,
        "POST",
        "/api/v1/officials",
        {
            "username": "drill-clerk",
            "password": PASSWORD,
            "full_name": "Cán bộ diễn tập",
            "unit": "DR-TCD",
            "roles": ["clerk", "handler"],
        },
        admin,
    )
    if status not in (201, 409):
        raise RuntimeError(f"cannot create the drill official: {status} {body}")
    return {"drill-admin": admin, "drill-clerk": token(base, "drill-clerk")}


def petition_body(n: int, marker: str) -> dict[str, Any]:
    return {
        "kind": "proposal",
        "channel": "online",
        "received_on": date.today().isoformat(),
        "area": "33",
        "category": "land",
        "summary": f"{marker} {n:06d}",
        "content": f"Kiến nghị diễn tập số {n} về đường giao thông nông thôn.",
        "petitioners": [
            {
                "full_name": f"Người diễn tập {n}",
                "id_number": f"0{n:011d}",
                "address": "Hưng Yên",
                "phone": "0912345678",
            }
        ],
        "signers": 1,
    }


def file_petition(
    base: str, n: int, marker: str, token: str, key: str, timeout: float = 30
) -> tuple[int, Any]:
    """POST the drill's petition number ``n`` with its Idempotency-Key (a retry with the same
    key must not file it twice)."""
    return request(
        base,
        "POST",
        "/api/v1/petitions",
        petition_body(n, marker),
        token,
        {"Idempotency-Key": key},
        timeout=timeout,
    )


def audit_ok(the_site: Site) -> dict[str, Any]:
    result = the_site.dutdiem("audit", "--skip-checks", "verify", check=False)
    try:
        return dict(json.loads(result.stdout.strip().splitlines()[-1]))
    except (ValueError, IndexError):
        return {"ok": False, "error": result.stderr[-500:]}


def report(name: str, results: dict[str, Any], passed: bool) -> None:
    results["drill"] = name
    results["passed"] = passed
    print(json.dumps(results, ensure_ascii=False, indent=2))
    out = ROOT / "var" / "drills"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    log(f"{name}: {'PASSED' if passed else 'FAILED'}")
    sys.exit(0 if passed else 1)
