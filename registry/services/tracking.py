"""Citizen tracking: a receipt code and a 6-digit PIN, a public lookup that shows where the
petition stands and nothing personal, throttled per address (and per address and petition),
and the reissue of a PIN for a printed receipt."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from common import throttle
from common.clock import today
from common.errors import NotFound
from common.throttle import Limit, TooMany, client_address
from matters.models import Matter
from matters.selectors import get_matter_for_user, matter_state, require_can_act
from petitions.models import Petition

__all__ = ["TooManyLookups", "client_address", "public_status", "receipt_reissue"]

# Every lookup counts against the address; a wrong PIN counts again against the address, and
# against the pair (address, petition). Nothing locks a petition for everyone: a stranger who
# tries wrong PINs for someone's receipt must not lock the citizen out of their own petition.
# Guessing one PIN from many addresses is slow all the same: five wrong PINs a day per
# address for a petition, so half the million PINs takes some 100,000 address-days; and the
# owner unit hears of it (``FAILED_BY_CODE``) so that it can reissue the PIN.
LOOKUPS = Limit("lookup", 30, 600)
FAILED_BY_ADDRESS = Limit("failed_addr", 10, 3600)
FAILED_BY_ADDRESS_AND_CODE = Limit("failed_addr_code", 5, 86400)
# Wrong PINs for one petition in a day from all addresses: counted, never refused; reaching
# the limit tells the owner unit once that day.
FAILED_BY_CODE = Limit("failed_code", 20, 86400)


class TooManyLookups(TooMany):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after, "lookups")


def _refuse_if_over(limit: Limit, key: str) -> None:
    count, left = throttle.hits(limit, key)
    if count >= limit.limit:
        raise TooManyLookups(left)


def _tell_owner_of_guessing(petition: Petition) -> None:
    """Once a day, tell the owner unit's handler (or head) that PINs are being guessed."""
    from notifications.services import notify, recipients_of_unit

    matter = petition.matter
    handler = matter.handler
    people = [handler] if handler is not None and handler.is_active else []
    people = people or recipients_of_unit(matter.owner)
    notify(
        people,
        kind="petition.pin_guessed",
        text=_(
            "Many wrong receipt PINs were tried today for petition %(code)s. If the citizen "
            "has not lost the receipt, someone may be guessing: reissue the PIN."
        )
        % {"code": matter.code},
        matter=matter.code,
        dedupe_key=f"pin_guessed:{matter.code}:{today().isoformat()}",
    )


@dataclass(frozen=True)
class PublicStatus:
    code: str
    status: str
    owner_name: str
    due_on: Any
    state: str
    # The steps with the unit at each, and the published answer once resolved.
    history: list[Any] = field(default_factory=list)
    answer: str | None = None


def public_status(*, code: str, pin: str, address: str) -> PublicStatus:
    """Where petition ``code`` stands, for whoever holds its receipt PIN. Unknown code and
    wrong PIN are the same NotFound; too many lookups or wrong PINs from ``address`` (for
    any petition, or for this one), TooManyLookups (429). Wrong PINs from elsewhere never
    lock out the holder of the right one."""
    code = (code or "").strip().upper()[:40]
    pin = (pin or "").strip()
    pair = f"{code} {address}"
    _refuse_if_over(LOOKUPS, address)
    throttle.add(LOOKUPS, address)
    _refuse_if_over(FAILED_BY_ADDRESS, address)
    _refuse_if_over(FAILED_BY_ADDRESS_AND_CODE, pair)
    petition = (
        Petition.objects.select_related("matter", "matter__owner", "matter__handler")
        .filter(matter__code=code)
        .first()
    )
    from petitions.services import receipt_pin_matches

    if (
        petition is None
        or not (pin.isdigit() and len(pin) == 6)
        or not receipt_pin_matches(petition, pin)
    ):
        throttle.add(FAILED_BY_ADDRESS, address)
        throttle.add(FAILED_BY_ADDRESS_AND_CODE, pair)
        if petition is not None:
            with transaction.atomic():
                if throttle.add(FAILED_BY_CODE, code) == FAILED_BY_CODE.limit:
                    _tell_owner_of_guessing(petition)
        raise NotFound(_("no petition with this receipt code and PIN"))
    matter = petition.matter
    from citizens.selectors import petition_history, public_answer

    return PublicStatus(
        code=matter.code,
        status=matter.status,
        owner_name=matter.owner.name,
        due_on=matter.due_on,
        state=matter_state(matter, today()),
        history=petition_history(petition),
        answer=public_answer(petition),
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
