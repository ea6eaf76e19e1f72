"""Drill: a backup taken while intake runs, restored elsewhere, holds every acknowledged petition.

    .venv/bin/python drills/backup_under_intake.py [--clients 8] [--sqlite]

Client threads post intakes without pause. Once some are in, `dutdiem backup` runs while
they go on. The backup is then restored (`dutdiem restore`) into a fresh, empty database (a
second site), as after losing the server. Passes when:
- the backup and the restore exit 0 and the restore's own checks hold (row counts of every
  table equal the manifest, the audit chain verifies, its tip is the one recorded);
- every petition whose 201 had arrived before the backup started is in the restored
  database, and nothing in it is unknown to the clients.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

from drillkit import (
    ROOT,
    VENV,
    Server,
    arguments,
    file_petition,
    log,
    prepare_officials,
    report,
    site,
)


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()
    marker = f"drill-backup-{uuid.uuid4().hex[:6]}"
    acked: list[tuple[float, str]] = []
    sent: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    counter = iter(range(10**9))

    with site("backup", sqlite=args.sqlite, keep=args.keep) as s:
        # Outside the site's data directory, which goes when the site does: the server is "lost".
        backup_file = (
            Path(tempfile.mkdtemp(prefix="dutdiem-drill-backups-")) / "under-intake.dutdiem"
        )
        with Server(s, workers=2, threads=4) as server:
            clerk = prepare_officials(server.base)["drill-clerk"]

            def client() -> None:
                while not stop.is_set():
                    n = next(counter)
                    try:
                        status, body = file_petition(server.base, n, marker, clerk, f"{marker}-{n}")
                    except OSError:
                        continue
                    if status == 201:
                        with lock:
                            acked.append((time.monotonic(), body["code"]))
                            sent.add(body["code"])

            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            while len(acked) < args.warmup:
                time.sleep(0.05)
            started = time.monotonic()
            log(f"backup starts with {len(acked)} acknowledged")
            backup = s.dutdiem("backup", "--output", str(backup_file), "--skip-checks", check=False)
            finished = time.monotonic()
            during = sum(1 for t, _ in acked if started <= t <= finished)
            log(
                f"backup done in {finished - started:.1f} s; {during} intakes acknowledged meanwhile"
            )
            time.sleep(1)
            stop.set()
            for thread in threads:
                thread.join()
        before = {code for t, code in acked if t < started}

    # A second, empty site: the server that replaces the lost one.
    with site("restored", sqlite=args.sqlite, keep=args.keep, migrate=False) as r:
        r.env["DUTDIEM_BACKUP_KEY"] = s.env["DUTDIEM_BACKUP_KEY"]
        restore = subprocess.run(
            [str(VENV / "dutdiem"), "restore", "--input", str(backup_file), "--skip-checks"],
            env=r.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        try:
            restore_report = json.loads(restore.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            restore_report = {"ok": False, "stderr": restore.stderr[-500:]}
        codes = r.sql(
            "SELECT "
            + ("group_concat(m.code, ',')" if r.sqlite else "string_agg(m.code, ',')")
            + " FROM petitions_petition p JOIN matters_matter m ON m.id = p.matter_id "
            f"WHERE p.summary LIKE '{marker}%'"
        )
        restored = set(codes.split(",")) if codes else set()
        results = {
            "database": "sqlite" if args.sqlite else "postgresql",
            "backup_exit": backup.returncode,
            "backup_seconds": round(finished - started, 1),
            "acknowledged_before_backup": len(before),
            "acknowledged_during_backup": during,
            "acknowledged_in_all": len(acked),
            "restore_exit": restore.returncode,
            "restore_checks": restore_report,
            "restored_petitions": len(restored),
            "missing_from_restore": sorted(before - restored),
            "unknown_in_restore": sorted(restored - sent),
        }
        passed = (
            backup.returncode == 0
            and restore.returncode == 0
            and bool(restore_report.get("ok"))
            and not (before - restored)
            and not (restored - sent)
        )
        report("backup_under_intake", results, passed)


if __name__ == "__main__":
    main()
