"""What leaves the system, written in the same transaction as the change that caused it and
delivered afterwards by the job worker (``outbox.services``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Message(models.Model):
    """One message to one gateway (a channel): a record for the national database, an
    e-mail, an SMS.

    ``key`` makes a put idempotent per channel (a second put with the same key is ignored).
    Messages with the same non-empty ``order_key`` are delivered one after the other in the
    order they were written: a message waits while an earlier one of its key is unsent,
    including a dead one, until an administrator requeues or discards that one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outbox", "waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        DEAD = "dead", _("given up")
        DISCARDED = "discarded", _("discarded")

    channel = models.CharField(pgettext_lazy("outbox", "channel"), max_length=40)
    key = models.CharField(_("key"), max_length=200)
    order_key = models.CharField(_("order key"), max_length=200, blank=True, default="")
    payload = models.JSONField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    # Which worker's claim this is: its results are written only while the claim is its own.
    claim = models.CharField(max_length=32, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    receipt = models.CharField(_("receipt"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="outbox_channel_key"),
        ]
        indexes = [
            # The claim: unsent messages by due time (a small partial index on PostgreSQL
            # and SQLite: sent messages, the bulk of the table, are not in it).
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_unsent_due",
                condition=Q(status__in=["pending", "sending"]),
            ),
            # "Is an earlier message of this order key unsent?"
            models.Index(fields=["channel", "order_key", "id"], name="outbox_order"),
            models.Index(fields=["channel", "status", "sent_at"], name="outbox_channel_status"),
        ]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self) -> str:
        return f"{self.channel}:{self.key} ({self.status})"
