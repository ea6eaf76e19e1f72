"""Drill: kill -9 the server in the middle of a burst of intakes.

    .venv/bin/python drills/intake_kill.py [--count 1000] [--clients 16] [--sqlite]

A burst of POST /api/v1/petitions, each with its own Idempotency-Key, from --clients threads.
When --kill-at petitions have been acknowledged (201), the whole gunicorn process group gets
SIGKILL. The requests that got no answer are sent again, with the same keys, to a restarted
server, as a real client would. Passes when:
- every petition acknowledged before the kill is in the database, with its code;
- every one of the --count requests ends up as exactly one petition (no duplicates: a request
  that had been committed but not answered is recognised by its key);
- the audit chain verifies.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from drillkit import (
    Server,
    arguments,
    audit_ok,
    file_petition,
    log,
    prepare_officials,
    report,
    site,
)


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--kill-at", type=int, default=400)
    args = parser.parse_args()
    marker = f"drill-intake-{uuid.uuid4().hex[:6]}"
    keys = [uuid.uuid4().hex for _ in range(args.count)]
    acked: dict[int, str] = {}
    unanswered: list[int] = []
    refused: dict[int, int] = {}
    lock = threading.Lock()
    killed = threading.Event()

    with site("intake", sqlite=args.sqlite, keep=args.keep) as s:
        server = Server(s, workers=2, threads=4)
        server.start()
        clerk = prepare_officials(server.base)["drill-clerk"]

        def kill() -> None:
            log(f"kill -9 the server ({len(acked)} acknowledged so far)")
            server.kill9()

        def send(n: int) -> None:
            try:
                status, body = file_petition(server.base, n, marker, clerk, keys[n], timeout=60)
            except OSError:
                with lock:
                    unanswered.append(n)
                return
            with lock:
                if status == 201:
                    acked[n] = body["code"]
                    if len(acked) >= args.kill_at and not killed.is_set():
                        killed.set()
                        threading.Thread(target=kill).start()
                else:
                    refused[n] = status

        started = time.monotonic()
        log(f"burst of {args.count} intakes from {args.clients} clients")
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(send, range(args.count)))
        burst_seconds = time.monotonic() - started
        before_kill = dict(acked)
        log(
            f"burst over: {len(before_kill)} acknowledged, {len(unanswered)} unanswered, {len(refused)} refused"
        )

        server.start()
        log("server restarted; sending the unanswered requests again with their keys")
        retry_status: dict[int, int] = {}
        retry_codes: dict[int, str] = {}
        for n in sorted(unanswered + list(refused)):
            status, body = file_petition(server.base, n, marker, clerk, keys[n])
            retry_status[n] = status
            if status == 201:
                retry_codes[n] = body["code"]
        server.stop()

        rows = s.sql(
            f"SELECT count(*) || ' ' || count(DISTINCT summary) FROM petitions_petition WHERE summary LIKE '{marker}%'"
        )
        total, distinct = (int(x) for x in rows.split())
        codes_in_db = set(
            s.sql(
                "SELECT string_agg(m.code, ',') FROM petitions_petition p JOIN matters_matter m ON m.id = p.matter_id "
                f"WHERE p.summary LIKE '{marker}%'"
                if not s.sqlite
                else "SELECT group_concat(m.code, ',') FROM petitions_petition p JOIN matters_matter m ON m.id = p.matter_id "
                f"WHERE p.summary LIKE '{marker}%'"
            ).split(",")
        )
        missing = sorted(code for code in before_kill.values() if code not in codes_in_db)
        audit = audit_ok(s)
        results = {
            "database": "sqlite" if s.sqlite else "postgresql",
            "requests": args.count,
            "clients": args.clients,
            "burst_seconds": round(burst_seconds, 1),
            "acknowledged_before_kill": len(before_kill),
            "unanswered_at_kill": len(unanswered),
            "refused": len(refused),
            "retried": len(retry_status),
            "retries_201": sum(1 for st in retry_status.values() if st == 201),
            "petitions_in_db": total,
            "distinct_petitions": distinct,
            "acknowledged_missing": missing,
            "audit": audit,
        }
        passed = (
            killed.is_set()
            and not missing
            and total == distinct == args.count
            and all(st == 201 for st in retry_status.values())
            and bool(audit.get("ok"))
        )
        report("intake_kill", results, passed)


if __name__ == "__main__":
    main()
