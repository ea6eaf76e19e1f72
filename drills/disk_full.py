"""Drill: the disk fills up while intakes are being written (embedded SQLite default).

    .venv/bin/python drills/disk_full.py [--size-mb 48]

The data directory is a small filesystem made for the drill (a tmpfs mounted by this script;
root is needed). The server runs on it; a filler file takes all but a little of the space;
intakes go on until the disk is full, and a few more after that. Then the filler is removed
and intakes go on, with the same server process. Passes when:
- every refused intake was a 503 whose detail says nothing was saved (no 500, no hang);
- reads keep working while the disk is full;
- after space returns, intakes succeed again without a restart;
- PRAGMA integrity_check is "ok" on both databases, every acknowledged petition is there and
  no refused one is, and the audit chain verifies.

Where mounting is not allowed, run it with --no-mount: the server then gets a file-size limit
(RLIMIT_FSIZE) instead of a full filesystem.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import uuid
from pathlib import Path

from drillkit import (
    Server,
    arguments,
    audit_ok,
    file_petition,
    log,
    prepare_officials,
    report,
    request,
    site,
)

MOUNT = Path("/tmp/dutdiem-drill-disk")


def fill(target: Path, leave_bytes: int) -> None:
    free = shutil.disk_usage(target.parent).free
    size = max(0, free - leave_bytes)
    with target.open("wb") as handle:
        chunk = b"\0" * (1024 * 1024)
        while size > 0:
            n = min(size, len(chunk))
            try:
                handle.write(chunk[:n])
                handle.flush()
            except OSError:
                break
            size -= n


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--size-mb", type=int, default=48)
    parser.add_argument("--leave-kb", type=int, default=256)
    parser.add_argument("--no-mount", action="store_true")
    args = parser.parse_args()
    mounted = False
    MOUNT.mkdir(parents=True, exist_ok=True)
    if not args.no_mount:
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={args.size_mb}m", "tmpfs", str(MOUNT)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            log(
                f"cannot mount a tmpfs ({result.stderr.strip()}); use --no-mount for the file-size limit"
            )
            raise SystemExit(2)
        mounted = True
    marker = f"drill-disk-{uuid.uuid4().hex[:6]}"
    try:
        with site("disk", sqlite=True, keep=True, data_dir=MOUNT) as s:
            extra: dict[str, str] = {}
            server = Server(s, workers=1, threads=4, extra_env=extra)
            if args.no_mount:
                limit = (s.data_dir / "dutdiem.sqlite3").stat().st_size + 256 * 1024

                def preexec() -> None:  # pragma: no cover - runs in the child
                    os.setsid()
                    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

                server.preexec = preexec
            server.start()
            clerk = prepare_officials(server.base)["drill-clerk"]
            filler = MOUNT / "filler.bin"
            if not args.no_mount:
                fill(filler, args.leave_kb * 1024)
                log(f"filler written; {shutil.disk_usage(MOUNT).free // 1024} KiB free")

            acked: dict[int, str] = {}
            refused: dict[int, tuple[int, str]] = {}
            n = 0
            full_at = None
            while n < 5000:
                n += 1
                status, body = file_petition(
                    server.base, n, marker, clerk, f"{marker}-{n}", timeout=60
                )
                if status == 201:
                    acked[n] = body["code"]
                else:
                    refused[n] = (
                        status,
                        (body or {}).get("detail", "")
                        if isinstance(body, dict)
                        else str(body)[:200],
                    )
                    if full_at is None:
                        full_at = n
                        log(f"first refusal at intake {n}: {status} {refused[n][1][:120]}")
                if full_at is not None and n >= full_at + 20:
                    break
            if full_at is None:
                log("the disk never filled: make --size-mb smaller")
            reads = [
                request(server.base, "GET", f"/api/v1/petitions/{code}", token=clerk)[0]
                for code in list(acked.values())[:10]
            ]
            ready_while_full = request(server.base, "GET", "/readyz")[0]

            if not args.no_mount:
                filler.unlink()
                log(f"filler removed; {shutil.disk_usage(MOUNT).free // 1024} KiB free")
            resumed: dict[int, int] = {}
            # The refused intakes are sent again with their keys, then a few new ones.
            for m in [*refused, *range(n + 1, n + 11)]:
                status, body = file_petition(
                    server.base, m, marker, clerk, f"{marker}-{m}", timeout=60
                )
                resumed[m] = status
                if status == 201:
                    acked[m] = body["code"]
            same_process = server.process is not None and server.process.poll() is None
            server.stop()

            checks = {}
            for name in ("dutdiem.sqlite3", "vault.sqlite3"):
                with sqlite3.connect(s.data_dir / name) as conn:
                    checks[name] = conn.execute("PRAGMA integrity_check").fetchone()[0]
            total = int(
                s.sql(f"SELECT count(*) FROM petitions_petition WHERE summary LIKE '{marker}%'")
            )
            distinct = int(
                s.sql(
                    f"SELECT count(DISTINCT summary) FROM petitions_petition WHERE summary LIKE '{marker}%'"
                )
            )
            audit = audit_ok(s)
            statuses = sorted({st for st, _ in refused.values()})
            results = {
                "filesystem": "none (file-size limit)"
                if args.no_mount
                else f"tmpfs {args.size_mb} MB",
                "intakes_before_full": full_at - 1 if full_at else None,
                "refused_while_full": len(refused),
                "refusal_statuses": statuses,
                "refusal_detail": next(iter(refused.values()))[1] if refused else None,
                "reads_while_full": reads,
                "readyz_while_full": ready_while_full,
                "after_space_returned": sorted(set(resumed.values())),
                "same_server_process": same_process,
                "integrity_check": checks,
                "petitions_in_db": total,
                "distinct_petitions": distinct,
                "acknowledged": len(acked),
                "audit": audit,
            }
            passed = (
                full_at is not None
                and statuses == [503]
                and all(st == 200 for st in reads)
                and set(resumed.values()) == {201}
                and same_process
                and all(v == "ok" for v in checks.values())
                and total == distinct == len(acked)
                and bool(audit.get("ok"))
            )
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(MOUNT)], check=False)
    report("disk_full", results, passed)


if __name__ == "__main__":
    main()
