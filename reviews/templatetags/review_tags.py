"""Labels of the codes that reviews carry (states, stages, flags ...) for templates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template

from matters.models import Matter
from reviews.models import ConsultationStatus, Flag, Law, Opinion, Procedure, Stage
from reviews.rules import STEP_LABELS

register = template.Library()

_LABELS: dict[str, Any] = {}
for choices in (Matter.State, Stage, ConsultationStatus, Flag, Law, Opinion, Procedure):
    for value, label in choices.choices:
        _LABELS[f"{choices.__name__}:{value}"] = label


def _label(kind: str, value: object) -> str:
    return str(_LABELS.get(f"{kind}:{value}", value or "—"))


@register.filter
def state_label(value: object) -> str:
    return _label("State", value)


@register.filter
def status_label(value: object) -> str:
    text = _LABELS.get(f"Stage:{value}") or _LABELS.get(f"ConsultationStatus:{value}")
    return str(text or value or "—")


def _labeller(kind: str) -> Callable[[object], str]:
    def label(value: object) -> str:
        return _label(kind, value)

    return label


# flag_label, procedure_label, law_label, opinion_label: the label of a code of that kind.
for kind in ("Flag", "Procedure", "Law", "Opinion"):
    register.filter(f"{kind.lower()}_label", _labeller(kind))


@register.filter
def step_label(value: object) -> str:
    return str(STEP_LABELS.get(str(value), value))
