from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    "normal": gettext_lazy("ordinary case"),
    "complex": gettext_lazy("complex case"),
    "especially_complex": gettext_lazy("especially complex case"),
    "remote": gettext_lazy("remote area"),
    "remote_complex": gettext_lazy("remote area, complex case"),
    "several_places": gettext_lazy("several places or by proxy"),
    "accept": gettext_lazy("acceptance"),
    "citizen": gettext_lazy("telling the citizen"),
    "first": gettext_lazy("first instance"),
    "second": gettext_lazy("second instance"),
    "dismissal": gettext_lazy("dismissal"),
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
