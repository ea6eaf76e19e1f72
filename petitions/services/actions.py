"""What the owner unit does with a petition after intake: transfer, accept, extend, suspend,
resume, resolve, and the closing decisions (refuse, guide, file away, withdraw,
discontinue).

Each action is atomic, checks the stage and every field first (Invalid, nothing changed),
claims the matter's version (Conflict when someone acted meanwhile) and writes its audit
event in the same transaction. Access (404/403) is decided before, by the selectors.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from common.clock import today
from common.errors import Invalid
from common.text import nfc
from matters.models import Handoff, Matter
from matters.rules import recompute_due
from matters.services import matter_close, matter_handoff, matter_touch
from petitions.models import (
    Complexity,
    Extension,
    IntakeDecision,
    Kind,
    Petition,
    RefusalGround,
    Status,
    Suspension,
)
from petitions.rules import processing_rule, resolution_rule
from petitions.services.changes import petition_change
from petitions.services.notices import notify_arrival, notify_escalation

ACTION_NAMES = {
    "transfer": gettext_lazy("transfer"),
    "accept": gettext_lazy("accept"),
    "extend": gettext_lazy("extend"),
    "suspend": gettext_lazy("suspend"),
    "resume": gettext_lazy("resume"),
    "resolve": gettext_lazy("resolve"),
    "refuse": gettext_lazy("refuse"),
    "guide": gettext_lazy("guide"),
    "file away": gettext_lazy("file away"),
    "withdraw": gettext_lazy("withdraw"),
    "discontinue": gettext_lazy("discontinue"),
}
COMPLEXITY_ORDER = [Complexity.NORMAL, Complexity.COMPLEX, Complexity.ESPECIALLY_COMPLEX]


def _stage(petition: Petition, allowed: Iterable[str], action: str) -> None:
    status = petition.matter.status
    if status not in allowed:
        label = Status(status).label if status in Status.values else status
        raise Invalid(
            {
                "status": _("%(action)s is not possible: %(code)s is %(stage)s")
                % {
                    "action": ACTION_NAMES.get(action, action),
                    "code": petition.matter.code,
                    "stage": label,
                }
            }
        )


def _day(
    errors: dict[str, str],
    field: str,
    value: date | None,
    *,
    not_before: date | None,
    before_what: str = "",
) -> None:
    """Check a date of an action: given, not in the future, not before ``not_before``."""
    if value is None:
        errors[field] = _("required")
    elif value > today():
        errors[field] = _("%(day)s is in the future") % {"day": f"{value:%d/%m/%Y}"}
    elif not_before is not None and value < not_before:
        errors[field] = _("%(day)s is before %(what)s (%(limit)s)") % {
            "day": f"{value:%d/%m/%Y}",
            "what": before_what,
            "limit": f"{not_before:%d/%m/%Y}",
        }


def _text(
    errors: dict[str, str],
    field: str,
    value: str | None,
    *,
    required: bool = True,
    limit: int = 5000,
) -> str:
    value = nfc(value or "")
    if required and not value:
        errors[field] = _("required")
    elif len(value) > limit:
        errors[field] = _("at most %(n)s characters") % {"n": limit}
    return value


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise Invalid(errors)


def _audit(actor: Any, petition: Petition, action: str, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=f"petition.{action}",
        matter=petition.matter.code,
        unit=petition.matter.owner.code,
        data=data,
    )


@petition_change
def petition_transfer(
    *,
    actor: Any,
    petition: Petition,
    to: str,
    reason: str,
    legal_basis: str,
    version: int | None = None,
) -> Handoff:
    """Hand a petition being processed to the competent unit (LTC Art. 24(2), LTCD Art.
    26(2)). A transfer back to a unit that held it is a bounce; at the bounce limit it
    becomes an escalation to the lowest common superior, whose head is told. The receiving
    unit's processing clock starts on the day of the transfer."""
    _stage(petition, [Status.RECEIVED], "transfer")
    matter = petition.matter
    matter_touch(matter, version)
    result = matter_handoff(
        actor=actor, matter=matter, to=to, reason=reason, legal_basis=legal_basis
    )
    day = max(today(), petition.received_on)
    rule = processing_rule(
        kind=petition.kind,
        channel=petition.channel,
        instance=petition.instance,
        disciplinary=petition.disciplinary,
        on=petition.received_on,
    )
    matter.rule = rule
    matter.clock_start = day
    recompute_due(matter)
    matter.save(update_fields=["rule", "clock_start", "due_on"])
    petition.intake_decision = IntakeDecision.TRANSFER
    petition.intake_grounds = nfc(reason)
    petition.processing_due_on = matter.due_on
    petition.save(update_fields=["intake_decision", "intake_grounds", "processing_due_on"])
    if result.escalated:
        notify_escalation(petition, result.handoff.to_unit)
    else:
        notify_arrival(petition, actor=actor)
    return result.handoff


@petition_change
def petition_accept(
    *,
    actor: Any,
    petition: Petition,
    accepted_on: date | None,
    complexity: str = "normal",
    remote: bool = False,
    version: int | None = None,
) -> Petition:
    """Accept (thụ lý): the resolution clock of the rule in force on ``accepted_on`` starts,
    chosen by kind, instance, complexity and remote area."""
    _stage(petition, [Status.RECEIVED], "accept")
    errors: dict[str, str] = {}
    _day(
        errors,
        "accepted_on",
        accepted_on,
        not_before=petition.received_on,
        before_what=_("the day it was received"),
    )
    if complexity not in Complexity.values:
        errors["complexity"] = _("must be one of %(values)s") % {
            "values": ", ".join(Complexity.values)
        }
    _raise(errors)
    assert accepted_on is not None
    try:
        rule = resolution_rule(
            kind=petition.kind,
            instance=petition.instance,
            disciplinary=petition.disciplinary,
            complexity=complexity,
            remote=remote,
            on=accepted_on,
        )
    except Invalid as exc:
        raise Invalid({"accepted_on": exc.errors.get("rule", exc.message)})
    matter = petition.matter
    matter_touch(matter, version)
    matter.status = Status.ACCEPTED
    matter.rule = rule
    matter.clock_start = accepted_on
    matter.extensions = matter.extension_days = matter.suspended_days = 0
    matter.suspended_on = None
    if matter.handler_id is None:
        matter.handler = actor
    recompute_due(matter)
    matter.save(
        update_fields=[
            "status",
            "rule",
            "clock_start",
            "extensions",
            "extension_days",
            "suspended_days",
            "suspended_on",
            "handler",
            "due_on",
        ]
    )
    petition.accepted_on = accepted_on
    petition.complexity = complexity
    petition.remote = bool(remote)
    petition.intake_decision = IntakeDecision.ACCEPT
    petition.save(update_fields=["accepted_on", "complexity", "remote", "intake_decision"])
    late = bool(petition.processing_due_on and accepted_on > petition.processing_due_on)
    _audit(
        actor,
        petition,
        "accept",
        accepted_on=accepted_on,
        rule=rule.ref,
        variant=rule.variant,
        due_on=matter.due_on,
        processing_late=late,
    )
    return petition


@petition_change
def petition_extend(
    *,
    actor: Any,
    petition: Petition,
    reason: str,
    decision_no: str,
    complexity: str,
    version: int | None = None,
) -> Petition:
    """One extension of the resolution deadline as the rule allows: a complaint found complex
    runs to the complex length (LKN Art. 28, 37); a denunciation gets one extension of 30
    days if complex, two if especially complex (LTC Art. 30). Beyond that, Invalid."""
    _stage(petition, [Status.ACCEPTED, Status.SUSPENDED], "extend")
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason)
    decision_no = _text(errors, "decision_no", decision_no, limit=60)
    if complexity not in Complexity.values:
        errors["complexity"] = _("must be one of %(values)s") % {
            "values": ", ".join(Complexity.values)
        }
    _raise(errors)
    matter = petition.matter
    current = matter.rule
    assert current is not None and matter.clock_start is not None
    level = max(
        COMPLEXITY_ORDER.index(Complexity(complexity)),
        COMPLEXITY_ORDER.index(Complexity(petition.complexity)),
    )
    new_complexity = COMPLEXITY_ORDER[level]
    if petition.kind == Kind.COMPLAINT and complexity == Complexity.NORMAL:
        raise Invalid(
            {
                "complexity": _(
                    "a complaint's deadline is extended only when the case is complex "
                    "(LKN Art. 28, 37)"
                )
            }
        )
    rule = _extension_rule(petition, new_complexity)
    matter_touch(matter, version)
    matter.rule = rule
    matter.extensions += 1
    matter.extension_days += rule.extension_length
    recompute_due(matter)
    matter.save(update_fields=["rule", "extensions", "extension_days", "due_on"])
    petition.complexity = new_complexity
    petition.save(update_fields=["complexity"])
    Extension.objects.create(
        petition=petition,
        on=today(),
        days=rule.extension_length,
        decision_no=decision_no,
        reason=reason,
        complexity=new_complexity,
        by=actor,
    )
    _audit(
        actor,
        petition,
        "extend",
        decision_no=decision_no,
        days=rule.extension_length,
        due_on=matter.due_on,
        rule=rule.ref,
        variant=rule.variant,
    )
    return petition


def _extension_rule(petition: Petition, new_complexity: str) -> Any:
    """The rule the extended deadline runs under: the petition's own, or the row of the same
    base length that allows more extensions (a denunciation found complex). Invalid when it
    allows no (more) extension."""
    matter = petition.matter
    current = matter.rule
    assert current is not None and matter.clock_start is not None
    rule = current
    candidate = resolution_rule(
        kind=petition.kind,
        instance=petition.instance,
        disciplinary=petition.disciplinary,
        complexity=new_complexity,
        remote=petition.remote,
        on=matter.clock_start,
    )
    # Same base length, more extensions allowed (a denunciation found complex): switch row.
    if candidate.pk != current.pk and (candidate.length, candidate.unit) == (
        current.length,
        current.unit,
    ):
        rule = candidate
    if rule.max_extensions == 0:
        raise Invalid(
            {
                "complexity": _("rule %(ref)s (%(label)s) allows no extension")
                % {"ref": rule.ref, "label": rule.label}
            }
        )
    if matter.extensions >= rule.max_extensions:
        raise Invalid(
            {
                "extensions": _(
                    "rule %(ref)s allows %(max)s extension(s) and %(n)s already granted"
                )
                % {"ref": rule.ref, "max": rule.max_extensions, "n": matter.extensions}
            }
        )
    return rule


@petition_change
def petition_suspend(
    *, actor: Any, petition: Petition, on: date | None, reason: str, version: int | None = None
) -> Petition:
    """Stop the resolution clock (tạm đình chỉ) from ``on``."""
    _stage(petition, [Status.ACCEPTED], "suspend")
    matter = petition.matter
    errors: dict[str, str] = {}
    _day(errors, "on", on, not_before=matter.clock_start, before_what=_("the day it was accepted"))
    reason = _text(errors, "reason", reason)
    _raise(errors)
    assert on is not None
    matter_touch(matter, version)
    matter.status = Status.SUSPENDED
    matter.suspended_on = on
    matter.save(update_fields=["status", "suspended_on"])
    Suspension.objects.create(petition=petition, on=on, reason=reason, by=actor)
    _audit(actor, petition, "suspend", on=on)
    return petition


@petition_change
def petition_resume(
    *, actor: Any, petition: Petition, on: date | None, version: int | None = None
) -> Petition:
    """Restart the clock: ``due_on`` moves by the days suspended (``on`` − suspended on)."""
    _stage(petition, [Status.SUSPENDED], "resume")
    matter = petition.matter
    errors: dict[str, str] = {}
    _day(
        errors, "on", on, not_before=matter.suspended_on, before_what=_("the day it was suspended")
    )
    _raise(errors)
    assert on is not None and matter.suspended_on is not None
    days = (on - matter.suspended_on).days
    matter_touch(matter, version)
    matter.status = Status.ACCEPTED
    matter.suspended_days += days
    matter.suspended_on = None
    recompute_due(matter)
    matter.save(update_fields=["status", "suspended_days", "suspended_on", "due_on"])
    Suspension.objects.filter(petition=petition, resumed_on__isnull=True).update(resumed_on=on)
    _audit(actor, petition, "resume", on=on, days=days, due_on=matter.due_on)
    return petition


@petition_change
def petition_resolve(
    *,
    actor: Any,
    petition: Petition,
    resolved_on: date | None,
    outcome: str,
    decision_no: str = "",
    version: int | None = None,
) -> Petition:
    """Close with the resolution decision (or the conclusion of a denunciation)."""
    _stage(petition, [Status.ACCEPTED], "resolve")
    errors: dict[str, str] = {}
    _day(
        errors,
        "resolved_on",
        resolved_on,
        not_before=petition.accepted_on,
        before_what=_("the day it was accepted"),
    )
    outcome = _text(errors, "outcome", outcome)
    decision_no = _text(
        errors, "decision_no", decision_no, required=petition.kind != Kind.PROPOSAL, limit=60
    )
    _raise(errors)
    assert resolved_on is not None
    matter = petition.matter
    matter_touch(matter, version)
    matter_close(matter, status=Status.RESOLVED, closed_on=resolved_on, outcome=outcome)
    petition.resolved_on = resolved_on
    petition.decision_no = decision_no
    petition.save(update_fields=["resolved_on", "decision_no"])
    _audit(
        actor,
        petition,
        "resolve",
        resolved_on=resolved_on,
        decision_no=decision_no,
        late=bool(matter.due_on and resolved_on > matter.due_on),
    )
    return petition


def _close(
    actor: Any,
    petition: Petition,
    status: str,
    outcome: str,
    on: date,
    version: int | None,
    decision: str = "",
    **data: Any,
) -> Petition:
    matter: Matter = petition.matter
    matter_touch(matter, version)
    matter_close(matter, status=status, closed_on=on, outcome=outcome)
    if decision:
        petition.intake_decision = decision
        petition.intake_grounds = outcome
        petition.save(
            update_fields=["intake_decision", "intake_grounds", "refusal_ground", "guided_to"]
        )
    _audit(actor, petition, status, on=on, **data)
    return petition


@petition_change
def petition_refuse(
    *,
    actor: Any,
    petition: Petition,
    reason: str,
    ground: str = "",
    version: int | None = None,
) -> Petition:
    """Refuse to accept, in writing with reasons; for a complaint, a ground of LKN Art. 11."""
    _stage(petition, [Status.RECEIVED], "refuse")
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason)
    if ground:
        if petition.kind != Kind.COMPLAINT:
            errors["ground"] = _("the grounds of LKN Art. 11 apply to complaints only")
        elif ground not in RefusalGround.values:
            errors["ground"] = _("must be one of %(values)s") % {
                "values": ", ".join(RefusalGround.values)
            }
    _raise(errors)
    petition.refusal_ground = ground
    return _close(
        actor,
        petition,
        Status.REFUSED,
        reason,
        today(),
        version,
        IntakeDecision.REFUSE,
        ground=ground,
    )


@petition_change
def petition_guide(
    *, actor: Any, petition: Petition, to_body: str, note: str = "", version: int | None = None
) -> Petition:
    """Tell the citizen which body is competent (once only) and close."""
    _stage(petition, [Status.RECEIVED], "guide")
    errors: dict[str, str] = {}
    to_body = _text(errors, "to_body", to_body, limit=300)
    note = _text(errors, "note", note, required=False)
    _raise(errors)
    petition.guided_to = to_body
    outcome = f"{to_body}. {note}".strip() if note else to_body
    return _close(
        actor,
        petition,
        Status.GUIDED,
        outcome,
        today(),
        version,
        IntakeDecision.GUIDE,
        to_body=to_body,
    )


@petition_change
def petition_file_away(
    *, actor: Any, petition: Petition, reason: str, version: int | None = None
) -> Petition:
    """Store a petition that is not processed (lưu đơn) and close."""
    _stage(petition, [Status.RECEIVED], "file away")
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason)
    _raise(errors)
    return _close(actor, petition, Status.FILED, reason, today(), version, IntakeDecision.FILE_AWAY)


@petition_change
def petition_withdraw(
    *,
    actor: Any,
    petition: Petition,
    reason: str,
    on: date | None = None,
    version: int | None = None,
) -> Petition:
    """The petitioner withdraws (rút đơn): closed at any open stage."""
    _stage(petition, [Status.RECEIVED, Status.ACCEPTED, Status.SUSPENDED], "withdraw")
    errors: dict[str, str] = {}
    on = on or today()
    _day(
        errors, "on", on, not_before=petition.received_on, before_what=_("the day it was received")
    )
    reason = _text(errors, "reason", reason)
    _raise(errors)
    return _close(actor, petition, Status.WITHDRAWN, reason, on, version)


@petition_change
def petition_discontinue(
    *,
    actor: Any,
    petition: Petition,
    reason: str,
    on: date | None = None,
    version: int | None = None,
) -> Petition:
    """Stop the resolution of an accepted petition (đình chỉ); a complainant may continue
    within 30 days of the notice (K9)."""
    _stage(petition, [Status.ACCEPTED, Status.SUSPENDED], "discontinue")
    errors: dict[str, str] = {}
    on = on or today()
    _day(
        errors, "on", on, not_before=petition.accepted_on, before_what=_("the day it was accepted")
    )
    reason = _text(errors, "reason", reason)
    _raise(errors)
    return _close(actor, petition, Status.DISCONTINUED, reason, on, version)
