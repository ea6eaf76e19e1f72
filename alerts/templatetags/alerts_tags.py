from django import template

from alerts.views import METHOD_LABELS

register = template.Library()


@register.filter
def method_label(code: str) -> str:
    """The name of a detection method for people (the code itself if it is unknown)."""
    return str(METHOD_LABELS.get(code, code))
