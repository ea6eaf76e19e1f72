from django import template

from matters.models import DayUnit, Handoff
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
    return str(Handoff.Kind(value).label) if value in Handoff.Kind.values else value
