"""The forms of the citizens' pages. The rules themselves live in the services; these only
carry the fields (and the honeypot that people never see)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from petitions.models import Kind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's own recipe): a list of uploads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return single(data, initial)


class FilingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to send?"),
        choices=[
            (Kind.PROPOSAL, _("A proposal or a report of a problem")),
            (Kind.COMPLAINT, _("A complaint about a decision or act that affects you")),
            (Kind.DENUNCIATION, _("A denunciation of a violation of the law")),
        ],
        widget=forms.RadioSelect,
        initial=Kind.PROPOSAL,
    )
    area_name = forms.CharField(
        label=_("Commune or ward"),
        max_length=120,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": _("Type the name, e.g. Phố Hiến")}
        ),
    )
    area = forms.CharField(required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("Field"), choices=[])
    summary = forms.CharField(label=_("In one sentence"), max_length=300)
    content = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lon = forms.FloatField(label=_("Longitude"), required=False)
    public = forms.BooleanField(
        label=_("Show my proposal (without my name) on the public map"), required=False
    )
    photos = MultipleFileField(
        label=_("Photos (up to 5, at most 10 MB each)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/heic"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    id_number = forms.CharField(
        label=_("Citizen identity card number (12 digits)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Your address"), max_length=300, required=False)
    contact = forms.CharField(
        label=_("E-mail or mobile phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
    code = forms.CharField(
        label=_("Confirmation code (6 digits)"),
        max_length=6,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}
        ),
    )
    consent = forms.BooleanField(
        label=_("I have read how my personal data will be used"), required=True
    )
    # The honeypot: hidden from people by the style sheet, filled in by robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: object, categories: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *categories]


class CodePinForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    pin = forms.RegexField(
        label=_("PIN (6 digits)"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("The PIN is the 6 digits printed on your receipt.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "6"}
        ),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class FeedbackForm(CodePinForm):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[(str(n), str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reopen = forms.BooleanField(label=_("My problem is not resolved"), required=False)


class RoutingRuleForm(forms.Form):
    area = forms.CharField(label=_("Area code (commune or province)"), max_length=5)
    category = forms.CharField(label=_("Category code (empty: any)"), max_length=40, required=False)
    unit = forms.CharField(label=_("Unit code"), max_length=40)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
