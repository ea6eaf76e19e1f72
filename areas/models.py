from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A province or a commune, addressed by its official code (string, zero-padded)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        COMMUNE = "commune", _("commune")

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("level"), max_length=10, choices=Kind.choices)
    division_type = models.CharField(_("division type"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    # Codes from before the 1 July 2025 reform stay valid for matters filed under them.
    valid_to = models.DateField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("area")

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code if self.kind == self.Kind.PROVINCE else (self.parent_id or "")
