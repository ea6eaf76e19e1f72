"""The vault: sealed denouncer identities and sealed attachments, in their own database
(``config.routers`` sends this app to the ``vault`` alias). Nothing here is readable
without the keyring; nothing outside this database holds what these records hold."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SealedRecord(models.Model):
    """One encrypted record bound to its petition.

    ``ref`` is the pseudonymous reference the petition keeps (for an identity) or the
    attachment's handle. The associated data of both the ciphertext and the wrapped data key
    is ``ref | petition_code | kind``, so a record copied onto another row does not open.
    """

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("sealed identity")
        ATTACHMENT = "attachment", _("sealed attachment")

    ref = models.CharField(max_length=40, unique=True)
    petition_code = models.CharField(max_length=40, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key_id = models.CharField(max_length=40, db_index=True)
    wrapped_key = models.BinaryField()
    nonce = models.BinaryField()
    ciphertext = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["petition_code", "kind"], name="vault_record_petition")]
        verbose_name = _("sealed record")
        verbose_name_plural = _("sealed records")

    def __str__(self) -> str:
        return f"{self.kind} {self.ref}"

    @property
    def aad(self) -> bytes:
        return f"dutdiem/vault/v1|{self.ref}|{self.petition_code}|{self.kind}".encode()


class BlindIndex(models.Model):
    """HMAC digests of petitioners' ID numbers, so that petitions by the same person are
    found across units without decrypting anything.

    ``sealed`` separates denouncers' IDs from the others: a sealed ID is only ever matched
    against sealed IDs, because linking a denunciation to a complaint that names its author
    would reveal the denouncer.
    """

    digest = models.CharField(max_length=64)
    petition_code = models.CharField(max_length=40, db_index=True)
    sealed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "petition_code"], name="vault_blind_index_unique"
            )
        ]
        indexes = [models.Index(fields=["digest", "sealed"], name="vault_blind_digest")]
        verbose_name = _("blind index entry")
        verbose_name_plural = _("blind index entries")

    def __str__(self) -> str:
        return f"{self.digest[:8]}… {self.petition_code}"


class AuditAnchor(models.Model):
    """The audit chain's tip as last anchored here (``audit.anchors``): kept in the vault's
    database so that whoever can rewrite the main database cannot also rewind this copy.
    Holds no personal data: a sequence number, a hash and a MAC."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    keyed_from = models.BigIntegerField()
    key_id = models.CharField(max_length=20)
    mac = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")

    def __str__(self) -> str:
        return f"audit anchor {self.seq}"
