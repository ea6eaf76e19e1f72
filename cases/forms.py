from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from cases.models import Risk
from matters.models import Category
from plans.forms import date_field, unit_choices

CASE_CATEGORIES = [
    "land",
    "compensation",
    "environment",
    "labour",
    "policy",
    "bot_toll",
    "crime",
    "other",
]


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Case"), max_length=300)
    area = forms.ChoiceField(label=_("Area"))
    category = forms.ChoiceField(label=_("Category"))
    lead = forms.ChoiceField(label=_("Lead unit"))
    coordinating = forms.MultipleChoiceField(
        label=_("Coordinating units"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    risk = forms.ChoiceField(label=_("Risk level"), choices=Risk.choices, initial=Risk.MEDIUM)
    participants = forms.IntegerField(
        label=_("People involved (a count)"),
        min_value=0,
        initial=0,
        help_text=_("How many people; never their names."),
    )
    opened_on = date_field(_("Opened on"))
    due_on = date_field(_("Settle by"))
    petitions = forms.CharField(
        label=_("Linked petitions (codes, separated by commas)"), required=False, max_length=500
    )
    summary = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Facts of the case; no personal data, opinions or beliefs of anyone."),
    )

    def __init__(
        self, *args: Any, province: str, leads: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = leads  # type: ignore[attr-defined]
        self.fields["coordinating"].choices = unit_choices()  # type: ignore[attr-defined]
        areas = Area.objects.filter(code=province) | Area.objects.filter(
            parent_id=province, valid_to__isnull=True
        )
        area_choices = [(a.code, f"{a.name} ({a.code})") for a in areas.order_by("code")]
        self.fields["area"].choices = area_choices  # type: ignore[attr-defined]
        cats = Category.objects.filter(is_active=True)
        ordered = sorted(
            cats,
            key=lambda c: (
                c.code not in CASE_CATEGORIES,
                CASE_CATEGORIES.index(c.code) if c.code in CASE_CATEGORIES else 0,
                c.position,
            ),
        )
        self.fields["category"].choices = [(c.code, c.label) for c in ordered]  # type: ignore[attr-defined]

    def clean_petitions(self) -> list[str]:
        raw = self.cleaned_data.get("petitions") or ""
        return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]


class ActionForm(forms.Form):
    on = date_field(_("Date"))
    note = forms.CharField(
        label=_("Action taken"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What your unit did; no names of the people involved."),
    )


class SettleForm(forms.Form):
    settled_on = date_field(_("Settled on"))
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))
