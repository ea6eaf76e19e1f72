"""Every write of press statements and the spokesperson register (Decree 244/2026, Decree
237/2026; LAW-REVIEWS-PRESS.md B).

Services are atomic, check who acts, record their audit event in the same transaction and
raise ``common.errors``: NotFound 404, Forbidden 403, Conflict 409, Invalid 422 (every bad
field at once). A refused call changes nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.clock import now as clock_now
from common.errors import Conflict, Forbidden, Invalid, NotFound
from common.text import fold
from common.text import text_field as _text
from matters.models import Category, Matter
from matters.records import audit_matter, save_changes
from matters.rules import recompute_due
from matters.selectors import require_can_act
from matters.services import matter_close, matter_new, matter_touch
from statements import rules
from statements.models import Duty, Form, Spokesperson, Statement, Status, Trigger
from units.models import Unit
from units.selectors import units_visible_to

CATEGORY = "press"
PHONE = re.compile(r"^\+?[0-9 .()-]{6,20}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# -- helpers -----------------------------------------------------------------------------------
def _moment(
    errors: dict[str, str],
    name: str,
    value: datetime | None,
    *,
    now: datetime,
    required: bool = True,
    not_before: tuple[str, datetime] | None = None,
) -> None:
    if value is None:
        if required:
            errors[name] = _("required")
        return
    if timezone.is_naive(value):
        errors[name] = _("give the time with its offset, e.g. 2026-07-15T08:30:00+07:00")
    elif value > now + timedelta(minutes=1):
        errors[name] = _("%(time)s is in the future") % {
            "time": f"{timezone.localtime(value):%H:%M %d/%m/%Y}"
        }
    elif not_before and value < not_before[1]:
        errors[name] = _("must not be before %(what)s (%(time)s)") % {
            "what": not_before[0],
            "time": f"{timezone.localtime(not_before[1]):%H:%M %d/%m/%Y}",
        }


def _already_closed(matter: Matter) -> str:
    status = Status(matter.status).label if matter.status in Status.values else matter.status
    return _("%(code)s is already %(status)s") % {"code": matter.code, "status": status}


def unit_for_actor(actor: Any, code: str, field: str = "unit") -> Unit:
    """The unit ``code`` if the actor may act for it: unknown 422, out of sight 404, visible
    but another unit's 403."""
    unit = Unit.objects.filter(code=code, is_active=True).first() if code else None
    if unit is None:
        raise Invalid(
            {field: _("no unit with code %(code)s") % {"code": code} if code else _("required")}
        )
    if not units_visible_to(actor).filter(id=unit.id).exists():
        raise NotFound(_("No unit with code %(code)s") % {"code": code})
    if not (actor.is_active and actor.unit_id == unit.id and actor.can_act):
        raise Forbidden(_("only officials of %(code)s act for it") % {"code": code})
    return unit


def unit_area(unit: Unit) -> Any:
    """The area of the unit or of the nearest unit above it that governs one."""
    node: Unit | None = unit
    while node is not None:
        if node.area_id:
            return node.area
        node = node.parent
    return None


def _set_clock(statement: Statement, matter: Matter) -> None:
    """Due date and time of a statement from its rule (hours, days) or its period."""
    rule = statement.rule
    if statement.trigger == Trigger.PERIODIC:
        matter.rule = None
        return
    if rule is None:
        matter.rule, matter.due_on, matter.due_at = None, None, None
        statement.due_at = None
        return
    if rules.is_hours(rule):
        clock = rules.hours_clock(statement.triggered_at, rule.length)
        matter.rule = rule
        matter.clock_start = timezone.localdate(statement.triggered_at)
        matter.due_at = statement.due_at = clock.due_at
        matter.due_on = clock.due_on
        return
    matter.rule = rule
    matter.clock_start = timezone.localdate(statement.triggered_at)
    matter.due_at = statement.due_at = None
    recompute_due(matter)


def _create(
    *,
    actor: Any,
    unit: Unit,
    triggered_at: datetime,
    subject: str,
    rule: Any,
    due_on: date | None = None,
    **fields: Any,
) -> Statement:
    """A new statement of ``unit`` with its matter; ``fields`` are the statement's other
    columns (trigger, duty, period, press agency...)."""
    area = unit_area(unit)
    if area is None:
        raise Invalid(
            {
                "unit": _("%(unit)s governs no area and has no unit above that does")
                % {"unit": unit.code}
            }
        )
    matter = matter_new(
        kind=Matter.Kind.STATEMENT,
        title=subject[:300],
        area=area,
        category=Category.objects.get(code=CATEGORY),
        owner=unit,
        opened_on=timezone.localdate(triggered_at),
        status=Status.OPEN,
        handler=actor if getattr(actor, "pk", None) else None,
    )
    statement = Statement(
        matter=matter, triggered_at=triggered_at, subject=subject, rule=rule, **fields
    )
    _set_clock(statement, matter)
    if due_on is not None:
        matter.due_on = due_on
    matter.save(update_fields=["rule", "clock_start", "due_on", "due_at"])
    statement.save()
    return statement


def _period_fields(period: tuple[date, date] | None) -> dict[str, Any]:
    return {
        "period_start": period[0] if period else None,
        "period_end": period[1] if period else None,
    }


# -- statements --------------------------------------------------------------------------------
@transaction.atomic
def statement_open(
    *,
    actor: Any,
    unit: str,
    trigger: str,
    triggered_at: datetime | None,
    subject: str,
    press_agency: str = "",
    question: str = "",
    petition: str = "",
    parent: str = "",
    duty: str = "",
) -> Statement:
    """Record a duty to inform the press, due by the rule in force when it arose."""
    unit_obj = unit_for_actor(actor, unit)
    errors: dict[str, str] = {}
    if trigger not in Trigger.values:
        errors["trigger"] = _("must be one of %(values)s") % {"values": ", ".join(Trigger.values)}
    _moment(errors, "triggered_at", triggered_at, now=clock_now())
    fields: dict[str, Any] = {
        "subject": _text(errors, "subject", subject, required=True, limit=2000),
        "press_agency": _text(errors, "press_agency", press_agency, required=False, limit=200),
        "question": _text(errors, "question", question, required=False, limit=4000),
    }
    fields["parent"], petition = _check_parent_and_petition(errors, unit_obj, parent, petition)
    _check_duty(errors, trigger, duty)
    if errors:
        raise Invalid(errors)
    assert triggered_at is not None
    fields.update(_statement_timing(unit_obj, trigger, duty, triggered_at))
    fields.update(trigger=trigger, petition_code=petition)
    statement = _create(actor=actor, unit=unit_obj, triggered_at=triggered_at, **fields)
    _audit_opened(actor, statement, petition)
    return statement


def _check_parent_and_petition(
    errors: dict[str, str], unit: Unit, parent: str, petition: str
) -> tuple[Statement | None, str]:
    """The statement ``parent`` of ``unit`` followed up, and the petition named (the
    parent's when none is given); errors name what does not exist."""
    petition = (petition or "").strip()
    parent_obj = None
    if parent:
        parent_obj = (
            Statement.objects.select_related("matter")
            .filter(matter__code=parent, matter__owner=unit)
            .first()
        )
        if parent_obj is None:
            errors["parent"] = _("no statement %(code)s of %(unit)s") % {
                "code": parent,
                "unit": unit.code,
            }
        elif not petition:
            petition = parent_obj.petition_code
    if petition and not Matter.objects.filter(code=petition, kind=Matter.Kind.PETITION).exists():
        errors["petition"] = _("no petition with code %(code)s") % {"code": petition}
    return parent_obj, petition


def _check_duty(errors: dict[str, str], trigger: str, duty: str) -> None:
    """A periodic statement names a known duty; any other has none."""
    if trigger == Trigger.PERIODIC:
        if duty not in Duty.values:
            errors["duty"] = _("a periodic statement names its duty: %(values)s") % {
                "values": ", ".join(Duty.values)
            }
    elif duty:
        errors["duty"] = _("only a periodic statement has a duty")


def _statement_timing(
    unit: Unit, trigger: str, duty: str, triggered_at: datetime
) -> dict[str, Any]:
    """The rule in force when the duty arose (``rule``), and for a periodic duty its period,
    due day and unique key (Conflict if the unit already has that duty for the period)."""
    day = timezone.localdate(triggered_at)
    if trigger != Trigger.PERIODIC:
        rule = rules.rule_or_none(rules.TRIGGER_KEYS[Trigger(trigger)], day)
        return {"rule": rule, "duty": duty, "duty_key": None, **_period_fields(None)}
    rule = rules.rule_or_none(rules.PERIODIC_KEY, day, duty)
    period, due_on = _period(unit, duty, day, rule)
    duty_key = f"{unit.code}:{duty}:{period[0].isoformat()}"
    if Statement.objects.filter(duty_key=duty_key).exists() or _conference_open(unit, duty):
        raise Conflict(_("%(unit)s already has this duty for the period") % {"unit": unit.code})
    timing = {"rule": rule, "due_on": due_on, "duty": duty, "duty_key": duty_key}
    return {**timing, **_period_fields(period)}


def _conference_open(unit: Unit, duty: str) -> bool:
    """The unit's periodic press conference is still due (only one is open at a time)."""
    return (
        duty == Duty.PRESS_CONFERENCE
        and Statement.objects.filter(matter__owner=unit, duty=duty, matter__is_open=True).exists()
    )


def _audit_opened(actor: Any, statement: Statement, petition: str) -> None:
    rule = statement.rule
    audit_matter(
        actor,
        statement.matter,
        "statement.open",
        {
            "trigger": statement.trigger,
            "triggered_at": statement.triggered_at.isoformat(),
            "due_at": statement.due_at,
            "due_on": statement.matter.due_on,
            "rule": f"{rule.key}/{rule.variant}" if rule else None,
            "petition": petition,
        },
    )


def _period(unit: Unit, duty: str, day: date, rule: Any) -> tuple[tuple[date, date], date]:
    """The period a periodic duty covers and its due day: the calendar month for monthly
    information; for the press conference, ``rule.length`` months after the last one the unit
    gave (or after the start of the quarter if none is recorded)."""
    months = rule.length if rule is not None else (1 if duty == Duty.MONTHLY else 3)
    if duty == Duty.MONTHLY:
        first, last = rules.month_bounds(day)
        if months != 1:
            last = rules.add_months(first, months) - timedelta(days=1)
        return (first, last), last
    latest = Statement.objects.filter(
        matter__owner=unit, form=Form.PRESS_CONFERENCE, delivered_at__isnull=False
    ).aggregate(at=Max("delivered_at"))["at"]
    if latest is not None:
        start = timezone.localdate(latest)
    else:
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    due = rules.add_months(start, months)
    return (start, due), due


def _match_speaker(unit: Unit, speaker: str, on: date) -> Spokesperson | None:
    """The register entry of ``speaker`` that may speak for ``unit`` on ``on``."""
    key = fold(speaker)
    for person in Spokesperson.objects.filter(unit=unit):
        if fold(person.full_name) != key:
            continue
        if person.ended_on is not None and person.ended_on <= on:
            continue
        if person.role == Spokesperson.Role.AUTHORISED and not (
            person.valid_from and person.valid_to and person.valid_from <= on <= person.valid_to
        ):
            continue
        return person
    return None


@transaction.atomic
def statement_deliver(
    *,
    actor: Any,
    statement: Statement,
    delivered_at: datetime | None,
    form: str,
    text: str,
    speaker: str,
    correction_published: bool | None = None,
    version: int | None = None,
) -> Statement:
    """The statement was given. A speaker not in the register (nor the unit's head) is kept
    but flagged: only spokespersons state the official position (Decree 244/2026 Art 3(7))."""
    matter = statement.matter
    require_can_act(actor, matter)
    if not matter.is_open:
        raise Conflict(_already_closed(matter))
    now = clock_now()
    errors: dict[str, str] = {}
    if form not in Form.values:
        errors["form"] = _("must be one of %(values)s") % {"values": ", ".join(Form.values)}
    elif statement.duty == Duty.PRESS_CONFERENCE and form != Form.PRESS_CONFERENCE:
        errors["form"] = _("the periodic press conference is given as a press conference")
    _moment(
        errors,
        "delivered_at",
        delivered_at,
        now=now,
        not_before=(_("the time it arose"), statement.triggered_at),
    )
    text = _text(errors, "text", text, required=True, limit=20000)
    speaker = _text(errors, "speaker", speaker, required=True, limit=150)
    if correction_published is not None and statement.trigger != Trigger.FALSE_INFORMATION:
        errors["correction_published"] = _("only for a reply to false information")
    if errors:
        raise Invalid(errors)
    assert delivered_at is not None
    matter_touch(matter, version)
    on = timezone.localdate(delivered_at)
    person = _match_speaker(matter.owner, speaker, on)
    head = matter.owner.head
    registered = person is not None or bool(head and fold(head.full_name or "") == fold(speaker))
    changes = {"delivered_at": delivered_at, "form": form, "text": text, "speaker": speaker}
    changes.update(spokesperson=person, speaker_registered=registered)
    save_changes(statement, correction_published=correction_published, **changes)
    matter_close(matter, status=Status.DELIVERED, closed_on=on)
    data: dict[str, Any] = {"delivered_at": delivered_at.isoformat(), "form": form}
    data.update(speaker=speaker, registered=registered, on_time=on_time(statement))
    audit_matter(actor, matter, "statement.deliver", data)
    if form == Form.PRESS_CONFERENCE and statement.duty != Duty.PRESS_CONFERENCE:
        _conference_held(actor, statement)
    return statement


def _conference_held(actor: Any, held: Statement) -> None:
    """A press conference held on any occasion fulfils the unit's open periodic one."""
    duty = (
        Statement.objects.select_related("matter__owner")
        .filter(
            matter__owner=held.matter.owner,
            duty=Duty.PRESS_CONFERENCE,
            matter__is_open=True,
            triggered_at__lte=held.delivered_at,
        )
        .first()
    )
    if duty is None:
        return
    matter = duty.matter
    matter_touch(matter)
    # The duty was given as the conference was: the same time, words and speaker.
    same = ("delivered_at", "text", "speaker", "spokesperson", "speaker_registered")
    changes = {name: getattr(held, name) for name in same}
    save_changes(duty, form=Form.PRESS_CONFERENCE, parent=held, **changes)
    assert held.delivered_at is not None
    matter_close(
        matter,
        status=Status.DELIVERED,
        closed_on=timezone.localdate(held.delivered_at),
        outcome=held.matter.code,
    )
    audit_matter(actor, matter, "statement.deliver", {"by": held.matter.code})


@transaction.atomic
def statement_refuse(
    *,
    actor: Any,
    statement: Statement,
    ground: str,
    reason: str,
    refused_at: datetime | None = None,
    version: int | None = None,
) -> Statement:
    """Refuse to inform the press, only on a legal ground in force when the duty arose, with
    the reasons stated to the press agency (Decree 244/2026 Art 4(3))."""
    matter = statement.matter
    require_can_act(actor, matter)
    if not matter.is_open:
        raise Conflict(_already_closed(matter))
    now = clock_now()
    refused_at = refused_at or now
    errors: dict[str, str] = {}
    in_force = rules.grounds_in_force(timezone.localdate(statement.triggered_at))
    if statement.trigger == Trigger.PERIODIC:
        errors["ground"] = _("a periodic duty cannot be refused")
    elif ground not in in_force:
        errors["ground"] = _(
            "not a legal ground to refuse information to the press; the grounds are %(values)s"
        ) % {"values": ", ".join(in_force)}
    reason = _text(errors, "reason", reason, required=True, limit=4000)
    if errors.get("reason") == _("required"):
        errors["reason"] = _("required: the reasons are stated to the press agency")
    _moment(
        errors,
        "refused_at",
        refused_at,
        now=now,
        not_before=(_("the time it arose"), statement.triggered_at),
    )
    if errors:
        raise Invalid(errors)
    matter_touch(matter, version)
    statement.refused_at = refused_at
    statement.ground = ground
    statement.refusal_reason = reason
    statement.save(update_fields=["refused_at", "ground", "refusal_reason"])
    matter_close(
        matter, status=Status.REFUSED, closed_on=timezone.localdate(refused_at), outcome=reason
    )
    audit_matter(
        actor, matter, "statement.refuse", {"ground": ground, "source": in_force[ground].source}
    )
    return statement


def on_time(statement: Statement) -> bool | None:
    """Given or refused by its deadline: to the minute for an hour clock, to the day for a
    day clock; None without a deadline or while open."""
    done = statement.delivered_at or statement.refused_at
    if done is None:
        return None
    if statement.due_at is not None:
        return done <= statement.due_at
    due_on = statement.matter.due_on
    if due_on is None:
        return None
    return timezone.localdate(done) <= due_on


# -- periodic duties ---------------------------------------------------------------------------
def periodic_units() -> list[Unit]:
    """Units with periodic duties: provincial People's Committees (Decree 244/2026 Art 6(2))."""
    return list(
        Unit.objects.filter(
            kind=Unit.Kind.PEOPLES_COMMITTEE, is_active=True, area__kind="province"
        ).order_by("code")
    )


def periodic_duties_ensure(as_of: date | None = None) -> int:
    """The daily job: make sure each provincial People's Committee has its monthly
    information for the month of ``as_of`` and its next press conference as due items.
    Idempotent (one duty per unit and period, guarded by a unique key). Returns how many it
    created."""
    day = as_of or timezone.localdate(clock_now())
    created = 0
    for unit in periodic_units():
        for duty in (Duty.MONTHLY, Duty.PRESS_CONFERENCE):
            rule = rules.rule_or_none(rules.PERIODIC_KEY, day, duty)
            if rule is None:
                continue
            if _conference_open(unit, duty):
                continue
            period, due_on = _period(unit, duty, day, rule)
            key = f"{unit.code}:{duty}:{period[0].isoformat()}"
            if Statement.objects.filter(duty_key=key).exists():
                continue
            label = capfirst(str(Duty(duty).label))
            subject = f"{label} — {period[0]:%m/%Y}" if duty == Duty.MONTHLY else label
            try:
                with transaction.atomic():
                    start = timezone.make_aware(datetime.combine(period[0], datetime.min.time()))
                    statement = _create(
                        actor=None,
                        unit=unit,
                        trigger=Trigger.PERIODIC,
                        triggered_at=start,
                        subject=str(subject),
                        rule=rule,
                        duty=duty,
                        due_on=due_on,
                        duty_key=key,
                        **_period_fields(period),
                    )
                    data = {"duty": duty, "period": [period[0], period[1]], "due_on": due_on}
                    audit_matter("system", statement.matter, "statement.periodic", data)
                created += 1
            except IntegrityError:
                continue  # another run created it meanwhile
    return created


# -- the spokesperson register -----------------------------------------------------------------
@transaction.atomic
def spokesperson_register(
    *,
    actor: Any,
    unit: str,
    role: str,
    full_name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    decision_no: str = "",
    decided_at: datetime | None = None,
    scope: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Spokesperson:
    """Enter a spokesperson: the head, a regular spokesperson assigned by decision, or a
    person authorised in writing for a specific matter and a limited time (Decree 244/2026
    Art 3(2), 3(5)). A regular spokesperson's contacts must be posted within 24 hours."""
    unit_obj = unit_for_actor(actor, unit)
    errors: dict[str, str] = {}
    if role not in Spokesperson.Role.values:
        errors["role"] = _("must be one of %(values)s") % {
            "values": ", ".join(Spokesperson.Role.values)
        }
    fields = {
        **_check_contacts(errors, role, full_name, title, phone, email),
        **_check_mandate(errors, role, decision_no, decided_at, scope),
        **_check_validity(errors, role, valid_from, valid_to),
    }
    if errors:
        raise Invalid(errors)
    if (
        role == Spokesperson.Role.HEAD
        and Spokesperson.objects.filter(unit=unit_obj, role=role, ended_on__isnull=True).exists()
    ):
        raise Conflict(
            _("%(unit)s already has its head in the register; end that entry first")
            % {"unit": unit_obj.code}
        )
    fields["posting_rule"], fields["posting_due_at"] = _posting_due(role, decided_at)
    person = Spokesperson.objects.create(unit=unit_obj, role=role, created_by=actor, **fields)
    audit_record(
        actor=actor,
        action="spokesperson.register",
        unit=unit_obj.code,
        data={"id": person.pk, "role": role, "decision_no": person.decision_no},
    )
    return person


def _check_contacts(
    errors: dict[str, str], role: str, full_name: str, title: str, phone: str, email: str
) -> dict[str, str]:
    """Name, title (all but the head give one), phone and e-mail as stored."""
    cleaned = {
        "full_name": _text(errors, "full_name", full_name, required=True, limit=150),
        "title": _text(errors, "title", title, required=role != Spokesperson.Role.HEAD, limit=200),
        "phone": _text(errors, "phone", phone, required=False, limit=30),
    }
    if cleaned["phone"] and not PHONE.match(cleaned["phone"]):
        errors["phone"] = _("digits, spaces and + . ( ) - only")
    cleaned["email"] = _text(errors, "email", email, required=False, limit=254)
    if cleaned["email"] and not EMAIL.match(cleaned["email"]):
        errors["email"] = _("not an e-mail address")
    return cleaned


def _check_mandate(
    errors: dict[str, str], role: str, decision_no: str, decided_at: datetime | None, scope: str
) -> dict[str, Any]:
    """The written decision (for a regular or authorised spokesperson) and the scope of an
    authorisation, as stored."""
    written = role in (Spokesperson.Role.REGULAR, Spokesperson.Role.AUTHORISED)
    decision_no = _text(errors, "decision_no", decision_no, required=written, limit=60)
    if errors.get("decision_no") == _("required"):
        errors["decision_no"] = _("required: the assignment or authorisation is in writing")
    _moment(errors, "decided_at", decided_at, now=clock_now(), required=written)
    scope = _text(errors, "scope", scope, required=role == Spokesperson.Role.AUTHORISED, limit=2000)
    return {"decision_no": decision_no, "decided_at": decided_at, "scope": scope}


def _check_validity(
    errors: dict[str, str], role: str, valid_from: date | None, valid_to: date | None
) -> dict[str, date | None]:
    """An authorisation has both dates; any given range runs forwards."""
    if role == Spokesperson.Role.AUTHORISED:
        if valid_from is None:
            errors["valid_from"] = _("required: an authorisation has a limited time")
        if valid_to is None:
            errors["valid_to"] = _("required: an authorisation has a limited time")
    if valid_to is not None and valid_from is not None and valid_to < valid_from:
        errors["valid_to"] = _("must not be before valid_from")
    return {"valid_from": valid_from, "valid_to": valid_to}


def _posting_due(role: str, decided_at: datetime | None) -> tuple[Any, datetime | None]:
    """The rule and the time by which the contacts of a spokesperson decided at
    ``decided_at`` must be posted (none for the head)."""
    if decided_at is None or role == Spokesperson.Role.HEAD:
        return None, None
    rule = rules.rule_or_none(rules.POSTING_KEY, timezone.localdate(decided_at), role)
    if rule is None:
        return None, None
    return rule, rules.hours_clock(decided_at, rule.length).due_at


def _person_for_actor(actor: Any, person: Spokesperson, done: str | None) -> None:
    """The actor keeps the register of the entry's unit (404 out of sight, 403 otherwise),
    and the step is not ``done`` already (409 saying when)."""
    if not units_visible_to(actor).filter(id=person.unit_id).exists():
        raise NotFound(_("No spokesperson %(id)s") % {"id": person.pk})
    if not (actor.unit_id == person.unit_id and actor.can_act):
        raise Forbidden(_("only officials of the unit keep its register"))
    if done is not None:
        raise Conflict(done)


def _person_save(
    actor: Any, person: Spokesperson, action: str, data: dict[str, Any], **changes: Any
) -> Spokesperson:
    """Store ``changes`` on a register entry and record ``action`` with ``data``."""
    save_changes(person, **changes)
    audit_record(actor=actor, action=action, unit=person.unit.code, data={"id": person.pk, **data})
    return person


@transaction.atomic
def spokesperson_publish(
    *, actor: Any, person: Spokesperson, posted_at: datetime | None
) -> Spokesperson:
    """The contacts were posted on the unit's portal (and so on the public list here)."""
    posted = person.posted_at
    _person_for_actor(
        actor,
        person,
        _("posted at %(time)s") % {"time": f"{timezone.localtime(posted):%H:%M %d/%m/%Y}"}
        if posted
        else None,
    )
    now = clock_now()
    errors: dict[str, str] = {}
    posted_at = posted_at or now
    decision = (_("the decision"), person.decided_at) if person.decided_at is not None else None
    _moment(errors, "posted_at", posted_at, now=now, not_before=decision)
    if errors:
        raise Invalid(errors)
    late = person.posting_due_at is not None and posted_at > person.posting_due_at
    data = {"posted_at": posted_at.isoformat(), "late": late}
    return _person_save(actor, person, "spokesperson.publish", data, posted_at=posted_at)


@transaction.atomic
def spokesperson_end(
    *, actor: Any, person: Spokesperson, ended_on: date, reason: str = ""
) -> Spokesperson:
    ended = person.ended_on
    _person_for_actor(
        actor, person, _("ended on %(date)s") % {"date": f"{ended:%d/%m/%Y}"} if ended else None
    )
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, required=False, limit=300)
    if ended_on > timezone.localdate(clock_now()) + timedelta(days=366):
        errors["ended_on"] = _("too far ahead")
    if errors:
        raise Invalid(errors)
    data = {"ended_on": ended_on}
    return _person_save(
        actor, person, "spokesperson.end", data, ended_on=ended_on, end_reason=reason
    )
