from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from calendars.models import CalendarDay
from units.models import Unit


class UnitForm(forms.Form):
    code = forms.CharField(label=_("Unit code"), max_length=40)
    name = forms.CharField(label=_("Unit name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Unit.Kind.choices)
    parent = forms.CharField(label=_("Parent unit code"), max_length=40, required=False)
    area = forms.CharField(label=_("Area code"), max_length=5, required=False)


class OfficialForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    unit = forms.CharField(label=_("Unit code"), max_length=40)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, max_length=200, strip=False
    )


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=_("Day (dd/mm/yyyy)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class MatterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from matters.models import Matter

        self.fields["kind"].choices = [("", _("All kinds")), *Matter.Kind.choices]  # type: ignore[attr-defined]
        self.fields["state"].choices = [("", _("All states")), *Matter.State.choices]  # type: ignore[attr-defined]
