"""The log of records sent to the national complaints database (Decree 55/2022): one row per
version of a petition, exactly what was put in the outbox, so that ``export-national``
writes the same records for a province that uploads by hand."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Record(models.Model):
    matter = models.ForeignKey(
        "matters.Matter", on_delete=models.CASCADE, related_name="national_records"
    )
    code = models.CharField(_("petition"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    event = models.CharField(_("event"), max_length=30)
    payload = models.JSONField()
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "version"], name="national_record_version")
        ]
        indexes = [models.Index(fields=["recorded_at", "id"], name="national_record_time")]
        verbose_name = _("national record")
        verbose_name_plural = _("national records")

    def __str__(self) -> str:
        return f"{self.code} v{self.version} {self.event}"
