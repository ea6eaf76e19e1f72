"""Channels and their gateways.

A channel is a name (``national``, later ``email``, ``sms``) and a factory that builds its
gateway from the settings each time the worker delivers. A gateway sends one message and
returns a short receipt (what the other side said), or raises:

- ``Retry``: the other side is down or said "later" (connection refused, time-out, 5xx,
  429); the message is tried again after a back-off, and given up after
  ``OUTBOX_MAX_ATTEMPTS`` tries. ``retry_after`` (seconds) overrides the back-off when the
  other side said how long to wait.
- ``Rejected``: the other side refused this message for good (e.g. HTTP 422): it goes to the
  dead letters at once, for an administrator to look at.
- ``NotConfigured``: the channel cannot send at all yet (no endpoint in production); the
  message waits without using up its tries.

Any other exception counts as ``Retry``.

Adding a channel is a few lines in the owning app's ``AppConfig.ready()``::

    from outbox.channels import register
    from outbox.gateways import FileGateway

    register("sms", lambda: SmsHttpGateway() if settings.SMS_URL else FileGateway(
        settings.OUTBOX_DIR, name=lambda m: f"{m.pk}.txt", render=render_sms))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from outbox.models import Message


class DeliveryError(Exception):
    """A message could not be delivered; the subclass says what happens next."""


class Retry(DeliveryError):
    """``down``: the other side cannot be reached at all (connection refused, no route), so
    the rest of the batch need not be tried now. ``timed_out``: no answer in time; one such
    is a slow request, but when every message sent at once timed out the other side is taken
    as down too."""

    def __init__(
        self,
        message: str,
        retry_after: float | None = None,
        down: bool = False,
        timed_out: bool = False,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.down = down
        self.timed_out = timed_out


class Rejected(DeliveryError):
    pass


class NotConfigured(DeliveryError):
    pass


class Gateway(Protocol):
    def describe(self) -> str:
        """Where messages go, in words for the administrators' page (no secrets)."""
        ...

    def send(self, message: Message) -> str:
        """Deliver ``message``; return a receipt, or raise a ``DeliveryError``."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Channel:
    """``concurrency``: how many messages of a batch are sent at once (threads). A batch
    never holds two messages of one order key, so the order holds; keep 1 for a gateway
    that is not thread-safe or reads the database."""

    name: str
    gateway: Callable[[], Gateway]
    label: str = ""
    concurrency: int = 1


_CHANNELS: dict[str, Channel] = {}


def register(
    name: str, gateway: Callable[[], Gateway], *, label: str = "", concurrency: int = 1
) -> None:
    """Make ``name`` a channel delivered through the gateway ``gateway()`` builds."""
    _CHANNELS[name] = Channel(
        name=name, gateway=gateway, label=label or name, concurrency=concurrency
    )


def get_channel(name: str) -> Channel:
    try:
        return _CHANNELS[name]
    except KeyError:
        raise LookupError(f"no outbox channel {name!r}; register it in AppConfig.ready()")


def channels() -> list[Channel]:
    return sorted(_CHANNELS.values(), key=lambda c: c.name)
