from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
    )


class StatsForm(forms.Form):
    province = forms.ChoiceField(label=_("Province"))
    start = _date_field(_("From (dd/mm/yyyy)"))
    end = _date_field(_("To (dd/mm/yyyy)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = Area.objects.filter(kind=Area.Kind.PROVINCE).order_by("name")
        field = self.fields["province"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.code, a.name) for a in provinces]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("start")
        end: date | None = data.get("end")
        if start and end and start > end:
            self.add_error("start", _("The start must not be after the end."))
        return data
