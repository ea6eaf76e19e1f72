"""Information to the press (Press Law 126/2025; Decrees 244/2026 and 237/2026).

A statement is a matter of kind ``statement`` owned by the unit whose duty it is, with its
details beside it. The spokesperson register says who may state the unit's official position.
Nothing here records what the press or anyone else says or thinks: only the unit's own duties.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    EVENT = "event", _("important event")
    DIVIDED_OPINION = "divided_opinion", _("divided public opinion")
    PRESS_REQUEST = "press_request", _("request from the press")
    PRESS_ANSWER = "press_answer", _("answer on the press to an issue raised by citizens")
    FORWARDED_PETITION = "forwarded_petition", _("petition forwarded by the press")
    FORWARDED_CONCLUSION = (
        "forwarded_conclusion",
        _("conclusion on a petition forwarded by the press"),
    )
    FALSE_INFORMATION = "false_information", _("reply to false information in the press")
    PERIODIC = "periodic", _("periodic information")


class Duty(models.TextChoices):
    """Periodic duties of a provincial People's Committee (Decree 244/2026 Art 6(2))."""

    MONTHLY = "monthly_information", _("monthly information to the press")
    PRESS_CONFERENCE = "press_conference", _("press conference (at least every 3 months)")


class Form(models.TextChoices):
    """The five forms of Decree 244/2026 Art 5."""

    PRESS_CONFERENCE = "press_conference", _("press conference")
    PORTAL = "portal", _("posted on the official portal or channels")
    INTERVIEW = "interview", _("statement or interview")
    WRITTEN = "written", _("press release or written answer")
    BRIEFING = "briefing", _("at a press briefing")


class Ground(models.TextChoices):
    """Legal grounds to refuse information to the press (Press Law 2025 Art 31(2), read with
    Decree 244/2026 Art 4(3); Press Law 2016 Art 38(2) before 1 July 2026)."""

    SECRET = "secret", _("state secret or other secret protected by law")
    UNDER_INVESTIGATION = "under_investigation", _("case under investigation or not yet tried")
    NO_CONCLUSION = (
        "no_conclusion",
        _("inspection, complaint or dispute without an official conclusion"),
    )
    UNPUBLISHED_DRAFT = "unpublished_draft", _("draft document not yet published")


class Status(models.TextChoices):
    OPEN = "open", _("to be given")
    DELIVERED = "delivered", _("given")
    REFUSED = "refused", _("refused with reasons")


class Spokesperson(models.Model):
    """A person who states the unit's official position (Decree 244/2026 Art 3)."""

    class Role(models.TextChoices):
        HEAD = "head", _("head of the unit")
        REGULAR = "regular", _("regular spokesperson")
        AUTHORISED = "authorised", _("authorised for a specific matter")

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="spokespersons")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    title = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("official phone"), max_length=30, blank=True)
    email = models.EmailField(_("official e-mail"), blank=True)
    decision_no = models.CharField(_("decision or authorisation number"), max_length=60, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    scope = models.TextField(_("scope of the authorisation"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    posting_rule = models.ForeignKey(
        "matters.DeadlineRule", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    posting_due_at = models.DateTimeField(_("to be posted by"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit__code", "role", "full_name"]
        verbose_name = _("spokesperson")
        verbose_name_plural = _("spokespersons")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.unit_id})"


class Statement(models.Model):
    matter = models.OneToOneField(
        "matters.Matter", on_delete=models.CASCADE, primary_key=True, related_name="statement"
    )
    trigger = models.CharField(_("occasion"), max_length=30, choices=Trigger.choices)
    duty = models.CharField(_("periodic duty"), max_length=30, choices=Duty.choices, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    # One periodic duty per unit and period, however often the job runs.
    duty_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    triggered_at = models.DateTimeField(_("since"))
    subject = models.TextField(_("subject"))
    press_agency = models.CharField(_("press agency"), max_length=200, blank=True)
    question = models.TextField(_("question or request"), blank=True)
    # Link to a petition by code only (the petitions app owns petitions).
    petition_code = models.CharField(_("petition"), max_length=40, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    rule = models.ForeignKey(
        "matters.DeadlineRule", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("given at"), null=True, blank=True, db_index=True)
    form = models.CharField(_("form"), max_length=30, choices=Form.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    speaker = models.CharField(_("speaker"), max_length=150, blank=True)
    spokesperson = models.ForeignKey(
        Spokesperson, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    speaker_registered = models.BooleanField(null=True)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    ground = models.CharField(_("ground"), max_length=30, choices=Ground.choices, blank=True)
    refusal_reason = models.TextField(_("reasons"), blank=True)
    correction_published = models.BooleanField(_("correction published"), null=True)

    class Meta:
        verbose_name = _("press statement")
        verbose_name_plural = _("press statements")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.trigger}"
