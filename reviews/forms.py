from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from matters.models import Matter
from reviews.models import Flag, Opinion, Procedure

DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


def date_field(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE_ATTRS, format="%d/%m/%Y")
    )


class ReviewFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    sensitive = forms.ChoiceField(
        label=_("Site"),
        required=False,
        choices=[("", _("All sites")), ("1", _("Sensitive areas")), ("0", _("Other areas"))],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["state"].choices = [("", _("All states")), *Matter.State.choices]  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    project = forms.CharField(label=_("Project"), max_length=300)
    investor = forms.CharField(label=_("Investor"), max_length=300)
    nationality = forms.CharField(label=_("Nationality"), max_length=100, required=False)
    foreign_share = forms.DecimalField(
        label=_("Foreign ownership (%)"), required=False, min_value=0, max_value=100
    )
    procedure = forms.ChoiceField(label=_("Procedure"), choices=Procedure.choices)
    area = forms.CharField(label=_("Area code (commune)"), max_length=5)
    flags = forms.MultipleChoiceField(
        label=_("Sensitive area"),
        choices=Flag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    flag_document = forms.CharField(
        label=_("Document that makes the site sensitive"), max_length=300, required=False
    )
    land_type = forms.CharField(label=_("Land type"), max_length=200, required=False)
    land_area_m2 = forms.DecimalField(label=_("Land area (m²)"), required=False, min_value=0)
    lease_years = forms.IntegerField(label=_("Lease term (years)"), required=False)
    latitude = forms.FloatField(label=_("Latitude of the site"), required=False)
    longitude = forms.FloatField(label=_("Longitude of the site"), required=False)
    received_on = date_field(_("Received on"))
    valid_on = date_field(_("Valid dossier on"), required=False)

    def service_kwargs(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        document = data.pop("flag_document")
        data["flag_documents"] = {flag: document for flag in data["flags"]} if document else {}
        return data


class ConsultationForm(forms.Form):
    unit = forms.CharField(label=_("Unit code"), max_length=40)
    sent_on = date_field(_("Sent on"))


class CorrectionsForm(forms.Form):
    requested_on = date_field(_("Requested on"))
    note = forms.CharField(
        label=_("What must be corrected"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectionsReceivedForm(forms.Form):
    received_on = date_field(_("Corrections received on"))


class ValidForm(forms.Form):
    valid_on = date_field(_("Valid dossier on"))


class ReportForm(forms.Form):
    sent_on = date_field(_("Report sent on"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approved", pgettext_lazy("review decision", "approve")),
            ("refused", pgettext_lazy("review decision", "refuse")),
        ],
    )
    decided_on = date_field(_("Decided on"))
    decision_no = forms.CharField(label=_("Decision number"), max_length=60)
    reasons = forms.CharField(
        label=_("Reasons (required for a refusal)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Opinion.choices)
    answered_on = date_field(_("Answered on"))
    note = forms.CharField(
        label=_("Reasons or conditions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    document_title = forms.CharField(label=_("Document title"), max_length=300, required=False)

    def service_kwargs(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        number, title = data.pop("document_number"), data.pop("document_title")
        data["documents"] = [{"number": number, "title": title}] if number else []
        return data
