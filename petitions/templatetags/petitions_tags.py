from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matters.models import DayUnit
from petitions.models import Status

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """The Vietnamese name of a petition's stage."""
    return str(Status(value).label) if value in Status.values else value


@register.filter
def day_unit(value: str) -> str:
    return str(DayUnit(value).label) if value in DayUnit.values else value


@register.filter
def handoff_label(value: str) -> str:
    labels = {
        "transfer": _("transferred"),
        "return": _("returned"),
        "escalation": _("escalated to the common superior"),
    }
    return labels.get(value, value)


# The variants of a limit (the rule rows' ``variant`` codes), for people.
VARIANT_LABELS = {
    "normal": _lazy("ordinary case"),
    "complex": _lazy("complex case"),
    "especially_complex": _lazy("especially complex case"),
    "remote": _lazy("remote area"),
    "remote_complex": _lazy("remote area, complex case"),
    "several_places": _lazy("several places or by proxy"),
    "accept": _lazy("acceptance"),
    "citizen": _lazy("telling the citizen"),
    "first": _lazy("first instance"),
    "second": _lazy("second instance"),
    "dismissal": _lazy("dismissal"),
}


@register.filter
def variant_label(value: str) -> str:
    return str(VARIANT_LABELS.get(value, value))


@register.filter
def action_label(value: str) -> str:
    from petitions.forms import ACTION_LABELS

    if value == "report":
        return _("Report to the head")
    return str(ACTION_LABELS.get(value, value))
