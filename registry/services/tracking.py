"""Citizen tracking: a receipt code and a 6-digit PIN, a public lookup that shows where the
petition stands and nothing personal, throttled per address and per petition, and the
reissue of a PIN for a printed receipt."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from audit.services import audit_record
from common.clock import today
from common.errors import DomainError, NotFound
from matters.models import Matter
from matters.selectors import get_matter_for_user, matter_state, require_can_act
from petitions.models import Petition
from registry.models import PublicThrottle

# (scope, limit, window in seconds). Every lookup counts against the address; wrong PINs
# count again against the address and against the petition, so that a PIN cannot be
# guessed from many addresses either (a million PINs at 20 a day is 137 years).
LOOKUPS = ("lookup", 30, 600)
FAILED_BY_ADDRESS = ("failed_addr", 10, 3600)
FAILED_BY_CODE = ("failed_code", 20, 86400)


class TooManyLookups(DomainError):
    status = 429

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(
            f"too many lookups; try again in {minutes} minute{'s' if minutes != 1 else ''}"
        )
        self.retry_after = retry_after
        self.minutes = minutes


def client_address(request: HttpRequest) -> str:
    """The caller's address: behind the production reverse proxy, the one the proxy saw
    (the last entry it appended to X-Forwarded-For); otherwise the socket's."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1][:100]
    return str(request.META.get("REMOTE_ADDR", "unknown"))[:100]


def _window(seconds: int) -> tuple[int, int]:
    now = int(time.time())
    start = now - now % seconds
    return start, start + seconds - now


def _hits(scope: str, key: str, seconds: int) -> tuple[int, int]:
    start, left = _window(seconds)
    row = (
        PublicThrottle.objects.filter(scope=scope, key=key, window=start)
        .values_list("hits", flat=True)
        .first()
    )
    return row or 0, left


def _add(scope: str, key: str, seconds: int) -> None:
    start, _left = _window(seconds)
    with transaction.atomic():
        updated = PublicThrottle.objects.filter(scope=scope, key=key, window=start).update(
            hits=F("hits") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    PublicThrottle.objects.create(scope=scope, key=key, window=start, hits=1)
            except IntegrityError:
                PublicThrottle.objects.filter(scope=scope, key=key, window=start).update(
                    hits=F("hits") + 1
                )
    # Forget windows older than a day, now and then.
    if secrets.randbelow(200) == 0:
        PublicThrottle.objects.filter(window__lt=int(time.time()) - 2 * 86400).delete()


def _refuse_if_over(rule: tuple[str, int, int], key: str) -> None:
    scope, limit, seconds = rule
    hits, left = _hits(scope, key, seconds)
    if hits >= limit:
        raise TooManyLookups(left)


@dataclass(frozen=True)
class PublicStatus:
    code: str
    status: str
    owner_name: str
    due_on: Any
    state: str


def public_status(*, code: str, pin: str, address: str) -> PublicStatus:
    """Where petition ``code`` stands, for whoever holds its receipt PIN. Unknown code and
    wrong PIN are the same NotFound; too many lookups from ``address``, or too many wrong
    PINs for one petition, TooManyLookups (429)."""
    code = (code or "").strip().upper()[:40]
    pin = (pin or "").strip()
    _refuse_if_over(LOOKUPS, address)
    _add(LOOKUPS[0], address, LOOKUPS[2])
    _refuse_if_over(FAILED_BY_ADDRESS, address)
    _refuse_if_over(FAILED_BY_CODE, code)
    petition = (
        Petition.objects.select_related("matter", "matter__owner").filter(matter__code=code).first()
    )
    from petitions.services import receipt_pin_matches

    if (
        petition is None
        or not (pin.isdigit() and len(pin) == 6)
        or not receipt_pin_matches(petition, pin)
    ):
        _add(FAILED_BY_ADDRESS[0], address, FAILED_BY_ADDRESS[2])
        _add(FAILED_BY_CODE[0], code, FAILED_BY_CODE[2])
        raise NotFound("no petition with this receipt code and PIN")
    matter = petition.matter
    return PublicStatus(
        code=matter.code,
        status=matter.status,
        owner_name=matter.owner.name,
        due_on=matter.due_on,
        state=matter_state(matter, today()),
    )


def receipt_pin_hash(code: str, pin: str) -> str:
    from petitions.services.intake import _pin_hash

    return _pin_hash(code, pin)


@transaction.atomic
def receipt_reissue(*, actor: Any, code: str) -> tuple[Petition, str]:
    """A new receipt PIN for petition ``code`` (the old one stops working), for its owner
    unit to print on a receipt. Returns the petition and the PIN, which is not kept."""
    matter = get_matter_for_user(actor, code, kind=Matter.Kind.PETITION)
    require_can_act(actor, matter)
    petition = Petition.objects.select_for_update().get(matter=matter)
    petition.matter = matter
    pin = f"{secrets.randbelow(10**6):06d}"
    petition.receipt_pin_hash = receipt_pin_hash(matter.code, pin)
    petition.save(update_fields=["receipt_pin_hash"])
    audit_record(
        actor=actor,
        action="petition.receipt_reissue",
        matter=matter.code,
        unit=matter.owner.code,
        data={},
    )
    return petition, pin
