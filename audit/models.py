from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained log.

    ``hash`` = HMAC-SHA256 under the audit key (``audit.keys``) over the previous entry's hash
    and this entry's canonical JSON, so an edited, deleted or reordered entry breaks the chain
    from that point on, and no one without the key can recompute it. Entries before the
    head's ``keyed_from`` (written before the key existed) use plain SHA-256. Triggers refuse
    UPDATE, DELETE and (PostgreSQL) TRUNCATE of these rows (``audit.guard``).
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
    """A single row holding the chain's tip; locking it serialises appends.

    ``keyed_from`` is the first entry hashed with the key: 1 for a chain begun with a key,
    the next entry after the upgrade for an older chain (migration 0003). It never changes
    afterwards, and every anchor holds it under the key's MAC, so moving it is seen.
    ``key_id`` is the fingerprint of the key that wrote the last entry."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    keyed_from = models.BigIntegerField(default=1)
    key_id = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"audit head {self.last_seq}"
