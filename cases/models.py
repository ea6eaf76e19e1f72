"""Complex local cases: a matter of kind ``case`` with what only cases have beside it.

A case records what happened, which unit answers for settling it, what was done and how
many people were involved. It has no field that names or profiles a person (DESIGN.md,
"What it will never hold"): ``people`` is a count, and the timeline holds actions of units.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Risk(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Case(models.Model):
    matter = models.OneToOneField(
        "matters.Matter", primary_key=True, on_delete=models.CASCADE, related_name="case"
    )
    risk = models.CharField(_("risk level"), max_length=10, choices=Risk.choices)
    people = models.PositiveIntegerField(_("people involved"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    class Meta:
        ordering = ["matter__code"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"case {self.matter_id}"


class CasePetition(models.Model):
    """A petition linked to a case, by its matter (the petitions app owns the details)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="petition_links")
    petition = models.ForeignKey("matters.Matter", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "petition"], name="case_petition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.petition_id}"


class CaseAction(models.Model):
    """One step of the timeline: what a unit involved in the case did, and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    note = models.TextField(_("action taken"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("case action")
        verbose_name_plural = _("case actions")

    def __str__(self) -> str:
        return f"{self.case_id} {self.on}"
