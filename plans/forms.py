from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from matters.models import Category
from plans.models import Directive, Reporting
from units.models import Unit

DATE_HELP = _("dd/mm/yyyy")


def date_field(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        help_text=DATE_HELP,
    )


def unit_choices(exclude: int | None = None) -> list[tuple[str, str]]:
    qs = Unit.objects.filter(is_active=True).order_by("path")
    return [(u.code, f"{u.name} ({u.code})") for u in qs if u.id != exclude]


class UnitChecklist(forms.CheckboxSelectMultiple):
    """A hundred-odd units as checkboxes in a scrolling box, with a filter box that
    static/js/app.js shows and uses (no Ctrl-click; the same values are posted)."""

    template_name = "plans/widgets/checklist.html"


class DirectiveForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60, help_text=_("e.g. 32-KL/TW"))
    title = forms.CharField(label=_("Title"), max_length=400)
    issued_on = date_field(_("Issued on"))
    issuer = forms.CharField(label=_("Issuer"), max_length=200, help_text=_("e.g. Politburo"))
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    file = forms.FileField(label=_("File (PDF, DOCX, ...)"), required=False)


class PlanForm(forms.Form):
    directive = forms.ModelChoiceField(label=_("Directive"), queryset=Directive.objects.all())
    number = forms.CharField(label=_("Number"), max_length=60, help_text=_("e.g. 25-KH/TU"))
    title = forms.CharField(label=_("Title"), max_length=400)
    issued_on = date_field(_("Issued on"))
    briefing_due = date_field(_("Briefings due by"))
    targets = forms.MultipleChoiceField(
        label=_("Target units"), required=False, widget=UnitChecklist
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = unit_choices(exclude=unit.id)  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    lead = forms.ChoiceField(label=_("Lead unit"))
    cooperating = forms.MultipleChoiceField(
        label=_("Cooperating units"), required=False, widget=UnitChecklist
    )
    opened_on = date_field(_("Given on"))
    due_on = date_field(_("Deadline"))
    # Shown once a deadline long past or years ahead was refused: the official says it is
    # meant (plans.services.odd_due_message).
    confirm_due = forms.BooleanField(
        label=_("The deadline is right (long past or more than two years ahead)"),
        required=False,
        widget=forms.HiddenInput,
    )
    area = forms.ChoiceField(label=_("Area"))
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("— Choose —"),
    )
    reporting = forms.ChoiceField(
        label=_("Reporting duty"), choices=Reporting.choices, initial=Reporting.MONTHLY
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, province: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = unit_choices()
        # No unit and no area is the usual answer: an empty first choice, required (the
        # first of the list was the provincial party committee, the first commune).
        choose = ("", _("— Choose —"))
        self.fields["lead"].choices = [choose, *units]  # type: ignore[attr-defined]
        self.fields["cooperating"].choices = units  # type: ignore[attr-defined]
        areas = Area.objects.filter(code=province) | Area.objects.filter(
            parent_id=province, valid_to__isnull=True
        )
        ordered = sorted(areas, key=lambda a: (a.kind != "province", a.name))
        area_choices = [(a.code, f"{a.name} ({a.code})") for a in ordered]
        self.fields["area"].choices = [choose, *area_choices]  # type: ignore[attr-defined]

    def ask_to_confirm_due(self) -> None:
        """Show the confirmation box (after a deadline was refused, or once ticked)."""
        self.fields["confirm_due"].widget = forms.CheckboxInput()


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    reported_on = date_field(_("Reported on"))
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        required=False,
        help_text=_("empty: worked out from the date"),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CompleteForm(forms.Form):
    completed_on = date_field(_("Completed on"))
    note = forms.CharField(
        label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Shown beside the progress form, which has a note too: ids of its own.
        kwargs.setdefault("auto_id", "complete_%s")
        super().__init__(*args, **kwargs)


class BriefingForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"))
    held_on = date_field(_("Held on"))
    chair = forms.CharField(
        label=_("Chaired by"),
        max_length=200,
        required=False,
        help_text=_("the office, e.g. Secretary of the commune party committee"),
    )
    attendees = forms.IntegerField(label=_("Attendees (count)"), min_value=1)
    minutes = forms.CharField(
        label=_("Minutes summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    minutes_file = forms.FileField(
        label=_("Minutes file (PDF, DOCX, ODT, DOC, JPEG, PNG)"), required=False
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, f"{u.name} ({u.code})") for u in units]  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
