"""Receiving a petition: validation, the matter and its petition, the processing clock,
sealed identity for denouncers, the receipt PIN and the idempotent retry."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.clock import today
from common.errors import Forbidden, Invalid
from common.text import nfc
from matters.models import Matter
from matters.rules import recompute_due
from matters.services import matter_new, validate_refs
from petitions.duplicates import content_key, id_key
from petitions.identity import identity_seal
from petitions.models import (
    Channel,
    IdempotencyRecord,
    Kind,
    Petition,
    Petitioner,
    PetitionerKey,
    Status,
)
from petitions.rules import processing_rule
from petitions.services.changes import petition_change
from petitions.services.notices import notify_arrival
from units.models import Unit
from units.selectors import visible_unit_ids

ID_NUMBER = re.compile(r"^(\d{12}|\d{9})$")
PHONE = re.compile(r"^\+?\d{8,15}$")


@dataclass
class PetitionerData:
    full_name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    representative: bool = False


def representatives_allowed(signers: int) -> int:
    """LTCD Art. 29: 1-2 representatives for 5-10 people, at most 5 for more than 10."""
    if signers > 10:
        return 5
    if signers >= 5:
        return 2
    return signers


def _clean_petitioners(raw: list[dict[str, Any]], errors: dict[str, str]) -> list[PetitionerData]:
    people: list[PetitionerData] = []
    for i, item in enumerate(raw):
        where = f"petitioners.{i}"
        name = nfc(str(item.get("full_name") or ""))
        number = re.sub(r"\s+", "", str(item.get("id_number") or ""))
        phone = re.sub(r"[\s.\-]", "", str(item.get("phone") or ""))
        address = nfc(str(item.get("address") or ""))
        if not name:
            errors[f"{where}.full_name"] = _("required")
        elif len(name) > 150:
            errors[f"{where}.full_name"] = _("at most %(n)s characters") % {"n": 150}
        if number and not ID_NUMBER.match(number):
            errors[f"{where}.id_number"] = _(
                "must be 12 digits (citizen identity card) or 9 digits (old identity card)"
            )
        if phone and not PHONE.match(phone):
            errors[f"{where}.phone"] = _("must be 8 to 15 digits, optionally starting with +")
        if len(address) > 300:
            errors[f"{where}.address"] = _("at most %(n)s characters") % {"n": 300}
        people.append(
            PetitionerData(name, number, address, phone, bool(item.get("representative")))
        )
    return people


def _pin_hash(code: str, pin: str) -> str:
    secret = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(secret, f"receipt:{code}:{pin}".encode(), hashlib.sha256).hexdigest()


def receipt_pin_matches(petition: Petition, pin: str) -> bool:
    """Whether ``pin`` is the receipt PIN given to the citizen for ``petition``."""
    if not petition.receipt_pin_hash or not pin:
        return False
    return hmac.compare_digest(petition.receipt_pin_hash, _pin_hash(petition.matter.code, pin))


def _new_pin(seed: str | None) -> str:
    """Six digits: random, or derived from the idempotency seed so a retry gets the same one
    without the PIN ever being stored in clear."""
    if seed is None:
        return f"{secrets.randbelow(10**6):06d}"
    secret = settings.SECRET_KEY.encode("utf-8")
    digest = hmac.new(secret, f"pin:{seed}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**6:06d}"


# A receipt date older than this is more often a slip of the keyboard than a petition found
# in a drawer: the petition would be overdue the moment it is saved. The official (the web
# form's box) or the caller (the API's ``confirm_date``) must say that it is meant.
CONFIRM_OLDER_THAN_DAYS = 30


def old_date_message(on: date, day: date) -> str:
    return _(
        "%(day)s is %(n)s days ago: the deadline is counted from it, so the petition may be "
        "overdue at once. Check the date and confirm it."
    ) % {"day": f"{on:%d/%m/%Y}", "n": (day - on).days}


@petition_change
def petition_receive(
    *,
    actor: Any,
    kind: str,
    channel: str,
    received_on: date,
    area: str,
    category: str,
    summary: str,
    area_before: str | None = None,
    content: str = "",
    petitioners: list[dict[str, Any]] | None = None,
    signers: int = 1,
    owner: str | None = None,
    representative: str = "",
    first_instance: str | None = None,
    disciplinary: bool = False,
    pin_seed: str | None = None,
    confirm_date: bool = True,
    resolved: tuple[Any, Any] | None = None,
) -> Petition:
    """Register a petition (LAW-PETITIONS §2 step 0) owned by ``owner`` (default: the
    filer's unit), handled by the filer, with the processing deadline of the rule in force
    on ``received_on``. Every bad field is reported at once (Invalid) and nothing is stored.

    The returned petition carries ``receipt_pin`` (the only time the PIN exists in clear)
    and ``petitioner_list`` (what was received, for the response). ``resolved``: the
    ``area`` and ``category`` objects a caller has already read (not read again).
    """
    if not (actor.is_superuser or actor.is_admin or actor.can_act):
        raise Forbidden(_("your roles do not allow filing petitions"))
    errors: dict[str, str] = {}
    summary = nfc(summary or "")
    content = nfc(content or "")
    representative = nfc(representative or "")
    _check_fields(errors, kind, channel, received_on, summary, content, signers, confirm_date)
    people = _check_people(errors, kind, petitioners, signers, representative)
    first = _first_instance(errors, kind, first_instance)
    if disciplinary and kind != Kind.COMPLAINT:
        errors["disciplinary"] = _("only a complaint can be against a disciplinary decision")
    area_obj, cat_obj, owner_unit = _check_refs(
        errors, actor, area, category, owner, received_on, area_before, resolved
    )
    rule = _processing_rule(errors, kind, channel, first, disciplinary, received_on)
    if errors:
        raise Invalid(errors)
    assert area_obj and cat_obj and owner_unit and rule

    matter = _new_matter(actor, summary, area_obj, cat_obj, owner_unit, received_on, rule)
    sealed = kind == Kind.DENUNCIATION
    pin = _new_pin(pin_seed)
    petition = Petition.objects.create(
        matter=matter,
        kind=kind,
        channel=channel,
        received_on=received_on,
        summary=summary,
        content=content,
        content_key=content_key(content),
        signers=signers,
        # A denouncer's representative is a denouncer: sealed with the others.
        representative="" if sealed else representative,
        instance=2 if first else 1,
        first_instance=first,
        disciplinary=disciplinary,
        processing_rule=rule,
        processing_due_on=matter.due_on,
        sealed=sealed,
        receipt_pin_hash=_pin_hash(matter.code, pin),
    )
    _keep_petitioners(petition, _listed(people, representative))
    _audit_received(actor, petition, owner_unit, rule)
    notify_arrival(petition, actor=actor)
    # Petitions that look the same: kept on ``petition`` for the answer to ``actor``; the
    # handlers of sealed ones ``actor`` may not be told of hear of it instead.
    from registry.services.duplicates import duplicates_on_intake

    duplicates_on_intake(actor=actor, petition=petition)
    petition.receipt_pin = pin  # type: ignore[attr-defined]
    return petition


def _new_matter(
    actor: Any,
    summary: str,
    area: Any,
    category: Any,
    owner: Unit,
    received_on: date,
    rule: Any,
) -> Matter:
    """The petition's matter, received, on the clock of ``rule`` from ``received_on``."""
    matter = matter_new(
        kind=Matter.Kind.PETITION,
        title=summary,
        area=area,
        category=category,
        owner=owner,
        opened_on=received_on,
        status=Status.RECEIVED,
        handler=actor,
    )
    matter.rule = rule
    matter.clock_start = received_on
    recompute_due(matter)
    matter.save(update_fields=["rule", "clock_start", "due_on"])
    return matter


def _check_fields(
    errors: dict[str, str],
    kind: str,
    channel: str,
    received_on: date,
    summary: str,
    content: str,
    signers: int,
    confirm_date: bool = True,
) -> None:
    """Kind, channel, day received (not in the future; long ago only when confirmed),
    summary, content and signers."""
    if kind not in Kind.values:
        errors["kind"] = _("must be one of %(values)s") % {"values": ", ".join(Kind.values)}
    if channel not in Channel.values:
        errors["channel"] = _("must be one of %(values)s") % {"values": ", ".join(Channel.values)}
    day = today()
    if received_on > day:
        errors["received_on"] = _("%(day)s is in the future") % {"day": f"{received_on:%d/%m/%Y}"}
    elif not confirm_date and received_on < day - timedelta(days=CONFIRM_OLDER_THAN_DAYS):
        errors["received_on"] = old_date_message(received_on, day)
    if not summary:
        errors["summary"] = _("required")
    elif len(summary) > 300:
        errors["summary"] = _("at most %(n)s characters") % {"n": 300}
    if len(content) > 20000:
        errors["content"] = _("at most %(n)s characters") % {"n": "20.000"}
    if not isinstance(signers, int) or signers < 1:
        errors["signers"] = _("must be 1 or more")


def _processing_rule(
    errors: dict[str, str],
    kind: str,
    channel: str,
    first: Petition | None,
    disciplinary: bool,
    received_on: date,
) -> Any:
    """The processing rule in force on ``received_on`` (None while kind, channel or day are
    wrong, or when no rule is in force: then an error on ``received_on``)."""
    if "kind" in errors or "channel" in errors or "received_on" in errors:
        return None
    try:
        return processing_rule(
            kind=kind,
            channel=channel,
            instance=2 if first else 1,
            disciplinary=disciplinary,
            on=received_on,
        )
    except Invalid as exc:
        errors["received_on"] = exc.errors.get("rule", exc.message)
        return None


def _audit_received(actor: Any, petition: Petition, owner_unit: Unit, rule: Any) -> None:
    matter = petition.matter
    first = petition.first_instance
    audit_record(
        actor=actor,
        action="petition.receive",
        matter=matter.code,
        unit=owner_unit.code,
        data={
            "kind": petition.kind,
            "channel": petition.channel,
            "received_on": petition.received_on,
            "signers": petition.signers,
            "rule": rule.ref,
            "due_on": matter.due_on,
            "first_instance": first.matter.code if first else None,
            "sealed": petition.sealed,
        },
    )


def _check_people(
    errors: dict[str, str],
    kind: str,
    petitioners: list[dict[str, Any]] | None,
    signers: int,
    representative: str,
) -> list[Any]:
    """The petitioners, cleaned, checked against the kind, the number of signers and the
    representative named (LKN Art. 8, LTCD Art. 29)."""
    people = _clean_petitioners(list(petitioners or []), errors)
    if kind == Kind.COMPLAINT and not people:
        errors["petitioners"] = _("a complaint names at least one complainant (LKN Art. 8)")
    if isinstance(signers, int) and signers >= 1 and len(people) > signers:
        errors["signers"] = _("%(signers)s is fewer than the %(n)s petitioners listed") % {
            "signers": signers,
            "n": len(people),
        }
    flagged = [p for p in people if p.representative]
    if representative:
        if people and representative.casefold() not in {p.full_name.casefold() for p in people}:
            errors["representative"] = _(
                "the representative must be one of the petitioners (LTCD Art. 29)"
            )
        if len(representative) > 150:
            errors["representative"] = _("at most %(n)s characters") % {"n": 150}
    if isinstance(signers, int) and len(flagged) > representatives_allowed(signers):
        errors["petitioners"] = _(
            "at most %(n)s representatives for %(signers)s signers (LTCD Art. 29)"
        ) % {"n": representatives_allowed(signers), "signers": signers}
    return people


def _first_instance(errors: dict[str, str], kind: str, code: str | None) -> Petition | None:
    """The first-instance complaint a second-instance complaint names, if any."""
    first: Petition | None = None
    if code:
        first = Petition.objects.select_related("matter").filter(matter__code=code.strip()).first()
        if kind != Kind.COMPLAINT:
            errors["first_instance"] = _("only a complaint has a second instance")
        elif first is None or first.kind != Kind.COMPLAINT:
            errors["first_instance"] = _("no complaint with code %(code)s") % {"code": code}
        elif first.instance != 1:
            errors["first_instance"] = _("%(code)s is itself a second instance") % {"code": code}
    return first


def _check_refs(
    errors: dict[str, str],
    actor: Any,
    area: str,
    category: str,
    owner: str | None,
    received_on: date,
    area_before: str | None,
    resolved: tuple[Any, Any] | None = None,
) -> tuple[Any, Any, Unit | None]:
    """Area, category and owner unit (default: the filer's), the owner within the filer's
    reach; with ``resolved``, its area and category are taken as read."""
    try:
        area_obj, cat_obj, owner_obj = validate_refs(
            area=None if resolved else area or "",
            category=None if resolved else category or "",
            owner=owner or None,
            on=received_on,
            area_before=area_before,
        )
        if resolved:
            area_obj, cat_obj = resolved
    except Invalid as exc:
        errors.update(exc.errors)
        area_obj = cat_obj = owner_obj = None
    owner_unit = owner_obj or _own_unit(actor, errors)
    if owner_obj is not None:
        visible = visible_unit_ids(actor)
        if visible is not None and owner_obj.id not in visible:
            errors["owner"] = _(
                "you may file petitions only for your unit or units below it, not %(owner)s"
            ) % {"owner": owner}
    return area_obj, cat_obj, owner_unit


def _listed(people: list[Any], representative: str) -> list[dict[str, Any]]:
    """The petitioners as received (the representative flagged by name too)."""
    return [
        {
            "full_name": p.full_name,
            "id_number": p.id_number,
            "address": p.address,
            "phone": p.phone,
            "representative": p.representative
            or (bool(representative) and p.full_name.casefold() == representative.casefold()),
        }
        for p in people
    ]


def _keep_petitioners(petition: Petition, listed: list[dict[str, Any]]) -> None:
    """A sealed petition's petitioners go to the vault; the others to ``Petitioner`` rows,
    with the keys of their ID numbers for the duplicate finder."""
    if petition.sealed:
        petition.vault_ref = identity_seal(petition.matter.code, listed)
        if petition.vault_ref:
            petition.save(update_fields=["vault_ref"])
        return
    Petitioner.objects.bulk_create(
        [
            Petitioner(
                petition=petition,
                position=i,
                full_name=p["full_name"],
                id_number=p["id_number"],
                address=p["address"],
                phone=p["phone"],
                is_representative=p["representative"],
            )
            for i, p in enumerate(listed, start=1)
        ]
    )
    keys = {id_key(p["id_number"]) for p in listed if p["id_number"]}
    PetitionerKey.objects.bulk_create([PetitionerKey(petition=petition, key=k) for k in keys])


def _own_unit(actor: Any, errors: dict[str, str]) -> Unit | None:
    if actor.unit_id is None:
        errors.setdefault("owner", _("name the owner unit: you belong to no unit"))
        return None
    return actor.unit


def body_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def petition_receive_once(
    *,
    actor: Any,
    key: str,
    body: dict[str, Any],
    receive: Callable[[str], Petition],
    serialize: Callable[[Petition], dict[str, Any]],
) -> dict[str, Any]:
    """Run ``receive`` once per (official, ``key``): a retry with the same body gets the
    first answer again, the same key with another body is Invalid.

    The key is claimed by inserting its row in the same transaction as the petition: a
    parallel retry waits on that row (a unique index on PostgreSQL, the write lock on
    SQLite) and then finds it. A refused request leaves no row, so the key can be used again.
    """
    key = key.strip()
    if not key or len(key) > 200:
        raise Invalid({"Idempotency-Key": _("must be 1 to 200 characters")})
    digest = body_hash(body)
    seed = f"{actor.pk}:{key}"
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=actor, key=key, body_hash=digest)
        except IntegrityError:
            record = None
        if record is None:
            existing = IdempotencyRecord.objects.get(user=actor, key=key)
            if existing.body_hash != digest:
                raise Invalid({"Idempotency-Key": _("already used for a different request body")})
            answer = dict(existing.response or {})
            answer["receipt_pin"] = _new_pin(seed)
            return answer
        petition = receive(seed)
        answer = serialize(petition)
        stored = {k: v for k, v in answer.items() if k != "receipt_pin"}
        record.response = json.loads(json.dumps(stored, default=str))
        record.status_code = 201
        record.save(update_fields=["response", "status_code"])
    return json.loads(json.dumps(answer, default=str))


# Public names for the seams other apps use (the register import, public tracking).
clean_petitioners = _clean_petitioners
pin_hash = _pin_hash
