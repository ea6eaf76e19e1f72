"""A petition's details beside its matter, its petitioners, the clock's history, the intake
idempotency records and citizen reception (sessions and visits).

A denouncer's identity never lands in these tables: it goes to the vault (``Petition.vault_ref``
holds the pseudonymous reference) or, without a vault, nowhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    DENUNCIATION = "denunciation", _("denunciation")
    PROPOSAL = "proposal", _("proposal")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    POST = "post", _("post")
    ONLINE = "online", _("online")
    FORWARDED = "forwarded", _("forwarded")


class Complexity(models.TextChoices):
    NORMAL = "normal", _("normal")
    COMPLEX = "complex", _("complex")
    ESPECIALLY_COMPLEX = "especially_complex", _("especially complex")


class Status(models.TextChoices):
    """The petition's stage, kept in ``Matter.status``."""

    RECEIVED = "received", _("received, being processed")
    ACCEPTED = "accepted", _("accepted")
    SUSPENDED = "suspended", _("suspended")
    RESOLVED = "resolved", _("resolved")
    REFUSED = "refused", _("refused")
    GUIDED = "guided", _("guided elsewhere")
    FILED = "filed", _("filed away")
    WITHDRAWN = "withdrawn", _("withdrawn")
    DISCONTINUED = "discontinued", _("discontinued")


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.SUSPENDED)
# A group visit (đoàn đông người) from five people, the multi-signer class of TT 07/2014 Art. 6.
GROUP_VISIT_MIN = 5


class IntakeDecision(models.TextChoices):
    ACCEPT = "accept", _("accept")
    REFUSE = "refuse", _("refuse")
    TRANSFER = "transfer", _("transfer")
    GUIDE = "guide", _("guide")
    FILE_AWAY = "file_away", _("file away")


class RefusalGround(models.TextChoices):
    """Art. 11 of the Law on Complaints 2011: complaints that are not accepted."""

    INTERNAL_ACT = (
        "internal_act",
        _("Internal, directive, normative or state-secret decision or act (LKN Art. 11(1))"),
    )
    NOT_AFFECTED = "not_affected", _("Does not directly affect the complainant (LKN Art. 11(2))")
    INCAPACITATED = (
        "incapacitated",
        _("Complainant without legal capacity and no lawful representative (LKN Art. 11(3))"),
    )
    UNLAWFUL_REPRESENTATIVE = (
        "unlawful_representative",
        _("Representative not lawful (LKN Art. 11(4))"),
    )
    UNSIGNED = "unsigned", _("Petition not signed (LKN Art. 11(5))")
    TIME_BAR = "time_bar", _("Time bar expired without good reason (LKN Art. 11(6))")
    SECOND_DECISION_EXISTS = (
        "second_decision_exists",
        _("A second-instance decision already exists (LKN Art. 11(7))"),
    )
    AFTER_DISCONTINUANCE = (
        "after_discontinuance",
        _("More than 30 days after a notice of discontinuance (LKN Art. 11(8))"),
    )
    COURT_SEIZED = "court_seized", _("A court has accepted or decided the matter (LKN Art. 11(9))")
    OTHER = "other", _("Other ground stated in the reason")


class Petition(models.Model):
    """The petition-specific half of a matter of kind ``petition``."""

    matter = models.OneToOneField(
        "matters.Matter", primary_key=True, on_delete=models.CASCADE, related_name="petition"
    )
    kind = models.CharField(_("kind of petition"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    summary = models.CharField(_("summary"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    # sha256 of the folded content: identical petitions found with one indexed lookup.
    content_key = models.CharField(max_length=64, db_index=True, editable=False, default="")
    signers = models.PositiveIntegerField(_("signers"), default=1)
    representative = models.CharField(_("representative"), max_length=150, blank=True)
    instance = models.PositiveSmallIntegerField(_("instance"), default=1)
    first_instance = models.ForeignKey(
        "self",
        verbose_name=_("first instance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="second_instances",
    )
    disciplinary = models.BooleanField(_("disciplinary complaint by an official"), default=False)
    complexity = models.CharField(
        _("complexity"), max_length=20, choices=Complexity.choices, default=Complexity.NORMAL
    )
    remote = models.BooleanField(_("remote or hard-to-reach area"), default=False)
    # The processing clock (set at intake or on transfer) stays on record after accept.
    processing_rule = models.ForeignKey(
        "matters.DeadlineRule", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    processing_due_on = models.DateField(_("processing deadline"), null=True, blank=True)
    intake_decision = models.CharField(
        _("intake decision"), max_length=20, choices=IntakeDecision.choices, blank=True
    )
    intake_grounds = models.TextField(_("grounds of the intake decision"), blank=True)
    refusal_ground = models.CharField(
        _("refusal ground"), max_length=30, choices=RefusalGround.choices, blank=True
    )
    guided_to = models.CharField(_("guided to"), max_length=300, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=60, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    sealed = models.BooleanField(_("identity sealed"), default=False)
    vault_ref = models.CharField(max_length=80, blank=True)
    receipt_pin_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "received_on"], name="petition_kind_received"),
            # Lists filtered by kind read it from the index, not from the wide petition row.
            models.Index(fields=["matter", "kind"], name="petition_matter_kind"),
        ]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.kind}"

    @property
    def is_complaint(self) -> bool:
        return self.kind == Kind.COMPLAINT

    @property
    def is_denunciation(self) -> bool:
        return self.kind == Kind.DENUNCIATION


class Petitioner(models.Model):
    """A complainant or proposer (never a denouncer: those are sealed in the vault)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners")
    position = models.PositiveSmallIntegerField(default=1)
    full_name = models.CharField(_("full name"), max_length=150)
    id_number = models.CharField(_("ID number"), max_length=12, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_representative = models.BooleanField(_("representative"), default=False)

    class Meta:
        ordering = ["petition", "position"]
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")

    def __str__(self) -> str:
        return self.full_name


class PetitionerKey(models.Model):
    """A keyed hash (HMAC) of a petitioner's ID number, to find the same person's petitions
    across units without comparing numbers in clear."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "key"], name="petitioner_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}:{self.key[:8]}"


class Extension(models.Model):
    """One extension of the resolution deadline, by written decision."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="extension_log")
    on = models.DateField(_("extended on"))
    days = models.PositiveIntegerField(_("days added"))
    decision_no = models.CharField(_("decision number"), max_length=60)
    reason = models.TextField(_("reason"))
    complexity = models.CharField(max_length=20, choices=Complexity.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["petition", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id} +{self.days}"


class Suspension(models.Model):
    """A period in which the clock stood still (tạm đình chỉ)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="suspension_log")
    on = models.DateField(_("suspended on"))
    resumed_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["petition", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.on}..{self.resumed_on}"

    @property
    def days(self) -> int | None:
        return (self.resumed_on - self.on).days if self.resumed_on else None


class IdempotencyRecord(models.Model):
    """An intake request seen before: its key (per official), the hash of its body and the
    answer it got, so a retry gets the same answer and a different body under the same key
    is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class ReceptionDuty(models.Model):
    """How often the head of a kind of unit must receive citizens in person (LTCD 2013), as
    data: the administrator may change it when the 2026 decrees are confirmed."""

    class Level(models.TextChoices):
        COMMUNE = "commune", _("commune")
        PROVINCE = "province", _("province")
        ANY = "any", _("any level")

    class Per(models.TextChoices):
        WEEK = "week", _("week")
        MONTH = "month", _("month")

    unit_kind = models.CharField(_("kind of unit"), max_length=30)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    minimum = models.PositiveSmallIntegerField(_("minimum sessions"))
    per = models.CharField(_("per"), max_length=10, choices=Per.choices)
    source = models.CharField(_("legal source"), max_length=200)
    configurable = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_kind", "level"], name="reception_duty_unique")
        ]
        ordering = ["unit_kind", "level"]

    def __str__(self) -> str:
        return f"{self.unit_kind}/{self.level}: {self.minimum}/{self.per}"


class ReceptionSession(models.Model):
    """A head's reception day (regular, or ad hoc for a heated case)."""

    class SessionKind(models.TextChoices):
        REGULAR = "regular", _("regular")
        AD_HOC = "ad_hoc", _("ad hoc")

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("receiving head"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    kind = models.CharField(
        _("kind of session"), max_length=10, choices=SessionKind.choices, default="regular"
    )
    note = models.TextField(_("conclusions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "held_on"], name="reception_unit_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.held_on}"


class Visit(models.Model):
    """One entry of the reception book (LTCD Art. 25(2); form 06-TCD): a person or a group.

    For a denunciation the visitor's identity goes to the vault like the petition's; the
    book keeps only the pseudonymous reference.
    """

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        ReceptionSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    number = models.PositiveIntegerField(_("no."))
    visited_on = models.DateField(_("date of reception"))
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    id_document = models.CharField(_("ID or authorisation document"), max_length=100, blank=True)
    content = models.TextField(_("content"))
    prior_handling = models.TextField(_("handled before by"), blank=True)
    request = models.TextField(_("request"), blank=True)
    handling = models.TextField(_("handling"), blank=True)
    people = models.PositiveIntegerField(_("number of people"), default=1)
    result = models.TextField(_("result of the reception"), blank=True)
    sealed = models.BooleanField(default=False)
    vault_ref = models.CharField(max_length=80, blank=True)
    petition = models.ForeignKey(
        Petition, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-visited_on", "-number"]
        indexes = [models.Index(fields=["unit", "visited_on"], name="visit_unit_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} #{self.number}"

    @property
    def is_group(self) -> bool:
        return self.people >= GROUP_VISIT_MIN


class Document(models.Model):
    """A document of a petition's handling (a decision, a notice, a conclusion), stored under
    MEDIA_ROOT and served only through a view that checks access. Its type is recognised by
    its first bytes, never by the name or type the browser sends."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="petitions/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["petition", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
