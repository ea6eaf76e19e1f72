"""Administrators' changes to the unconfirmed limits (configurable rule rows), and their
confirmation of a rule's source against the official text."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.clock import today
from common.errors import Forbidden, Invalid
from common.text import nfc
from matters.models import DayUnit, DeadlineRule


@transaction.atomic
def rule_setting_change(
    *, actor: Any, rule: DeadlineRule, length: int, unit: str, note: str = ""
) -> DeadlineRule:
    """Change a configurable limit from today on: the row in force ends yesterday and a new
    row starts today, so petitions already counting keep the rule they started with (a
    second change on the same day replaces that day's row)."""
    if not (actor.is_superuser or actor.is_admin):
        raise Forbidden(_("only administrators change deadline rules"))
    if not rule.configurable:
        raise Forbidden(
            _("%(ref)s is law, not a setting; it cannot be changed here") % {"ref": rule.ref}
        )
    errors: dict[str, str] = {}
    if not isinstance(length, int) or not 1 <= length <= 3650:
        errors["length"] = _("must be between 1 and 3650")
    if unit not in (DayUnit.CALENDAR, DayUnit.WORKING):
        errors["unit"] = _("must be calendar or working")
    if errors:
        raise Invalid(errors)
    day = today()
    if rule.effective_to is not None and rule.effective_to <= day:
        raise Invalid({"rule": _("this row of %(ref)s is no longer in force") % {"ref": rule.ref}})
    if rule.effective_from > day:
        raise Invalid({"rule": _("this row of %(ref)s is not in force yet") % {"ref": rule.ref}})
    before = {"length": rule.length, "unit": rule.unit}
    if rule.effective_from == day:
        current = rule
    else:
        current = DeadlineRule.objects.get(pk=rule.pk)
        current.pk = None
        current.effective_from = day
        rule.effective_to = day
        rule.save(update_fields=["effective_to"])
    current.length = length
    current.unit = unit
    current.note = nfc(note or current.note)
    current.save()
    audit_record(
        actor=actor,
        action="rule.change",
        data={
            "key": rule.key,
            "variant": rule.variant,
            "before": before,
            "after": {"length": length, "unit": unit},
            "from": day,
            "previous_until": day - timedelta(days=1),
        },
    )
    return current


@transaction.atomic
def rule_confirm(*, actor: Any, rule: DeadlineRule, confirmation: str) -> DeadlineRule:
    """An administrator has checked ``rule``'s source against the official text: record who,
    when and against what (``confirmation``, e.g. the gazette issue and article)."""
    if not (actor.is_superuser or actor.is_admin):
        raise Forbidden(_("only administrators confirm the sources of deadline rules"))
    confirmation = nfc(confirmation or "").strip()
    if not confirmation:
        raise Invalid({"confirmation": _("say what you checked the source against")})
    if len(confirmation) > 300:
        raise Invalid({"confirmation": _("at most 300 characters")})
    rule = DeadlineRule.objects.select_for_update().get(pk=rule.pk)
    if rule.confirmed_at is not None:
        raise Invalid({"confirmation": _("this source is already confirmed")})
    rule.confirmed_at = timezone.now()
    rule.confirmed_by = actor
    rule.confirmation = confirmation
    rule.save(update_fields=["confirmed_at", "confirmed_by", "confirmation"])
    audit_record(
        actor=actor,
        action="rule.confirm",
        data={
            "key": rule.key,
            "variant": rule.variant,
            "from": rule.effective_from,
            "source": rule.source,
            "confirmation": confirmation,
        },
    )
    return rule
