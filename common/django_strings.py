"""Django's own strings that its Vietnamese catalogue lacks (Django 6.1 added them after the
catalogue was last translated). Naming them here puts them in our catalogue, whose
translation then wins over Django's missing one."""

from django.utils.translation import gettext_noop

STRINGS = [
    gettext_noop("- Select an option -"),  # the empty choice of a ModelChoiceField
]
