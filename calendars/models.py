from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An administrator's override of the built-in calendar for one day: a day off (e.g. an
    extra holiday decided for the year) or a working day (e.g. a make-up Saturday)."""

    class Kind(models.TextChoices):
        OFF = "off", _("day off")
        WORKING = "working", _("working day")

    day = models.DateField(_("day"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.kind}"
