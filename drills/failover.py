"""Drill: a pg_auto_failover switchover while the app serves intakes, without restarting it.

    .venv/bin/python drills/failover.py [--seconds-after 20]

scripts/pg-failover starts a monitor and two nodes on this machine (5441, 5442, 5443). The app
(gunicorn, 2 workers) runs with the formation's multi-host DATABASE_URL
(target_session_attrs=read-write). Client threads post intakes (with Idempotency-Key) and
read /readyz in a loop; the drill asks the monitor for a switchover. Passes when:
- the server process is the same before and after (no restart);
- requests fail only during a short window around the switchover, and all succeed after it;
- the intakes that failed in that window succeed when sent again with their keys;
- every acknowledged petition is on the new primary, none twice; the audit chain verifies.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid

from drillkit import (
    ROOT,
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

FORMATION = "host=127.0.0.1,127.0.0.1 port=5442,5443 user=postgres target_session_attrs=read-write"
URL = "postgres://postgres@127.0.0.1:5442,127.0.0.1:5443/drill_failover?target_session_attrs=read-write"


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--seconds-before", type=float, default=8)
    parser.add_argument("--seconds-after", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    subprocess.run([str(ROOT / "scripts" / "pg-failover"), "start"], check=True)
    marker = f"drill-failover-{uuid.uuid4().hex[:6]}"
    events: list[tuple[float, str, int | str]] = []
    acked: dict[str, str] = {}
    bodies: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    with site("failover", sqlite=False, keep=args.keep, database_url=URL, admin=FORMATION) as s:
        with Server(s, workers=2, threads=4) as server:
            pid = server.process.pid if server.process else 0
            clerk = prepare_officials(server.base)["drill-clerk"]
            counter = iter(range(10**9))

            def client() -> None:
                while not stop.is_set():
                    n = next(counter)
                    key = f"{marker}-{n}"
                    with lock:
                        bodies[key] = n
                    t = time.monotonic()
                    try:
                        status, body = file_petition(server.base, n, marker, clerk, key, timeout=30)
                    except OSError as exc:
                        status, body = exc.__class__.__name__, None  # type: ignore[assignment]
                    with lock:
                        events.append((t, "intake", status))
                        if status == 201:
                            acked[key] = body["code"]
                    try:
                        ready = request(server.base, "GET", "/readyz", timeout=10)[0]
                    except OSError as exc:
                        ready = exc.__class__.__name__  # type: ignore[assignment]
                    with lock:
                        events.append((time.monotonic(), "readyz", ready))
                    time.sleep(0.05)

            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            time.sleep(args.seconds_before)
            log("switchover")
            t0 = time.monotonic()
            done = subprocess.run(
                [str(ROOT / "scripts" / "pg-failover"), "switchover"], check=False
            )
            t1 = time.monotonic()
            log(f"switchover finished in {t1 - t0:.1f} s (exit {done.returncode})")
            time.sleep(args.seconds_after)
            stop.set()
            for thread in threads:
                thread.join()
            same_process = (
                server.process is not None
                and server.process.poll() is None
                and server.process.pid == pid
            )

            bad = [(t, kind, st) for t, kind, st in events if st not in (200, 201)]
            window = (
                (min(t for t, *_ in bad) - t0, max(t for t, *_ in bad) - t0) if bad else (0.0, 0.0)
            )
            after = [st for t, _k, st in events if t > t1 + 5]
            failed_keys = [k for k in bodies if k not in acked]
            retried = {}
            for key in failed_keys:
                status, body = file_petition(server.base, bodies[key], marker, clerk, key)
                retried[key] = status
                if status == 201:
                    acked[key] = body["code"]

        rows = s.sql(
            f"SELECT count(*) || ' ' || count(DISTINCT summary) FROM petitions_petition WHERE summary LIKE '{marker}%'"
        )
        total, distinct = (int(x) for x in rows.split())
        primary = subprocess.run(
            [str(ROOT / "scripts" / "pg-failover"), "state"], capture_output=True, text=True
        ).stdout
        audit = audit_ok(s)
        results = {
            "switchover_seconds": round(t1 - t0, 1),
            "switchover_exit": done.returncode,
            "same_server_process": same_process,
            "requests": len(events),
            "failed_requests": len(bad),
            "failures": sorted({str(st) for *_x, st in bad}),
            "failure_window_seconds_from_switchover_start": [
                round(window[0], 1),
                round(window[1], 1),
            ],
            "requests_after_switchover_plus_5s": len(after),
            "failed_after_switchover_plus_5s": sum(1 for st in after if st not in (200, 201)),
            "intakes_sent": len(bodies),
            "intakes_retried_after": len(retried),
            "retries_201": sum(1 for st in retried.values() if st == 201),
            "petitions_in_db": total,
            "distinct_petitions": distinct,
            "audit": audit,
            "formation_after": primary.strip().splitlines()[-2:],
        }
        passed = (
            done.returncode == 0
            and same_process
            and results["failed_after_switchover_plus_5s"] == 0
            and len(after) > 0
            and all(st == 201 for st in retried.values())
            and total == distinct == len(bodies)
            and bool(audit.get("ok"))
        )
        report("failover", results, passed)


if __name__ == "__main__":
    main()
