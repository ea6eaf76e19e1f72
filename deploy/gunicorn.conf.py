"""gunicorn settings for dutdiem in production (systemd: deploy/systemd/dutdiem-web.service).

Everything can be changed from the environment file without editing this one:
DUTDIEM_BIND, DUTDIEM_WEB_WORKERS, DUTDIEM_WEB_THREADS, DUTDIEM_WEB_TIMEOUT.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

bind = os.environ.get("DUTDIEM_BIND", "127.0.0.1:8000")
# Threads wait on the database; processes use the cores. 2 cores: 3 workers x 4 threads.
workers = int(os.environ.get("DUTDIEM_WEB_WORKERS", str((os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("DUTDIEM_WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("DUTDIEM_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that no slow leak can grow for months.
max_requests = 5000
max_requests_jitter = 500
# Only nginx on this machine may say which scheme and client a request came from.
forwarded_allow_ips = "127.0.0.1,::1"
proxy_allow_ips = "127.0.0.1,::1"
if Path("/dev/shm").is_dir():  # noqa: S108 - gunicorn heartbeat files, not data
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# The app writes one JSON line per request itself (ops.middleware), with its request id and
# nothing personal; gunicorn's own access line would repeat it with the query string.
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}

# Request metrics are counted in each worker; prometheus_client adds them up across workers
# through files in this folder (it must be empty when the server starts).
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(os.environ.get("RUNTIME_DIRECTORY", tempfile.gettempdir()), "dutdiem-prometheus"),
)


def on_starting(server):  # noqa: ANN001, ANN201 - gunicorn hook
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)
    server.log.info(json.dumps({"metrics_dir": _metrics_dir}))


def child_exit(server, worker):  # noqa: ANN001, ANN201 - gunicorn hook
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
