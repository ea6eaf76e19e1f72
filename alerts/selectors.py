from typing import Any

from django.db.models import QuerySet

from alerts.models import Alert
from common.errors import NotFound
from units.selectors import visible_unit_ids


def alerts_visible_to(user: Any) -> QuerySet[Alert]:
    """Alerts of units the user sees: the responsible unit's officials, and heads and
    leaders above it."""
    qs = Alert.objects.select_related("area", "category", "unit")
    units = visible_unit_ids(user)
    return qs if units is None else qs.filter(unit_id__in=units)


def get_alert_for_user(user: Any, alert_id: int) -> Alert:
    alert = alerts_visible_to(user).filter(id=alert_id).first()
    if alert is None:
        raise NotFound(f"No alert {alert_id}")
    return alert
