"""The two kinds of gateway every channel is built from: files in the data directory
(outside production, and for hand uploads), and JSON over HTTPS."""

from __future__ import annotations

import ipaddress
import json
import os
import tempfile
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.channels import NotConfigured, Rejected, Retry
from outbox.models import Message

# Answers that refuse the message itself: sending it again cannot help.
REJECTED_STATUSES = frozenset({400, 413, 415, 422})


def json_bytes(message: Message) -> bytes:
    return json.dumps(message.payload, ensure_ascii=False, indent=1, sort_keys=True).encode()


class FileGateway:
    """One file per message under ``directory``: ``name(message)`` is its path relative to
    it. The file is written whole (a temporary file renamed over it), so a message delivered
    twice leaves one complete file."""

    def __init__(
        self,
        directory: Path,
        *,
        name: Callable[[Message], str],
        render: Callable[[Message], bytes] = json_bytes,
    ) -> None:
        self.directory = Path(directory)
        self.name = name
        self.render = render

    def describe(self) -> str:
        return _("files in %(folder)s") % {"folder": self.directory}

    def send(self, message: Message) -> str:
        relative = Path(self.name(message))
        if relative.is_absolute() or ".." in relative.parts:
            raise Rejected(f"unsafe file name {relative}")
        target = self.directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = self.render(message)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return str(relative)

    def close(self) -> None:
        pass


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header in seconds (it may be a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - timezone.now()).total_seconds(), 0.0)


class HttpGateway:
    """POST each message's payload as JSON to ``url``, with ``Idempotency-Key: <key>``.

    2xx and 409 (already stored) are delivered; 400, 413, 415 and 422 reject the message;
    anything else, and every connection error or time-out, is tried again later. Plain
    ``http://`` is accepted only for a loopback address (tests, a local relay)."""

    def __init__(
        self,
        url: str,
        *,
        token: str = "",
        client_cert: str = "",
        client_key: str = "",
        ca_file: str = "",
        timeout: float = 10.0,
        headers: dict[str, str] | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise NotConfigured(f"{url!r} is not an http(s) address")
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise NotConfigured(f"{parts.hostname} must be reached over https")
        self.url = url
        cert: Any = None
        if client_cert:
            cert = (client_cert, client_key) if client_key else client_cert
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        try:
            self.client = httpx.Client(
                headers=all_headers,
                timeout=timeout,
                verify=ca_file or True,
                cert=cert,
                follow_redirects=False,
            )
        except (OSError, ValueError) as exc:  # unreadable certificate or key files
            raise NotConfigured(f"the TLS files cannot be read: {exc}") from None

    def describe(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}{parts.path}"

    def send(self, message: Message) -> str:
        body = json.dumps(message.payload, ensure_ascii=False).encode()
        try:
            response = self.client.post(
                self.url, content=body, headers={"Idempotency-Key": message.key}
            )
        except httpx.TimeoutException as exc:
            raise Retry(f"time-out: {type(exc).__name__}", timed_out=True) from None
        except httpx.TransportError as exc:
            raise Retry(f"{type(exc).__name__}: {exc}"[:300], down=True) from None
        status = response.status_code
        if 200 <= status < 300 or status == 409:
            return f"HTTP {status}"
        snippet = response.text[:200].replace("\n", " ")
        if status in REJECTED_STATUSES:
            raise Rejected(f"HTTP {status}: {snippet}")
        raise Retry(
            f"HTTP {status}: {snippet}", retry_after_seconds(response.headers.get("Retry-After"))
        )

    def close(self) -> None:
        self.client.close()
