"""Where the records go: the configured HTTPS endpoint of the national complaints database,
or, outside production when none is configured, one JSON file per record under
``<DUTDIEM_DATA_DIR>/outbox/national/``."""

from __future__ import annotations

import re

from django.conf import settings

from outbox.channels import Gateway, NotConfigured
from outbox.gateways import FileGateway, HttpGateway
from outbox.models import Message

CHANNEL = "national"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def record_file_name(message: Message) -> str:
    """``<petition code>/v<version>.json``: a record sent twice is one file."""
    code = _UNSAFE.sub("_", str(message.payload.get("petition", "unknown")))
    return f"{code}/v{int(message.payload.get('version', 0)):04d}.json"


def national_gateway() -> Gateway:
    if settings.NATIONAL_URL:
        return HttpGateway(
            settings.NATIONAL_URL,
            token=settings.NATIONAL_TOKEN,
            client_cert=settings.NATIONAL_CLIENT_CERT,
            client_key=settings.NATIONAL_CLIENT_KEY,
            ca_file=settings.NATIONAL_CA_FILE,
            timeout=settings.NATIONAL_TIMEOUT,
        )
    if settings.PRODUCTION:
        raise NotConfigured(
            "DUTDIEM_NATIONAL_URL is not set: records wait here until it is (docs/deploy.md)"
        )
    return FileGateway(settings.OUTBOX_DIR / CHANNEL, name=record_file_name)
