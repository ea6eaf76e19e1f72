from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Alert(models.Model):
    """An unusual count of matters in one commune and category, sent to the head of the unit
    governing that commune. One open alert per area and category collects later signals."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        CLOSED = "closed", _("closed")

    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    category = models.ForeignKey(
        "matters.Category", verbose_name=_("category"), on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    week = models.DateField(_("week (Monday)"))
    observed = models.IntegerField(_("observed"))
    expected = models.FloatField(_("expected"))
    upperbound = models.FloatField(_("threshold"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=40)
    score = models.FloatField(_("score"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    signals = models.PositiveIntegerField(_("signals"), default=1)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    follow_up = models.CharField(_("follow-up matter"), max_length=40, blank=True)

    class Meta:
        ordering = ["-week", "area_id", "category_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "category"],
                condition=models.Q(status="open"),
                name="alert_one_open_per_area_category",
            )
        ]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.area_id}/{self.category_id} {self.week}"


class Signal(models.Model):
    """One (series, week) that a detection method found unusual."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="signal_rows")
    week = models.DateField()
    method = models.CharField(max_length=40)
    observed = models.IntegerField()
    expected = models.FloatField()
    upperbound = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["week", "method"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "week", "method"], name="signal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.week}"


class WarningRun(models.Model):
    """One run of the early-warning job, with its progress for the UI."""

    as_of = models.DateField()
    week = models.DateField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    series = models.PositiveIntegerField(default=0)
    signals = models.PositiveIntegerField(default=0)
    alerts_opened = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"warn {self.as_of}"
