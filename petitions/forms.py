"""HTML forms of the petition pages. They parse and check shapes; the services check the
rules and report field errors, which the views put back on these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from matters.models import Category, Matter
from petitions.models import Channel, Complexity, Kind, ReceptionSession, RefusalGround, Status


def _choices(field: forms.Field, choices: list[Any]) -> None:
    field.choices = choices  # type: ignore[attr-defined]


# The empty first choice of a select that has no usual answer.
CHOOSE = _("— Choose —")
DATE_HINT = {"placeholder": "dd/mm/yyyy", "autocomplete": "off"}


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs=DATE_HINT))


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    scope = forms.ChoiceField(
        label=_("Whose"),
        required=False,
        choices=[("unit", _("My unit's")), ("all", _("All I can see"))],
    )
    kind = forms.ChoiceField(label=_("Kind of petition"), required=False)
    status = forms.ChoiceField(label=_("Stage"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["kind"], [("", _("All kinds")), *Kind.choices])
        _choices(self.fields["status"], [("", _("All stages")), *Status.choices])
        _choices(self.fields["state"], [("", _("All states")), *Matter.State.choices])


class IntakeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of petition"), choices=Kind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_on = _date(_("Received on"))
    # Shown once a date far back was refused: the official says it is meant.
    confirm_date = forms.BooleanField(
        label=_("The receipt date is right (received more than 30 days ago)"), required=False
    )
    # An address or code from before 1 July 2025, as the citizen wrote it: it is converted
    # (static/js/areas.js proposes the area as it is typed; the service decides).
    area_old = forms.CharField(
        label=_("Old address or code (before 01/07/2025)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "data-area-convert": "area",
                "autocomplete": "off",
                "data-msg-certain": _("Now: %(area)s"),
                "data-msg-split": _("Divided between %(choices)s: choose the one concerned"),
                "data-msg-unknown": _("No area, old or new, matches this"),
            }
        ),
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    category = forms.ChoiceField(label=_("Category"))
    summary = forms.CharField(label=_("Summary"), max_length=300)
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    signers = forms.IntegerField(label=_("Signers"), min_value=1, initial=1)
    representative = forms.CharField(
        label=_("Representative (one of the petitioners)"), required=False, max_length=150
    )
    first_instance = forms.CharField(
        label=_("First-instance petition code (second complaint)"), required=False, max_length=40
    )
    disciplinary = forms.BooleanField(
        label=_("Complaint against a disciplinary decision"), required=False
    )

    def __init__(self, *args: Any, province: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(valid_to__isnull=True)
        if province:
            areas = areas.filter(code=province) | areas.filter(parent_id=province)
        _choices(
            self.fields["area"],
            [
                ("", CHOOSE),
                *[(a.code, f"{a.name} ({a.code})") for a in areas.order_by("kind", "name")],
            ],
        )
        # No category is the usual one: the official chooses (an empty first choice, required).
        _choices(
            self.fields["category"],
            [("", CHOOSE), *[(c.code, c.label) for c in Category.objects.filter(is_active=True)]],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("area") and not data.get("area_old"):
            self.add_error("area", _("choose the area, or give the old address or code"))
        return data


class PetitionerForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


PetitionerFormSet = forms.formset_factory(PetitionerForm, extra=3, max_num=20)


class TransferForm(forms.Form):
    to = forms.ChoiceField(label=_("Competent unit"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)

    def __init__(
        self, *args: Any, units: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["to"], [("", "—"), *(units or [])])


class AcceptForm(forms.Form):
    accepted_on = _date(_("Accepted on"))
    complexity = forms.ChoiceField(label=_("Complexity"), choices=Complexity.choices)
    remote = forms.BooleanField(label=_("Remote or hard-to-reach area"), required=False)


class ExtendForm(forms.Form):
    complexity = forms.ChoiceField(label=_("Complexity"), choices=Complexity.choices[1:])
    decision_no = forms.CharField(label=_("Decision number"), max_length=60)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SuspendForm(forms.Form):
    on = _date(_("Suspended on"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ResumeForm(forms.Form):
    on = _date(_("Resumed on"))


class ResolveForm(forms.Form):
    resolved_on = _date(_("Resolved on"))
    decision_no = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground (complaints)"), required=False, choices=[("", "—"), *RefusalGround.choices]
    )
    reason = forms.CharField(
        label=_("Reasons given in writing"), widget=forms.Textarea(attrs={"rows": 2})
    )


class GuideForm(forms.Form):
    to_body = forms.CharField(label=_("Competent body"), max_length=300)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    on = _date(_("On"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "transfer": TransferForm,
    "accept": AcceptForm,
    "extend": ExtendForm,
    "suspend": SuspendForm,
    "resume": ResumeForm,
    "resolve": ResolveForm,
    "refuse": RefuseForm,
    "guide": GuideForm,
    "file_away": ReasonForm,
    "withdraw": CloseForm,
    "discontinue": CloseForm,
}

ACTION_LABELS = {
    "transfer": _("Transfer"),
    "accept": _("Accept"),
    "extend": _("Extend"),
    "suspend": _("Suspend"),
    "resume": _("Resume"),
    "resolve": _("Resolve"),
    "refuse": _("Refuse"),
    "guide": _("Guide"),
    "file_away": _("File away"),
    "withdraw": _("Withdraw"),
    "discontinue": _("Discontinue"),
}

# Which actions each stage offers.
ACTIONS_BY_STATUS: dict[str, list[str]] = {
    Status.RECEIVED: ["accept", "transfer", "refuse", "guide", "file_away", "withdraw"],
    Status.ACCEPTED: ["extend", "suspend", "resolve", "withdraw", "discontinue"],
    Status.SUSPENDED: ["resume", "extend", "withdraw", "discontinue"],
}


class SessionForm(forms.Form):
    held_on = _date(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of session"), choices=ReceptionSession.SessionKind.choices
    )
    note = forms.CharField(
        label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class VisitForm(forms.Form):
    visited_on = _date(_("Date of reception"))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    id_document = forms.CharField(
        label=_("ID or authorisation document"), max_length=100, required=False
    )
    people = forms.IntegerField(label=_("Number of people"), min_value=1, initial=1)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    prior_handling = forms.CharField(
        label=_("Handled before by"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    request = forms.CharField(
        label=_("Request"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    handling = forms.CharField(
        label=_("Handling"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.CharField(
        label=_("Result of the reception"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    petition_kind = forms.ChoiceField(
        label=_("Register a petition from this visit"),
        required=False,
        choices=[("", _("No petition")), *Kind.choices],
    )
    petition_area = forms.ChoiceField(label=_("Area"), required=False)
    petition_category = forms.ChoiceField(label=_("Category"), required=False)
    petition_summary = forms.CharField(label=_("Summary"), max_length=300, required=False)

    def __init__(self, *args: Any, province: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(valid_to__isnull=True)
        if province:
            areas = areas.filter(code=province) | areas.filter(parent_id=province)
        _choices(
            self.fields["petition_area"],
            [
                ("", "—"),
                *[(a.code, f"{a.name} ({a.code})") for a in areas.order_by("kind", "name")],
            ],
        )
        _choices(
            self.fields["petition_category"],
            [
                ("", "—"),
                *[(c.code, c.label) for c in Category.objects.filter(is_active=True)],
            ],
        )


class ConfirmForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Checked against (gazette issue, article)"), max_length=300
    )


class RuleForm(forms.Form):
    length = forms.IntegerField(label=_("Length"), min_value=1, max_value=3650)
    unit = forms.ChoiceField(
        label=_("Counted in"),
        choices=[("calendar", _("calendar days")), ("working", _("working days"))],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
