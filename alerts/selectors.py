from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

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
        raise NotFound(_("No alert %(id)s") % {"id": alert_id})
    return alert


# Each kind of matter's page, as the matter lists link them (web/_matter_rows.html).
MATTER_PAGES = {
    "petition": "/petitions/{}/",
    "task": "/plans/tasks/{}/",
    "case": "/cases/{}/",
    "review": "/reviews/{}/",
    "consultation": "/reviews/consultations/{}/",
    "statement": "/statements/{}/",
}

# An alert counts tens of matters; the page lists them all up to this many.
ALERT_MATTERS_SHOWN = 500


def alert_matters(user: Any, alert: Alert) -> list[dict[str, Any]]:
    """The matters behind an alert (its commune and category, opened in its week) that the
    user may see, oldest first. A sealed denunciation shows as its code only."""
    from datetime import timedelta

    from matters.selectors import matters_visible_to

    qs = matters_visible_to(user).filter(
        area_id=alert.area_id,
        category_id=alert.category_id,
        opened_on__gte=alert.week,
        opened_on__lt=alert.week + timedelta(days=7),
    )
    rows = qs.order_by("opened_on", "code").values(
        "code", "kind", "title", "opened_on", "is_open", "petition__sealed"
    )[:ALERT_MATTERS_SHOWN]
    return [
        {
            "code": r["code"],
            "url": MATTER_PAGES.get(r["kind"], "/cases/{}/").format(r["code"]),
            "title": "" if r["petition__sealed"] else r["title"],
            "opened_on": r["opened_on"],
            "is_open": r["is_open"],
        }
        for r in rows
    ]
