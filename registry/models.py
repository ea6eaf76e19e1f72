"""The petition register around the petitions app: the duplicate finder's index and the
duplicate groups, imports from Excel registers, and the throttle of public tracking."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContentBand(models.Model):
    """One LSH band of a petition's content (``registry.dedupe``): petitions sharing a band
    are candidates for near-identical content."""

    matter = models.ForeignKey("matters.Matter", on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key", "matter"], name="registry_band_key")]

    def __str__(self) -> str:
        return f"{self.matter_id}:{self.key}"


class DuplicateLink(models.Model):
    """A petition recorded as a duplicate of an original. The original of a group is never
    itself linked: linking to a member links to that member's original (groups stay flat)."""

    matter = models.OneToOneField(
        "matters.Matter", primary_key=True, on_delete=models.CASCADE, related_name="duplicate_link"
    )
    original = models.ForeignKey(
        "matters.Matter", on_delete=models.PROTECT, related_name="duplicate_members"
    )
    reason = models.CharField(_("note"), max_length=300, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("duplicate link")
        verbose_name_plural = _("duplicate links")

    def __str__(self) -> str:
        return f"{self.matter_id} -> {self.original_id}"


class ImportBatch(models.Model):
    """One import of a petition register (an .xlsx file) into a unit."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to start")
        READING = "reading", _("reading and checking the rows")
        SAVING = "saving", _("saving the petitions")
        DONE = "done", _("imported")
        REFUSED = "refused", _("not imported")
        FAILED = "failed", _("stopped by an error")

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    file_hash = models.CharField(max_length=64, db_index=True)
    valid_only = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(default=0)
    checked = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return f"import {self.pk} {self.file_name} {self.status}"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.REFUSED, self.Status.FAILED):
            return 100
        return int(90 * self.checked / self.rows) if self.rows else 0


class ImportedPetition(models.Model):
    """Which row of which import made a petition. The row's fingerprint is unique per unit,
    so an import run again (after an interruption, or the same file twice) adds nothing
    that is already there."""

    matter = models.OneToOneField(
        "matters.Matter", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="petitions")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    row = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "fingerprint"], name="registry_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row}"


class PublicThrottle(models.Model):
    """Counts of public lookups per address (or per petition) and time window, kept in the
    database so that every web process shares them."""

    scope = models.CharField(max_length=20)
    key = models.CharField(max_length=100)
    window = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window"], name="registry_throttle")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}@{self.window}={self.hits}"
