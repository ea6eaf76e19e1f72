"""A project review (an investment dossier that needs defence and security opinions) and its
consultations, each beside its own matter.

The review is a matter of kind ``review`` owned by the registration agency (the Department of
Finance or a zone board); every consultation is a matter of kind ``consultation`` owned by the
consulted unit, with its own clock (LAW-REVIEWS-PRESS.md A1).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Procedure(models.TextChoices):
    """Which procedure of Decree 96/2026 the dossier follows; picks the rule variant."""

    PROVINCE = "province", _("Investment policy approved by the provincial chairman")
    ZONE = "zone", _("Industrial or economic zone board")
    INVESTOR = "investor_approval", _("Approval of the investor")
    PM = "pm", _("Project approved by the Prime Minister")
    FOREIGN_CAPITAL = "foreign_capital", _("Foreign capital contribution or share purchase")


class Flag(models.TextChoices):
    """Why the site matters for defence and security (Decree 96/2026 Art 2(7)-(8))."""

    ISLAND = "island", _("island")
    BORDER = "border", _("border commune")
    COASTAL = "coastal", _("coastal commune")
    DEFENCE_ZONE = "defence_zone", _("defence zone or its protection belt")
    OTHER_SENSITIVE = "other_sensitive", _("other area sensitive for defence and security")


class Law(models.TextChoices):
    """The law a dossier is handled under, fixed by the day it was received."""

    LAW_2020 = "law_2020", _("Law on Investment 61/2020 (dossier received before 01/03/2026)")
    LAW_2025 = "law_2025", _("Law on Investment 143/2025 and Decree 96/2026")


class Stage(models.TextChoices):
    """The review's stage, kept in ``Matter.status``."""

    CHECKING = "checking", _("validity check")
    CORRECTING = "correcting", _("waiting for the investor's corrections")
    APPRAISING = "appraising", _("consultation and appraisal")
    REPORTED = "reported", _("report sent for decision")
    APPROVED = "approved", pgettext_lazy("review decision", "approved")
    REFUSED = "refused", pgettext_lazy("review decision", "refused")


class Opinion(models.TextChoices):
    AGREE = "agree", _("agree")
    DISAGREE = "disagree", _("disagree")
    AGREE_WITH_CONDITIONS = "agree_with_conditions", _("agree with conditions")


class ConsultationStatus(models.TextChoices):
    """A consultation's status, kept in ``Matter.status``."""

    AWAITING = "awaiting_answer", _("awaiting answer")
    ANSWERED = "answered", _("answered")
    DEEMED_CONSENT = "deemed_consent", _("deemed consent")


class Review(models.Model):
    matter = models.OneToOneField(
        "matters.Matter", on_delete=models.CASCADE, primary_key=True, related_name="review"
    )
    project = models.CharField(_("project"), max_length=300)
    investor = models.CharField(_("investor"), max_length=300)
    nationality = models.CharField(_("nationality"), max_length=100, blank=True)
    foreign_share = models.DecimalField(
        _("foreign ownership (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices)
    law = models.CharField(_("law applied"), max_length=10, choices=Law.choices)
    flags = models.JSONField(_("sensitive area flags"), default=list, blank=True)
    # flag -> the document that makes the site sensitive (decision of the ministry, plan ...)
    flag_documents = models.JSONField(_("documents behind the flags"), default=dict, blank=True)
    land_type = models.CharField(_("land type"), max_length=200, blank=True)
    land_area_m2 = models.DecimalField(
        _("land area (m²)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    lease_years = models.PositiveSmallIntegerField(_("lease term (years)"), null=True, blank=True)
    # The project site, where known; the map falls back to the area's own coordinates.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    valid_on = models.DateField(_("valid dossier on"), null=True, blank=True)
    # At most one written request for corrections (Decree 96/2026 Art 6(1)(d)).
    corrections_requested_on = models.DateField(null=True, blank=True)
    corrections_note = models.TextField(blank=True)
    corrections_received_on = models.DateField(null=True, blank=True)
    # The clocks of the registration agency and the decision maker.
    send_due_on = models.DateField(null=True, blank=True)
    report_due_on = models.DateField(null=True, blank=True)
    report_sent_on = models.DateField(_("appraisal report sent on"), null=True, blank=True)
    report_note = models.TextField(blank=True)
    decision_due_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("project review")
        verbose_name_plural = _("project reviews")

    def __str__(self) -> str:
        return self.project

    @property
    def sensitive(self) -> bool:
        return bool(self.flags)


class Consultation(models.Model):
    matter = models.OneToOneField(
        "matters.Matter", on_delete=models.CASCADE, primary_key=True, related_name="consultation"
    )
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="consultations")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("sent on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    opinion = models.CharField(_("opinion"), max_length=30, choices=Opinion.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    late = models.BooleanField(_("answered late"), default=False)
    deemed_on = models.DateField(_("deemed consent from"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "unit"], name="consultation_one_per_unit")
        ]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.unit_id}"
