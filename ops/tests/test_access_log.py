"""Access logs keep no query string (issue 13, finding 9): a search for a denouncer's name, or
a tracking link's PIN, must not land in a log line of ``dutdiem serve`` (gunicorn) or of
Django's development server, whatever the log format."""

from __future__ import annotations

import io
import logging
import logging.config
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from gunicorn import glogging

from web.management.commands.serve import gunicorn_command

SECRET = "Sentinel"
URI = f"/petitions/?q=Quach+Thi+{SECRET}&page=2"


def test_serve_writes_gunicorn_access_lines_without_the_query_string() -> None:
    command = gunicorn_command("python", "127.0.0.1", 8123, 1)
    assert command[command.index("--access-logfile") + 1] == "-"
    log_format = command[command.index("--access-logformat") + 1]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": URI,
        "PATH_INFO": "/petitions/",
        "QUERY_STRING": URI.split("?", 1)[1],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.5",
        "HTTP_REFERER": f"https://dutdiem.example/matters/?q={SECRET}",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger = glogging.Logger(SimpleNamespace(**_gunicorn_defaults()))
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=42))
    line = log_format % glogging.SafeAtoms(atoms)
    assert '"GET /petitions/" 200 512 42ms' in line
    assert SECRET not in line and "?" not in line and "203.0.113.5" not in line


def _gunicorn_defaults() -> dict[str, object]:
    from gunicorn.config import Config

    config = Config()
    return {name: setting.get() for name, setting in config.settings.items()}


def test_the_development_servers_request_lines_lose_the_query_string() -> None:
    stream = io.StringIO()
    logging.config.dictConfig(settings.LOGGING)
    server = logging.getLogger("django.server")
    handler = server.handlers[0]
    old_stream = handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        server.info('"%s" %s %s', f"GET {URI} HTTP/1.1", 200, 512)
        logging.getLogger("django.request").warning("Not Found: %s", URI)
    finally:
        handler.setStream(old_stream)  # type: ignore[attr-defined]
    text = stream.getvalue()
    assert "GET /petitions/ HTTP/1.1" in text and "Not Found: /petitions/" in text
    assert SECRET not in text
