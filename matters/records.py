"""Steps shared by the apps whose records hang on a matter (a review, a consultation, a
statement): fetch one the user may see, store a step's changes, record the step."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.errors import NotFound
from matters.models import Matter
from matters.selectors import get_matter_for_user


def get_record_for_user[R: models.Model](
    user: Any, code: str, kind: str, records: models.QuerySet[R]
) -> R:
    """The record of ``records`` on matter ``code`` of ``kind``, if the user may see that
    matter (NotFound otherwise, naming the kind looked for). Its ``matter`` is the one
    the visibility check read."""
    matter = get_matter_for_user(user, code, kind)
    record = records.filter(matter=matter).first()
    if record is None:
        raise NotFound(
            _("No %(what)s with code %(code)s") % {"what": Matter.Kind(kind).label, "code": code}
        )
    record.matter = matter  # type: ignore[attr-defined]
    return record


def save_changes(record: models.Model, **changes: Any) -> None:
    """Set ``changes`` on ``record`` and store those columns only."""
    for name, value in changes.items():
        setattr(record, name, value)
    record.save(update_fields=list(changes))


def audit_matter(actor: Any, matter: Matter, action: str, data: dict[str, Any]) -> None:
    """The audit event of ``action`` on ``matter``, in the name of the unit that owns it."""
    audit_record(actor=actor, action=action, matter=matter.code, unit=matter.owner.code, data=data)
