"""Failed sign-ins counted per client address, beside django-axes.

django-axes locks an account from one address after a few failures (``AXES_*`` settings),
which stops guessing one official's password but not password spraying: a few tries at
each of many accounts from one address. This counts every failed sign-in (web page or API
token, wrong password or wrong second-factor code) per client address and refuses sign-ins
from an address past ``LOGIN_FAILURES_PER_ADDRESS`` failures in 15 minutes (429 with
Retry-After). No account is ever locked for everyone by it.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from common import throttle
from common.throttle import Limit, client_address

WINDOW_SECONDS = 15 * 60


def axes_client_ip(request: HttpRequest) -> str | None:
    """The client address for django-axes (``AXES_CLIENT_IP_CALLABLE``): the one behind the
    reverse proxy, as for every throttle; None when there is no valid one (a test client's
    ``force_login``), which axes stores as unknown."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _limit() -> Limit:
    return Limit("login_failed_addr", settings.LOGIN_FAILURES_PER_ADDRESS, WINDOW_SECONDS)


def refuse_if_over(request: HttpRequest) -> None:
    """TooMany (429) if the caller's address has had too many failed sign-ins lately."""
    throttle.refuse_if_over(
        _limit(), client_address(request), 1, "failed sign-ins from this address"
    )


@receiver(user_login_failed, dispatch_uid="accounts.count_failed_login_by_address")
def count_failure(sender: Any, credentials: Any = None, request: Any = None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "META"):
        throttle.add(_limit(), client_address(request))
