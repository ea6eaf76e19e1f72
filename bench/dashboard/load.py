"""Load on the dashboard: N clients, each sending its next request as soon as the last one
answered (closed loop) or after a think time (``--think``, seconds, ±50 %), for a fixed
time, with a mix of pages.

    .venv/bin/python bench/dashboard/load.py --url http://127.0.0.1:8077 --clients 32 --seconds 60

The mix, per request, at random: the full dashboard page (40%), the htmx partial a filter
change fetches (30%), the JSON endpoint (30%); by the province's leader (60%) or a
commune's head (40%); with a random unit (the user's own or a unit below), kind (none or
one), category (none or one) and period. Prints p50/p95/p99 per kind of request and in all,
throughput, and errors (any status but 200). Stops by itself; talks only to --url.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[2]
KINDS = ["", "", "", "petition", "task", "case"]
CATEGORIES = ["", "", "", "land", "compensation", "environment", "policy"]
PERIODS = ["13w", "13w", "4w", "26w", "52w", "12m", "24m", "year"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8077")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds each client waits between requests (0: closed loop)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--credentials",
        default=str(ROOT / "var" / "bench-dashboard-sqlite.json"),
        help="written by generate.py",
    )
    args = parser.parse_args()
    target = urlparse(args.url)
    assert target.hostname in ("127.0.0.1", "localhost", "::1"), "only the loopback is a target"
    users = json.loads(Path(args.credentials).read_text(encoding="utf-8"))
    leader, heads = users[0], users[1:]
    results: dict[str, list[float]] = {"page": [], "partial": [], "json": []}
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    count = [0]

    def client(n: int) -> None:
        rng = random.Random(args.seed * 1000 + n)
        conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if count[0] >= args.max_requests:
                    return
                count[0] += 1
            user = leader if rng.random() < 0.6 else rng.choice(heads)
            unit = (
                user["unit"]
                if rng.random() < 0.6 or not user["children"]
                else rng.choice(user["children"])
            )
            params = {
                "unit": unit,
                "kind": rng.choice(KINDS),
                "category": rng.choice(CATEGORIES),
                "period": rng.choice(PERIODS),
            }
            roll = rng.random()
            if roll < 0.4:
                what, path = "page", "/reports/dashboard/?" + urlencode(params)
                headers = {"Cookie": f"sessionid={user['session']}"}
            elif roll < 0.7:
                what, path = "partial", "/reports/dashboard/?" + urlencode(params)
                headers = {"Cookie": f"sessionid={user['session']}", "HX-Request": "true"}
            else:
                what, path = "json", "/api/v1/reports/dashboard?" + urlencode(params)
                headers = {"Authorization": f"Bearer {user['token']}"}
            started = time.perf_counter()
            try:
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                    # The server closed an idle keep-alive connection: open another, once.
                    conn.close()
                    started = time.perf_counter()
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                response.read()
                status = response.status
                location = response.getheader("Location") or ""
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
                status, exc_text, location = 0, str(exc), ""
            elapsed = (time.perf_counter() - started) * 1000
            if args.think:
                time.sleep(args.think * (0.5 + rng.random()))
            with lock:
                if status == 200:
                    results[what].append(elapsed)
                else:
                    errors.append(
                        f"{status} {path} -> {location}" if status else f"error {exc_text} {path}"
                    )
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duration = time.monotonic() - started
    everything = [v for values in results.values() for v in values]
    print(
        f"clients {args.clients}, {duration:.0f} s, {len(everything)} ok, {len(errors)} errors, "
        f"{len(everything) / duration:.0f} req/s"
    )
    for name, values in [*results.items(), ("all", everything)]:
        if values:
            print(
                f"  {name:8s} n={len(values):6d}  p50 {statistics.median(values):6.1f} ms  "
                f"p95 {percentile(values, 0.95):6.1f} ms  p99 {percentile(values, 0.99):6.1f} ms"
            )
    for line in errors[:5]:
        print("  error:", line)


if __name__ == "__main__":
    main()
