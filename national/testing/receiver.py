"""A stand-in for the national complaints database's endpoint, for tests and the benchmark:
a real HTTP server on a loopback port that stores records once per (petition, version),
checks that each petition's versions arrive in order, and can be told to misbehave (answer
500 or 503, or store a record and then answer too late for the sender)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Faults:
    """Shares of requests that fail. The n-th request draws the fractional part of n times
    the golden ratio: whatever order parallel requests arrive in, the first N requests hold
    each share of failures to within one."""

    error_500: float = 0.0
    busy_503: float = 0.0
    slow: float = 0.0  # stored, then answered after ``slow_seconds`` (the sender times out)
    slow_seconds: float = 1.0
    offset: float = 0.0


@dataclass
class Receiver:
    faults: Faults = field(default_factory=Faults)
    token: str = ""
    accepted: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    order: dict[str, list[int]] = field(default_factory=dict)
    duplicates: int = 0
    violations: list[str] = field(default_factory=list)
    answers: Counter[str] = field(default_factory=Counter)
    requests: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # --- what one request gets ---

    def handle(self, headers: Any, body: bytes) -> tuple[int, dict[str, str], float]:
        """(status, extra headers, seconds to wait before answering)."""
        with self.lock:
            self.requests += 1
            if self.token and headers.get("Authorization") != f"Bearer {self.token}":
                return self._answer(401)
            try:
                record = json.loads(body)
                key = (record["petition"], int(record["version"]))
            except (ValueError, KeyError, TypeError):
                return self._answer(400)
            if headers.get("Idempotency-Key") != f"{key[0]}:{key[1]}":
                self.violations.append(f"idempotency key {headers.get('Idempotency-Key')}")
                return self._answer(400)
            draw = (self.requests * 0.6180339887498949 + self.faults.offset) % 1.0
            f = self.faults
            if draw < f.error_500:
                return self._answer(500)
            if draw < f.error_500 + f.busy_503:
                return self._answer(503, {"Retry-After": "0"})
            if key in self.accepted:
                self.duplicates += 1
                return self._answer(200, name="200 duplicate")
            seen = self.order.setdefault(key[0], [])
            if key[1] != (seen[-1] + 1 if seen else 1):
                self.violations.append(f"{key[0]} v{key[1]} after {seen}")
                return self._answer(422)
            self.accepted[key] = record
            seen.append(key[1])
            if draw < f.error_500 + f.busy_503 + f.slow:
                return self._answer(201, wait=f.slow_seconds, name="201 too late")
            return self._answer(201)

    def _answer(
        self,
        status: int,
        headers: dict[str, str] | None = None,
        wait: float = 0.0,
        name: str = "",
    ) -> tuple[int, dict[str, str], float]:
        self.answers[name or str(status)] += 1
        return status, headers or {}, wait

    def stats(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "accepted": len(self.accepted),
            "petitions": len(self.order),
            "duplicates": self.duplicates,
            "violations": self.violations[:20],
            "answers": dict(self.answers),
        }

    # --- the server ---

    def start(self, port: int = 0) -> int:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body are two writes: without this, Nagle and delayed ACKs hold
            # every answer back 40 ms.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, extra, wait = receiver.handle(self.headers, body)
                if wait:
                    time.sleep(wait)
                payload = json.dumps({"status": status}).encode()
                try:
                    self.send_response(status)
                    for name, value in extra.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the sender gave up waiting

            def do_GET(self) -> None:
                # GET /stats: what arrived, for a benchmark running this in another process.
                with receiver.lock:
                    stats = receiver.stats()
                payload = json.dumps(stats).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return int(self.server.server_address[1])

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def free_port() -> int:
    """A loopback port nobody listens on (yet)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="a stand-in national records endpoint")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--faults", action="store_true", help="the fault test's mix")
    options = parser.parse_args()
    mix = Faults(error_500=0.15, busy_503=0.05, slow=0.02, slow_seconds=3.0)
    server = Receiver(faults=mix if options.faults else Faults(), token=options.token)
    server.start(options.port)
    assert server.thread is not None
    server.thread.join()
