from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from common.errors import Forbidden
from matters.selectors import get_matter_for_user


def events_for_user(user: Any, matter: str | None = None) -> QuerySet[AuditEvent]:
    """Auditors and administrators read the whole log; a head reads the events of a matter
    they can see (``matter`` required). Everyone else is refused."""
    qs = AuditEvent.objects.order_by("seq")
    if user.is_superuser or user.is_admin or user.has_role("auditor"):
        return qs.filter(matter=matter) if matter else qs
    if not user.has_role("head", "leader"):
        raise Forbidden(_("only auditors and heads read the audit log"))
    if not matter:
        raise Forbidden(_("heads read the audit events of one matter at a time: pass ?matter="))
    found = get_matter_for_user(user, matter)
    return qs.filter(matter=found.code)
