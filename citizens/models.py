"""The citizens' front door: contacts verified by a code, where public filings go (routing
rules as data), what a citizen filed online beside the petition (contact, location, photos),
their ratings and reopenings, and their requests about their own personal data.

A denouncer's contact is personal data like the rest: it is kept here (the petition itself
seals the identity in the vault) only to send the status messages, and never shown on any
public page or answer.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")


class ContactCode(models.Model):
    """A 6-digit code sent to an e-mail address or a phone number; only its keyed hash is
    kept. Valid ``CODE_MINUTES`` minutes for ``CODE_TRIES`` tries; used once."""

    kind = models.CharField(_("kind of contact"), max_length=10, choices=ContactKind.choices)
    address = models.CharField(_("contact"), max_length=254)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "address", "created_at"], name="contact_code_addr")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.pk}"


class RoutingRule(models.Model):
    """Where a public filing goes: the unit that owns petitions of ``category`` (blank: any)
    about ``area`` (a commune, or a province for all its communes). The most precise rule
    wins (commune before province, a category before any); with none, the provincial
    citizen reception office."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "matters.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("competent unit"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "category"],
                condition=models.Q(category__isnull=False),
                name="routing_rule_unique",
            ),
            models.UniqueConstraint(
                fields=["area"], condition=models.Q(category__isnull=True), name="routing_rule_any"
            ),
        ]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.area_id}/{self.category_id or '*'} -> {self.unit_id}"


class PublicFiling(models.Model):
    """What came with a petition filed online by a citizen: the contact for the status
    messages (sent only once verified by its code), the exact location, whether a proposal may appear on the public map
    (then with its point rounded to about 100 m), and when it was filed (photos may follow
    for 24 hours)."""

    petition = models.OneToOneField(
        "petitions.Petition", primary_key=True, on_delete=models.CASCADE, related_name="filing"
    )
    contact_kind = models.CharField(max_length=10, choices=ContactKind.choices)
    contact = models.CharField(max_length=254)
    # Proved by a 6-digit code. An unproved contact (Open311's clients send none) is kept
    # for the officials and sent nothing.
    contact_verified = models.BooleanField(_("contact verified"), default=False)
    public = models.BooleanField(_("shown on the public map"), default=False)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # Rounded to 3 decimals (about 100 m): the only point a public page or answer shows.
    public_lat = models.FloatField(null=True, blank=True)
    public_lon = models.FloatField(null=True, blank=True)
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["public", "public_lat", "public_lon"], name="filing_public_point")
        ]
        verbose_name = _("online filing")
        verbose_name_plural = _("online filings")

    def __str__(self) -> str:
        return str(self.petition_id)


class Photo(models.Model):
    """A photo of a public filing, re-encoded without its metadata (GPS, camera, time)."""

    filing = models.ForeignKey(PublicFiling, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="citizens/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["filing", "id"]

    def __str__(self) -> str:
        return f"{self.filing_id}#{self.pk}"


class Feedback(models.Model):
    """The citizen's rating of a closed petition (once), and whether they asked to reopen."""

    petition = models.OneToOneField(
        "petitions.Petition", on_delete=models.CASCADE, related_name="feedback"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    reopen = models.BooleanField(_("asked to reopen"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["unit", "created_at"], name="feedback_unit_day")]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.rating}"


class Reopening(models.Model):
    """A proposal reopened because the citizen said it was not resolved: counted against
    ``unit`` (its owner, which keeps it) with a new clock from ``on``."""

    petition = models.ForeignKey(
        "petitions.Petition", on_delete=models.CASCADE, related_name="reopenings"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("reopened on"))
    closed_on = models.DateField(_("closed before on"), null=True, blank=True)
    due_on = models.DateField(_("new deadline"), null=True, blank=True)

    class Meta:
        ordering = ["petition", "on"]
        indexes = [models.Index(fields=["unit", "on"], name="reopening_unit_day")]
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")

    def __str__(self) -> str:
        return f"{self.petition_id} {self.on}"


class DataRequest(models.Model):
    """A citizen's request to know what is held about them (Law 91/2025 on personal data
    protection), made with the receipt code and PIN of their petition, answered by the
    petition's owner unit within the rule's limit."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")

    code = models.CharField(_("code"), max_length=40, unique=True)
    petition = models.ForeignKey(
        "petitions.Petition", on_delete=models.CASCADE, related_name="data_requests"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        "matters.DeadlineRule", null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("due on"), null=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")

    def __str__(self) -> str:
        return self.code
