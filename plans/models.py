"""Directives, the plans that carry them out down the unit tree, their tasks and briefings.

A task is a ``matters.Matter`` of kind ``task`` (owner = lead unit); ``Task`` holds what only
tasks have, one-to-one beside it. Cooperating units and the plan's unit are
``matters.Participant`` rows, so that the one matter table answers who sees what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Directive(models.Model):
    """A document that orders work: a resolution, directive or conclusion (e.g. 32-KL/TW)."""

    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=400)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issuer"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="plans/directives/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    # The unit that registered it; only its officials may attach the file.
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issued_on"], name="directive_unique_number")
        ]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class Plan(models.Model):
    """A unit's plan to carry out a directive. Child plans of the target units hang below
    their parent plan; ``path`` holds the ids from the root plan (``/3/17/``) so a whole
    cascade is one prefix query."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.PROTECT, related_name="plans"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plans"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=400)
    issued_on = models.DateField(_("issued on"))
    briefing_due = models.DateField(_("briefing due"))
    targets = models.ManyToManyField(
        "units.Unit",
        through="PlanTarget",
        related_name="targeted_by",
        verbose_name=_("target units"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["path"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class PlanTarget(models.Model):
    """A unit that must hold a briefing on the plan and may issue its own child plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="target_rows")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="plan_target_unique")]
        indexes = [models.Index(fields=["unit", "plan"], name="plan_target_unit")]

    def __str__(self) -> str:
        return f"{self.plan_id} -> {self.unit_id}"


class Reporting(models.TextChoices):
    """The reporting duty of a task: how often the lead unit reports its progress."""

    NONE = "none", _("no periodic report")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")


class Task(models.Model):
    """What only a task has, beside its matter: the plan, the reporting duty, the weight
    in the plan's progress and the latest progress reported."""

    matter = models.OneToOneField(
        "matters.Matter", primary_key=True, on_delete=models.CASCADE, related_name="task"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    description = models.TextField(_("description"), blank=True)
    reporting = models.CharField(
        _("reporting duty"), max_length=10, choices=Reporting.choices, default=Reporting.MONTHLY
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    reported_on = models.DateField(_("last reported on"), null=True, blank=True)

    class Meta:
        ordering = ["matter__code"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"task {self.matter_id}"


class ProgressReport(models.Model):
    """One progress report on a task, by its lead unit or a cooperating unit.

    ``period`` is the reporting period it answers (``2026-03``, ``2026-Q1``, ``2026-W09``):
    by default the period that contains ``reported_on``."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    progress = models.PositiveSmallIntegerField(_("progress"))
    note = models.TextField(_("note"), blank=True)
    reported_on = models.DateField(_("reported on"))
    period = models.CharField(_("period"), max_length=10, blank=True)
    is_completion = models.BooleanField(default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reported_on", "id"]
        indexes = [
            models.Index(fields=["task", "unit", "period"], name="progress_task_unit_period")
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.task_id} {self.progress}% {self.reported_on}"


class Briefing(models.Model):
    """A target unit's conference to brief its officials on a plan (hội nghị quán triệt).

    ``attendees`` is a count; ``chair`` is the office of whoever chaired it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="briefings")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    attendees = models.PositiveIntegerField(_("attendees"))
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(_("minutes file"), upload_to="plans/minutes/", blank=True)
    minutes_name = models.CharField(max_length=200, blank=True)
    minutes_type = models.CharField(max_length=100, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="briefing_one_per_unit")
        ]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self) -> str:
        return f"briefing {self.plan_id}/{self.unit_id} {self.held_on}"
