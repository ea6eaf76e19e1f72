"""The one place that asks what day it is, so that tests can move time (time_machine)."""

from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def now() -> datetime:
    return timezone.now()
