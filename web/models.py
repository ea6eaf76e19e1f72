from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """That a periodic job was started for one period (a day, an ISO week); the unique
    constraint makes two schedulers, or a restarted one, start it once."""

    job = models.CharField(max_length=120)
    period = models.CharField(max_length=20)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="scheduled_run_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
