"""Serve the app with gunicorn, the job worker and the scheduler beside it; stop all together."""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

# One line per request without the query string or the referrer (a search for a name, a
# tracking link's PIN) and without the client's address: time, method, path, status, size,
# milliseconds.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def gunicorn_command(python: str, host: str, port: int, workers: int) -> list[str]:
    return [
        python,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "--timeout",
        "120",
    ]


class Command(BaseCommand):
    help = "Serve dutdiem (gunicorn) with its background job worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: object, **options: Any) -> None:
        env = dict(os.environ)
        python = sys.executable
        processes = [
            subprocess.Popen([python, "-m", "config.cli", "db_worker", "--interval", "2"], env=env),
            subprocess.Popen([python, "-m", "config.cli", "scheduler"], env=env),
            subprocess.Popen(
                gunicorn_command(
                    python, str(options["host"]), int(options["port"]), int(options["workers"])
                ),
                env=env,
            ),
        ]
        self.stdout.write(
            f"dutdiem serving on http://{options['host']}:{options['port']} "
            f"(data in {settings.DATA_DIR}); Ctrl+C stops it."
        )

        def stop(*_: object) -> None:
            for p in processes:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        finally:
            stop()
            for p in processes:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
