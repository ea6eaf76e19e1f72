from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from statements.models import Duty, Form, Spokesperson, Trigger
from statements.rules import PRESS_LAW_2025, grounds_in_force

MOMENT_ATTRS = {"placeholder": "hh:mm dd/mm/yyyy", "autocomplete": "off"}
DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


def moment_field(label: Any, required: bool = True) -> forms.DateTimeField:
    """A local date and time, typed as 14:30 05/09/2026 (or 05/09/2026 14:30)."""
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs=MOMENT_ATTRS, format="%H:%M %d/%m/%Y"),
    )


def date_field(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE_ATTRS, format="%d/%m/%Y")
    )


class StatementForm(forms.Form):
    trigger = forms.ChoiceField(label=_("Occasion"), choices=Trigger.choices)
    duty = forms.ChoiceField(
        label=_("Periodic duty"), required=False, choices=[("", "—"), *Duty.choices]
    )
    triggered_at = moment_field(_("Since (time and date)"))
    subject = forms.CharField(label=_("Subject"), widget=forms.Textarea(attrs={"rows": 2}))
    press_agency = forms.CharField(label=_("Press agency"), max_length=200, required=False)
    question = forms.CharField(
        label=_("Question or request"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    petition = forms.CharField(label=_("Petition code"), max_length=40, required=False)


class DeliverForm(forms.Form):
    delivered_at = moment_field(_("Given at (time and date)"))
    form = forms.ChoiceField(label=_("Form (Decree 244/2026 Art 5)"), choices=Form.choices)
    speaker = forms.CharField(label=_("Speaker"), max_length=150)
    text = forms.CharField(
        label=_("Text given to the press"), widget=forms.Textarea(attrs={"rows": 5})
    )


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(label=_("Legal ground"))
    reason = forms.CharField(
        label=_("Reasons stated to the press agency"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, on: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from statements.models import Ground

        codes = grounds_in_force(on or PRESS_LAW_2025)
        self.fields["ground"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Ground.choices if value in codes
        ]


class ConclusionForm(forms.Form):
    triggered_at = moment_field(_("Conclusion issued at (time and date)"))
    subject = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 2}))


class SpokespersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Spokesperson.Role.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    title = forms.CharField(label=_("Position"), max_length=200, required=False)
    phone = forms.CharField(label=_("Official phone"), max_length=30, required=False)
    email = forms.CharField(label=_("Official e-mail"), max_length=254, required=False)
    decision_no = forms.CharField(
        label=_("Decision or authorisation number"), max_length=60, required=False
    )
    decided_at = moment_field(_("Decided at (time and date)"), required=False)
    scope = forms.CharField(label=_("Scope of the authorisation"), required=False)
    valid_from = date_field(_("Valid from"), required=False)
    valid_to = date_field(_("Valid until"), required=False)
