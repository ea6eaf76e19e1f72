"""Every write of the citizens' front door: contact codes, filing a petition online (through
the desk's intake service, routed by the rules kept as data), photos, the status messages,
ratings and reopenings, requests about one's personal data, and the routing rules.

Every public write is counted per client address first (429 over the limit) and changes
nothing when it is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from citizens import contacts
from citizens.channels import EMAIL, SMS
from citizens.models import (
    ContactCode,
    ContactKind,
    DataRequest,
    Feedback,
    PublicFiling,
    Reopening,
    RoutingRule,
)
from common import throttle
from common.clock import today
from common.errors import Conflict, Invalid, NotFound
from common.text import nfc
from common.throttle import Limit
from matters.models import Category, Matter
from matters.rules import recompute_due, rule_in_force
from outbox.services import outbox_put
from petitions.models import OPEN_STATUSES, Channel, Kind, Petition, Status
from units.models import Unit

# --- limits -------------------------------------------------------------------------------------

CODE_MINUTES = 15
CODE_TRIES = 5
PHOTO_HOURS = 24
PHOTOS_MAX = 5
REOPEN_DAYS = 30
PORTAL_USERNAME = "cong-dan-truc-tuyen"

# Per client address, every public POST (refused or not) counts.
CONTACT_LIMIT = Limit("pub_contact", 5, 3600)
FILING_LIMIT = Limit("pub_filing", 10, 3600)
MEDIA_LIMIT = Limit("pub_media", 30, 3600)
FEEDBACK_LIMIT = Limit("pub_feedback", 10, 3600)
DATA_LIMIT = Limit("pub_data", 5, 3600)
# Codes sent to one contact in an hour, whoever asks.
CONTACT_TARGET_LIMIT = Limit("pub_contact_to", 3, 3600)

# The petition's events that a citizen hears of, and the status word each one sends.
HEARD_EVENTS = {
    "accept": Status.ACCEPTED,
    "transfer": "transferred",
    "escalation": "transferred",
    "extend": "extended",
    "suspend": Status.SUSPENDED,
    "resume": "resumed",
    "resolve": Status.RESOLVED,
    "refuse": Status.REFUSED,
    "guide": Status.GUIDED,
    "file_away": Status.FILED,
    "reopen": "reopened",
}


def count_request(limit: Limit, address: str) -> None:
    """Count one public POST from ``address``; TooMany (429) once it is over ``limit``."""
    throttle.refuse_if_over(limit, address)
    throttle.add(limit, address)


# --- contacts -----------------------------------------------------------------------------------


def _contact_of(raw: dict[str, Any], field: str = "contact") -> tuple[str, str]:
    email = raw.get("email")
    phone = raw.get("phone")
    if bool(email) == bool(phone):
        raise Invalid({field: _("give an e-mail address or a phone number (one of them)")})
    kind, given = (ContactKind.EMAIL, email) if email else (ContactKind.PHONE, phone)
    clean = contacts.clean_email if email else contacts.clean_phone
    cleaned = clean(str(given))
    if cleaned is None:
        key = kind.value if field == "contact" else f"{field}.{kind.value}"
        problem = _("not a valid e-mail address") if email else _("not a valid mobile phone number")
        raise Invalid({key: problem})
    return kind, cleaned


def _send(kind: str, address: str, *, key: str, subject: str, text: str) -> None:
    """Queue one message to a citizen (in the caller's transaction)."""
    if kind == ContactKind.EMAIL:
        outbox_put(
            channel=EMAIL, key=key, payload={"to": address, "subject": subject, "body": text}
        )
    else:
        outbox_put(channel=SMS, key=key, payload={"to": address, "text": text})


def contact_code_send(
    *, email: str | None = None, phone: str | None = None, address: str
) -> ContactCode:
    """Send a 6-digit code to ``email`` or ``phone`` (valid CODE_MINUTES minutes, CODE_TRIES
    tries); a newer code replaces the older ones of that contact."""
    count_request(CONTACT_LIMIT, address)
    kind, target = _contact_of({"email": email, "phone": phone})
    throttle.refuse_if_over(CONTACT_TARGET_LIMIT, f"{kind}:{target}", what="codes")
    code = contacts.new_code()
    now = timezone.now()
    with transaction.atomic():
        throttle.add(CONTACT_TARGET_LIMIT, f"{kind}:{target}")
        ContactCode.objects.filter(kind=kind, address=target, used_at__isnull=True).update(
            expires_at=now
        )
        row = ContactCode.objects.create(
            kind=kind,
            address=target,
            code_hash=contacts.code_hash(kind, target, code),
            created_at=now,
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        with translation.override("vi"):
            text = _(
                "Your confirmation code is %(code)s. It is valid for %(minutes)s minutes. "
                "Do not give it to anyone."
            ) % {"code": code, "minutes": CODE_MINUTES}
            subject = _("Confirmation code")
        _send(kind, target, key=f"code-{row.pk}", subject=subject, text=text)
    return row


def contact_check(raw: dict[str, Any]) -> ContactCode:
    """The code row that ``raw`` (``email`` or ``phone``, and ``code``) proves, not yet used.
    A wrong code uses up a try (kept even though the request fails); a wrong, expired or
    used-up code is Invalid naming ``contact``."""
    if not isinstance(raw, dict):
        raise Invalid({"contact": _("required")})
    kind, target = _contact_of(raw)
    code = str(raw.get("code") or "").strip()
    now = timezone.now()
    row = (
        ContactCode.objects.filter(kind=kind, address=target, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None or row.expires_at <= now:
        raise Invalid({"contact": _("the code has expired or was never sent: ask for a new one")})
    if row.tries >= CODE_TRIES:
        raise Invalid({"contact": _("too many wrong codes: ask for a new one")})
    if not (code.isdigit() and len(code) == 6) or not secrets.compare_digest(
        row.code_hash, contacts.code_hash(kind, target, code)
    ):
        ContactCode.objects.filter(pk=row.pk).update(tries=row.tries + 1)
        raise Invalid({"contact": _("the code is wrong")})
    return row


# --- routing ------------------------------------------------------------------------------------


def portal_actor() -> Any:
    """The account that files online petitions on the citizens' behalf: it cannot log in
    (no usable password, inactive), and it names the front door in the audit log."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=PORTAL_USERNAME).first()
    if user is None:
        user = user_model(
            username=PORTAL_USERNAME,
            full_name="Cổng tiếp nhận trực tuyến",
            roles=["clerk"],
            is_active=False,
        )
        user.set_unusable_password()
        user.save()
    return user


def route(area: Any, category: Category | None) -> Unit | None:
    """The competent unit for ``area`` (a commune or a province) and ``category``: the most
    precise routing rule (the commune's before its province's, a category's before "any"),
    else the provincial citizen reception office, else None."""
    from django.db.models import Q

    areas = [area.code] + ([area.parent_id] if area.parent_id else [])
    which = Q(category__isnull=True)
    if category is not None:
        which |= Q(category=category)
    rules = list(
        RoutingRule.objects.select_related("unit").filter(
            which, area_id__in=areas, unit__is_active=True
        )
    )
    if rules:
        rules.sort(key=lambda r: (areas.index(r.area_id), r.category_id is None))
        return rules[0].unit
    province = area.code if not area.parent_id else area.parent_id
    return (
        Unit.objects.filter(kind=Unit.Kind.RECEPTION_OFFICE, is_active=True, area_id=province)
        .order_by("depth", "code")
        .first()
    )


def routing_rule_save(
    *,
    actor: Any,
    area: str,
    category: str | None,
    unit: str,
    note: str = "",
    rule_id: int | None = None,
) -> RoutingRule:
    """Create or change a routing rule (administrators); audited."""
    from areas.models import Area

    if not (actor.is_superuser or actor.is_admin):
        from common.errors import Forbidden

        raise Forbidden(_("only administrators change routing rules"))
    errors: dict[str, str] = {}
    area_obj = Area.objects.filter(code=(area or "").strip()).first()
    if area_obj is None:
        errors["area"] = _("no area with code %(code)s") % {"code": area}
    cat_obj = None
    if category:
        cat_obj = Category.objects.filter(code=category.strip()).first()
        if cat_obj is None:
            errors["category"] = _("no category %(code)s") % {"code": category}
    unit_obj = Unit.objects.filter(code=(unit or "").strip(), is_active=True).first()
    if unit_obj is None:
        errors["unit"] = _("no active unit with code %(code)s") % {"code": unit}
    note = nfc(note or "")[:300]
    rule = RoutingRule.objects.filter(pk=rule_id).first() if rule_id else None
    if rule_id and rule is None:
        raise NotFound(_("no routing rule %(id)s") % {"id": rule_id})
    clash = RoutingRule.objects.filter(area=area_obj, category=cat_obj)
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if area_obj is not None and clash.exists():
        errors["category"] = _("a rule for this area and category already exists")
    if errors:
        raise Invalid(errors)
    before = (
        None
        if rule is None
        else {"area": rule.area_id, "category": rule.category_id, "unit": rule.unit_id}
    )
    assert area_obj is not None and unit_obj is not None
    with transaction.atomic():
        rule = rule or RoutingRule()
        rule.area, rule.category, rule.unit, rule.note = area_obj, cat_obj, unit_obj, note
        rule.save()
        audit_record(
            actor=actor,
            action="citizens.routing_rule",
            unit=unit_obj.code if unit_obj else "",
            data={
                "rule": rule.pk,
                "before": before,
                "area": rule.area_id,
                "category": rule.category_id,
                "unit": unit_obj.code if unit_obj else None,
            },
        )
    return rule


def routing_rule_delete(*, actor: Any, rule_id: int) -> None:
    if not (actor.is_superuser or actor.is_admin):
        from common.errors import Forbidden

        raise Forbidden(_("only administrators change routing rules"))
    rule = RoutingRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("no routing rule %(id)s") % {"id": rule_id})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="citizens.routing_rule_delete",
            data={
                "rule": rule.pk,
                "area": rule.area_id,
                "category": rule.category_id,
                "unit": rule.unit_id,
            },
        )
        rule.delete()


# --- filing -------------------------------------------------------------------------------------


def _petitioner(kind: str, raw: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    """The petitioner as the intake service takes it. A complaint and a denunciation need
    the full name, the 12-digit ID number and the address (LKN Art. 8, LTC Art. 23)."""
    raw = raw if isinstance(raw, dict) else {}
    name = nfc(str(raw.get("full_name") or "")).strip()
    number = "".join(str(raw.get("id_number") or "").split())
    home = nfc(str(raw.get("address") or "")).strip()
    if kind in (Kind.COMPLAINT, Kind.DENUNCIATION):
        if not name:
            errors["petitioner.full_name"] = _("required for a complaint or a denunciation")
        if not (number.isdigit() and len(number) == 12):
            errors["petitioner.id_number"] = _("the 12-digit number of the citizen identity card")
        if not home:
            errors["petitioner.address"] = _("required for a complaint or a denunciation")
    elif number and not (number.isdigit() and len(number) == 12):
        errors["petitioner.id_number"] = _("the 12-digit number of the citizen identity card")
    if not name:
        return []
    return [{"full_name": name, "id_number": number, "address": home}]


def _location(raw: Any, errors: dict[str, str]) -> tuple[float | None, float | None]:
    if raw in (None, {}):
        return None, None
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (KeyError, TypeError, ValueError):
        errors["location"] = _("give lat and lon as numbers")
        return None, None
    # Viet Nam and its seas, generously.
    if not (8.0 <= lat <= 24.0 and 102.0 <= lon <= 118.0):
        errors["location"] = _("the point is outside Viet Nam")
        return None, None
    return lat, lon


def _public_point(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass
class _Checked:
    """A public filing that passed every check, ready for the desk's intake."""

    kind: str
    area: Any
    category: Category
    owner: Unit
    people: list[dict[str, Any]]
    lat: float | None
    lon: float | None
    public: bool
    contact_kind: str
    contact: str
    code_row: ContactCode | None


def _screen(address: str, website: str) -> None:
    """Count the filing against ``address`` (429 over the limit); a filled honeypot field
    (left empty by people, filled by robots that fill every field) is refused."""
    count_request(FILING_LIMIT, address)
    if website:
        raise Invalid({"website": _("must be left empty")})


def _contact_proved(
    raw: Any, unverified: bool, errors: dict[str, str]
) -> tuple[str, str, ContactCode | None]:
    """(kind, address, code row) of the filing's contact. With a code, the code must be
    right (``contact_check``); without one, only where ``unverified`` allows it: the contact
    is then kept as given, unverified (the row is None)."""
    try:
        if unverified and isinstance(raw, dict) and not str(raw.get("code") or "").strip():
            kind, target = _contact_of(raw)
            return kind, target, None
        row = contact_check(raw)
        return row.kind, row.address, row
    except Invalid as exc:
        errors.update(exc.errors)
        return "", "", None


def _filing_check(
    *,
    kind: str,
    area: str,
    category: str,
    summary: str,
    petitioner: dict[str, Any] | None,
    contact: dict[str, Any],
    location: dict[str, Any] | None,
    public: bool,
    photos: list[Any],
    unverified_contact: bool,
) -> _Checked:
    """Every check of a filing at once: Invalid naming every field at fault."""
    from areas.models import Area

    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("must be one of %(values)s") % {"values": ", ".join(Kind.values)}
    if not nfc(summary or "").strip():
        errors["summary"] = _("required")
    people = _petitioner(kind, petitioner, errors)
    lat, lon = _location(location, errors)
    public = bool(public)
    if public and kind != Kind.PROPOSAL:
        errors["public"] = _("only a proposal can be shown on the public map")
    area_obj = Area.objects.filter(code=str(area or "").strip()).first()
    if area_obj is None:
        errors["area"] = _("choose your commune from the list")
    cat_obj = Category.objects.filter(code=str(category or "").strip(), is_active=True).first()
    if cat_obj is None:
        errors["category"] = _("choose a category from the list")
    owner = route(area_obj, cat_obj) if area_obj is not None else None
    if area_obj is not None and owner is None:
        errors["area"] = _("no unit receives online petitions for this area yet")
    if len(photos) > PHOTOS_MAX:
        errors["photos"] = _("at most %(n)s photos") % {"n": PHOTOS_MAX}
    contact_kind, target, code_row = _contact_proved(contact, unverified_contact, errors)
    if errors:
        raise Invalid(errors)
    assert owner is not None and area_obj is not None and cat_obj is not None
    return _Checked(
        kind, area_obj, cat_obj, owner, people, lat, lon, public, contact_kind, target, code_row
    )


def _intake(checked: _Checked, summary: str, content: str) -> Petition:
    """The desk's intake for the competent unit (channel online, received today, the clock
    of the rule in force, a denunciation sealed), with no handler yet."""
    from petitions.services import petition_receive

    actor = portal_actor()
    actor.unit = checked.owner  # files for the competent unit, as its desk would (never saved)
    try:
        petition = petition_receive(
            actor=actor,
            kind=checked.kind,
            channel=Channel.ONLINE,
            received_on=today(),
            area=checked.area.code,
            category=checked.category.code,
            summary=summary,
            content=content,
            petitioners=checked.people,
        )
    except Invalid as exc:
        raise Invalid(
            {k.replace("petitioners.0.", "petitioner."): v for k, v in exc.errors.items()}
        ) from None
    Matter.objects.filter(pk=petition.matter.pk).update(handler=None)
    petition.matter.handler = None
    return petition


def _filing_store(
    petition: Petition, checked: _Checked, photos: list[tuple[bytes, int, int]]
) -> PublicFiling:
    """Use up the contact's code, and keep what came with the petition: the contact (sealed
    with a sealed petition), the point (rounded for the public map), the photos."""
    from citizens.photos import photo_save

    if checked.code_row is not None:
        used = ContactCode.objects.filter(pk=checked.code_row.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not used:
            raise Invalid({"contact": _("the code has already been used: ask for a new one")})
    stored = checked.contact
    if petition.sealed:
        stored = contacts.seal_contact(petition.matter.code, stored)
    show = checked.public and checked.kind == Kind.PROPOSAL
    filing = PublicFiling.objects.create(
        petition=petition,
        contact_kind=checked.contact_kind,
        contact=stored,
        contact_verified=checked.code_row is not None,
        public=show,
        lat=checked.lat,
        lon=checked.lon,
        public_lat=_public_point(checked.lat) if show else None,
        public_lon=_public_point(checked.lon) if show else None,
    )
    for cleaned, width, height in photos:
        photo_save(filing, cleaned, width, height)
    return filing


def _receipt_send(petition: Petition, filing: PublicFiling) -> None:
    """The receipt code and PIN to a verified contact (an unverified one hears nothing)."""
    if not filing.contact_verified:
        return
    matter = petition.matter
    with translation.override("vi"):
        text = _(
            "Your petition was received: code %(code)s, PIN %(pin)s. Unit: %(unit)s. "
            "Processing due %(due)s. Follow it at %(link)s"
        ) % {
            "code": matter.code,
            "pin": petition.receipt_pin,  # type: ignore[attr-defined]
            "unit": matter.owner.name,
            "due": f"{matter.due_on:%d/%m/%Y}" if matter.due_on else "—",
            "link": tracking_link(matter.code),
        }
        subject = _("Petition %(code)s received") % {"code": matter.code}
    _queue(
        petition,
        filing.contact_kind,
        filing.contact,
        key=f"{matter.code}-received",
        subject=subject,
        text=text,
    )


def public_petition_file(
    *,
    kind: str,
    area: str,
    category: str,
    summary: str,
    content: str = "",
    petitioner: dict[str, Any] | None = None,
    contact: dict[str, Any],
    location: dict[str, Any] | None = None,
    public: bool = False,
    address: str,
    photos: list[tuple[bytes, int, int]] | None = None,
    website: str = "",
    unverified_contact: bool = False,
) -> Petition:
    """File a petition online for a citizen, by every door (the pages, the API, Open311).

    Counted against ``address`` first (429 over FILING_LIMIT); a filled ``website`` (the
    honeypot) is refused. It goes through the desk's intake (``petition_receive``: channel
    ``online``, received today, the clock of the rule in force, a denunciation sealed in the
    vault), owned by the unit that ``route`` names for the commune and category. A contact
    verified by its code gets the receipt code and PIN and then a message at every change of
    status. ``unverified_contact`` (Open311, whose clients have no code) lets a contact come
    without a code: it is kept marked unverified and is sent nothing. Returns the petition
    with ``receipt_pin`` (the only time the PIN exists in clear). Bad input: Invalid naming
    every field at once, nothing stored (a wrong code only uses up one of its tries).
    ``photos`` already cleaned (``citizens.photos.read_upload``) are stored with it (the
    pages send them with the form; the API adds them afterwards).
    """
    _screen(address, website)
    checked = _filing_check(
        kind=kind,
        area=area,
        category=category,
        summary=summary,
        petitioner=petitioner,
        contact=contact,
        location=location,
        public=public,
        photos=photos or [],
        unverified_contact=unverified_contact,
    )
    with transaction.atomic():
        petition = _intake(checked, summary, content)
        filing = _filing_store(petition, checked, photos or [])
        _receipt_send(petition, filing)
    return petition


def tracking_link(code: str) -> str:
    from django.urls import reverse

    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{reverse('registry:track')}?code={code}"


def _queue(
    petition: Petition, kind: str, stored: str, *, key: str, subject: str, text: str
) -> None:
    """Queue a message to a filing's contact; a sealed contact stays sealed in the outbox
    and is opened only by the gateway."""
    code = petition.matter.code
    if kind == ContactKind.EMAIL:
        payload = {"to": stored, "subject": subject, "body": text}
        channel = EMAIL
    else:
        payload = {"to": stored, "text": text}
        channel = SMS
    if stored.startswith(contacts.SEALED_PREFIX):
        payload["petition"] = code
    outbox_put(channel=channel, key=key, payload=payload, order_key=code)


# --- hearing back -------------------------------------------------------------------------------


def status_message(petition: Petition, event: str) -> bool:
    """Queue the one short message of ``event`` to the petition's citizen, if it was filed
    online with a contact: code, new status, unit now responsible, deadline and the tracking
    link; nothing else. Runs in the official's transaction (the outbox row commits with the
    change; the job worker delivers). Returns whether a message was queued."""
    status = HEARD_EVENTS.get(event)
    if status is None:
        return False
    filing = PublicFiling.objects.filter(petition_id=petition.pk).first()
    if filing is None or not filing.contact_verified:
        return False
    matter = Matter.objects.select_related("owner").get(pk=petition.pk)
    with translation.override("vi"):
        label = status_label(status)
        text = _(
            "Petition %(code)s: %(status)s. Unit responsible: %(unit)s. Deadline: %(due)s. "
            "Follow it at %(link)s"
        ) % {
            "code": matter.code,
            "status": label,
            "unit": matter.owner.name,
            "due": f"{matter.due_on:%d/%m/%Y}" if matter.due_on and matter.is_open else "—",
            "link": tracking_link(matter.code),
        }
        subject = _("Petition %(code)s: %(status)s") % {"code": matter.code, "status": label}
    key = f"{matter.code}-{event}-v{matter.version}-{secrets.token_hex(3)}"
    _queue(petition, filing.contact_kind, filing.contact, key=key, subject=subject, text=text)
    return True


def status_label(status: str) -> str:
    extra = {
        "transferred": _("transferred to another unit"),
        "extended": _("deadline extended"),
        "resumed": _("resumed"),
        "reopened": _("reopened"),
    }
    if status in extra:
        return str(extra[status])
    return str(dict(Status.choices).get(status, status))


# --- photos -------------------------------------------------------------------------------------


def _filing_by_pin(code: str, pin: str, address: str, limit: Limit) -> Petition:
    """The petition of ``code`` for the holder of its PIN (the tracking throttle applies:
    wrong PINs count against the address)."""
    from registry.services.tracking import public_status

    count_request(limit, address)
    found = public_status(code=code, pin=pin, address=address)
    return Petition.objects.select_related("matter", "matter__owner").get(matter__code=found.code)


def photo_add(*, code: str, pin: str, upload: Any, address: str) -> Any:
    """Add a photo to a petition filed online, within PHOTO_HOURS of filing, up to
    PHOTOS_MAX. The content is checked and re-encoded without metadata (citizens.photos)."""
    from citizens.photos import photo_store

    petition = _filing_by_pin(code, pin, address, MEDIA_LIMIT)
    filing = PublicFiling.objects.filter(petition=petition).first()
    if filing is None:
        raise Invalid({"code": _("photos can be added only to a petition filed online")})
    if timezone.now() - filing.filed_at > timedelta(hours=PHOTO_HOURS):
        raise Invalid({"file": _("photos can be added only within 24 hours of filing")})
    if filing.photos.count() >= PHOTOS_MAX:
        raise Invalid({"file": _("at most %(n)s photos") % {"n": PHOTOS_MAX}})
    return photo_store(filing, upload)


# --- rating and reopening -----------------------------------------------------------------------


@dataclass
class FeedbackResult:
    feedback: Feedback
    reopened: bool
    next_step: str
    due_on: date | None


def _reopen_rule_due(on: date) -> Any:
    from petitions.rules import resolution_rule

    return resolution_rule(
        kind=Kind.PROPOSAL, instance=1, disciplinary=False, complexity="normal", remote=False, on=on
    )


def _petition_reopen(*, petition: Petition, on: date) -> Petition:
    from matters.services import matter_touch

    matter = petition.matter
    matter_touch(matter)
    rule = _reopen_rule_due(on)
    closed_on = matter.closed_on
    matter.status = Status.ACCEPTED
    matter.is_open = True
    matter.closed_on = None
    matter.rule = rule
    matter.clock_start = on
    matter.extensions = matter.extension_days = matter.suspended_days = 0
    matter.suspended_on = None
    recompute_due(matter)
    matter.save(
        update_fields=[
            "status",
            "is_open",
            "closed_on",
            "rule",
            "clock_start",
            "extensions",
            "extension_days",
            "suspended_days",
            "suspended_on",
            "due_on",
        ]
    )
    petition.resolved_on = None
    petition.save(update_fields=["resolved_on"])
    Reopening.objects.create(
        petition=petition, unit=matter.owner, on=on, closed_on=closed_on, due_on=matter.due_on
    )
    audit_record(
        actor=portal_actor(),
        action="petition.reopen",
        matter=matter.code,
        unit=matter.owner.code,
        data={"closed_on": closed_on, "rule": rule.ref, "due_on": matter.due_on},
    )
    return petition


def petition_reopen(*, petition: Petition, on: date) -> Petition:
    """Reopen a resolved proposal (as ``petition_change`` does for the desk's services: the
    national record, as a new acceptance, and the citizen's message in the same
    transaction)."""
    from national.services import national_record

    with transaction.atomic():
        _petition_reopen(petition=petition, on=on)
        national_record(petition=petition, event="accept")
        status_message(petition, "reopen")
    return petition


def second_complaint_step(petition: Petition) -> tuple[str, date | None]:
    """How and by when to file a second complaint (rule K5 counted from the closing)."""
    from calendars.selectors import get_calendar

    matter = petition.matter
    start = matter.closed_on or today()
    variant = "remote" if petition.remote else "normal"
    rule = rule_in_force("petitions.K5", start, variant)
    due = get_calendar().deadline(start, rule.length, rule.unit).due_on
    parent = matter.owner.parent
    superior = parent.name if parent is not None else _("the superior authority")
    text = _(
        "If you disagree with the decision on your complaint, you may file a second complaint "
        "with %(superior)s by %(due)s (%(days)s days, %(source)s), with a copy of the first "
        "decision and your evidence."
    ) % {
        "superior": superior,
        "due": f"{due:%d/%m/%Y}",
        "days": rule.length,
        "source": rule.source,
    }
    return text, due


def feedback_give(
    *, code: str, pin: str, rating: Any, comment: str = "", reopen: bool = False, address: str
) -> FeedbackResult:
    """Rate a closed petition (once). ``reopen`` on a proposal closed REOPEN_DAYS days ago
    at most reopens it with its owner and a new clock; on a complaint the answer says how
    to file the second complaint and by when."""
    petition = _filing_by_pin(code, pin, address, FEEDBACK_LIMIT)
    errors: dict[str, str] = {}
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = _("a whole number from 1 to 5")
    comment = nfc(comment or "").strip()
    if len(comment) > 2000:
        errors["comment"] = _("at most %(n)s characters") % {"n": 2000}
    if errors:
        raise Invalid(errors)
    matter = petition.matter
    if matter.is_open or matter.status in OPEN_STATUSES:
        raise Conflict(_("the petition can be rated only once it is closed"))
    if Feedback.objects.filter(petition=petition).exists():
        raise Conflict(_("this petition has already been rated"))
    day = today()
    reopened = False
    next_step = ""
    due: date | None = None
    if reopen and petition.kind == Kind.PROPOSAL:
        if matter.closed_on and (day - matter.closed_on).days > REOPEN_DAYS:
            raise Invalid(
                {
                    "reopen": _("a proposal can be reopened only within %(n)s days of closing")
                    % {"n": REOPEN_DAYS}
                }
            )
        if matter.status != Status.RESOLVED:
            raise Invalid({"reopen": _("only a resolved proposal can be reopened")})
    with transaction.atomic():
        feedback = Feedback.objects.create(
            petition=petition,
            unit=matter.owner,
            rating=rating,
            comment=comment,
            reopen=bool(reopen),
        )
        if reopen and petition.kind == Kind.PROPOSAL:
            petition_reopen(petition=petition, on=day)
            reopened = True
            due = petition.matter.due_on
        elif reopen and petition.kind == Kind.COMPLAINT:
            next_step, due = second_complaint_step(petition)
    return FeedbackResult(feedback, reopened, next_step, due)


# --- personal data ------------------------------------------------------------------------------


def data_request_make(*, code: str, pin: str, address: str) -> DataRequest:
    """A request to know what is held about the citizen who filed ``code``: a tracked item
    of its owner unit with the clock of the rule ``citizens.DSR`` in force today."""
    from calendars.selectors import get_calendar
    from matters.services import sequence_next

    petition = _filing_by_pin(code, pin, address, DATA_LIMIT)
    day = today()
    rule = rule_in_force("citizens.DSR", day)
    due = get_calendar().deadline(day, rule.length, rule.unit).due_on
    matter = petition.matter
    with transaction.atomic():
        province = matter.province or "00"
        number = sequence_next(f"citizens:datareq:{province}", day.year)
        request = DataRequest.objects.create(
            code=f"YC{day.year}-{province}-{number:06d}",
            petition=petition,
            unit=matter.owner,
            rule=rule,
            received_on=day,
            due_on=due,
        )
        audit_record(
            actor=portal_actor(),
            action="citizens.data_request",
            matter=matter.code,
            unit=matter.owner.code,
            data={"request": request.code, "due_on": due},
        )
    return request


def data_request_answer(*, actor: Any, request_code: str) -> DataRequest:
    """The owner unit records that it has answered a personal data request (its officials
    who act on matters; NotFound for anybody else, as for an unknown code); audited."""
    from citizens.selectors import data_request_for_user

    request = data_request_for_user(actor, request_code)
    day = today()
    with transaction.atomic():
        # Only an open request changes: of two officials answering at once, one does.
        changed = DataRequest.objects.filter(pk=request.pk, status=DataRequest.Status.OPEN).update(
            status=DataRequest.Status.ANSWERED, answered_on=day
        )
        if not changed:
            raise Conflict(_("already answered"))
        request.status, request.answered_on = DataRequest.Status.ANSWERED, day
        audit_record(
            actor=actor,
            action="citizens.data_request_answer",
            matter=request.petition.matter.code,
            unit=request.unit.code,
            data={"request": request.code, "due_on": request.due_on},
        )
    return request


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
