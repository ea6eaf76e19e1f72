from django import forms
from django.utils.translation import gettext_lazy as _


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("What will be done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
