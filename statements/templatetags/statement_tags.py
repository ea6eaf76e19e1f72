"""Labels of the codes that statements carry, for templates."""

from __future__ import annotations

from typing import Any

from django import template

from matters.models import Matter
from statements.models import Duty, Form, Ground, Spokesperson, Status, Trigger

register = template.Library()

_LABELS: dict[str, Any] = {}
for name, choices in (
    ("state", Matter.State),
    ("status", Status),
    ("trigger", Trigger),
    ("duty", Duty),
    ("form", Form),
    ("ground", Ground),
    ("role", Spokesperson.Role),
):
    for value, label in choices.choices:
        _LABELS[f"{name}:{value}"] = label


@register.filter
def press_label(value: object, kind: str) -> str:
    """``{{ s.trigger|press_label:"trigger" }}`` -> the Vietnamese label of the code."""
    return str(_LABELS.get(f"{kind}:{value}", value or "—"))
