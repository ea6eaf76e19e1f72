from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from calendars.models import CalendarDay
from calendars.workdays import FIRST_YEAR, LAST_YEAR
from common.errors import Invalid
from common.text import nfc


@transaction.atomic
def calendar_day_set(*, actor: Any, day: date, kind: str, note: str = "") -> CalendarDay:
    """Declare ``day`` a day off or a working day, overriding the built-in holidays."""
    if kind not in CalendarDay.Kind.values:
        raise Invalid({"kind": _("must be off or working")})
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Invalid(
            {"day": _("must fall in %(first)s-%(last)s") % {"first": FIRST_YEAR, "last": LAST_YEAR}}
        )
    entry, _created = CalendarDay.objects.update_or_create(
        day=day,
        defaults={
            "kind": kind,
            "note": nfc(note),
            "updated_at": timezone.now(),
            "updated_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="calendar.set",
        data={"day": day.isoformat(), "kind": kind, "note": note},
    )
    return entry
