from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import PeriodKind


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    index = forms.IntegerField(
        label=_("Month or quarter"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Month 1-12 or quarter 1-4; empty for a year."),
    )


class ScheduleForm(forms.Form):
    period = forms.ChoiceField(label=_("Every"), choices=PeriodKind.choices)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Shown beside the report form, which has a period too: ids of its own.
        kwargs.setdefault("auto_id", "schedule_%s")
        super().__init__(*args, **kwargs)
