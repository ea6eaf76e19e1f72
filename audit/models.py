from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained log.

    ``hash`` = SHA-256 over the previous entry's hash and this entry's canonical JSON, so an
    edited, deleted or reordered entry breaks the chain from that point on. On both SQLite
    and PostgreSQL a trigger refuses UPDATE and DELETE of these rows.
    """

    seq = models.BigIntegerField(_("sequence"), primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    matter = models.CharField(_("matter"), max_length=40, blank=True, db_index=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.matter}"


class AuditHead(models.Model):
    """A single row holding the chain's tip; locking it serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head {self.last_seq}"
