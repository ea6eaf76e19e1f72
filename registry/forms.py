from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import Unit
from units.selectors import units_visible_to


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see who sent it?"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class LinkForm(forms.Form):
    original = forms.CharField(
        label=_("Code of the original petition"), max_length=40, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    unlink = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unlink") and not (data.get("original") or "").strip():
            self.add_error("original", _("Give the code of the original petition."))
        return data


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocapitalize": "characters",
                "autocomplete": "off",
                "placeholder": "D2026-33-000123",
            }
        ),
    )
    pin = forms.RegexField(
        label=_("PIN (6 digits)"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("The PIN is the 6 digits printed on your receipt.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "6"}
        ),
    )


class UploadForm(forms.Form):
    unit = forms.ChoiceField(label=_("Import into"))
    file = forms.FileField(label=_("Register (.xlsx)"))
    valid_only = forms.BooleanField(
        label=_(
            "Import the good rows and list the others (otherwise a single bad row stops the whole file)"
        ),
        required=False,
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(u.code, f"{u.code} — {u.name}") for u in units]
        self.fields["file"].widget.attrs["accept"] = ".xlsx"


class ExportForm(forms.Form):
    BOOKS = [
        ("petitions", _("Petition register with statistics (imports back)")),
        ("processing", _("Book of receiving and processing petitions (Circular 05/2021)")),
        ("reception", _("Book of citizen reception")),
    ]
    book = forms.ChoiceField(label=_("Workbook"), choices=BOOKS, required=False)
    start = forms.DateField(label=_("Received from"), required=False)
    end = forms.DateField(label=_("to"), required=False)
    unit = forms.ChoiceField(label=_("Owner unit (and the units below it)"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("All petitions I see"))]
        choices += [
            (u.code, f"{u.code} — {u.name}") for u in units_visible_to(user).order_by("code")[:500]
        ]
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end is before the start."))
        return data
