from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

# The reform of 1 July 2025 (Resolutions 202/2025/QH15 and the Standing Committee's
# resolutions on communes): 63 provinces became 34, districts were abolished, about 10,000
# communes became 3,321. Areas before it end the day before.
REFORM_DATE = date(2025, 7, 1)
BEFORE_REFORM = date(2025, 6, 30)


class Area(models.Model):
    """A province or a commune in force, addressed by its official code (string,
    zero-padded). Every matter, unit and alert points here; the areas before the reform of
    1 July 2025 live in :class:`FormerArea` and lead here through :class:`Succession`."""

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
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    # An area retired by a later reform keeps its row (matters point at it) and gets a date.
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    # Not a column: the former area a code or address given for this area was resolved
    # from (``areas.services.area_for_matter``), so that a new matter keeps it.
    before: "FormerArea | None" = None

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("area")

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code if self.kind == self.Kind.PROVINCE else (self.parent_id or "")


class FormerArea(models.Model):
    """A province, district or commune as it was until a reform (official code of the
    General Statistics Office at the time). Kept for history: matters filed under it, old
    addresses and registers, reports by the old units. Its codes may equal codes in force
    (a new province or commune often took the code of one of the units it was made of), so
    it has its own key and ``(code, valid_to)`` is unique."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")
        COMMUNE = "commune", _("commune")

    code = models.CharField(_("code"), max_length=5)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("level"), max_length=10, choices=Kind.choices)
    division_type = models.CharField(_("division type"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province_code = models.CharField(max_length=2, db_index=True)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    valid_to = models.DateField(_("in force until"))
    successors = models.ManyToManyField(
        Area, through="Succession", related_name="predecessors", verbose_name=_("successors")
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_to"], name="former_area_code_until")
        ]
        verbose_name = _("former area")
        verbose_name_plural = _("former areas")

    def __str__(self) -> str:
        return self.name


class Succession(models.Model):
    """The official conversion: a former area went (wholly or in part) into an area in
    force. A former commune split across several communes has several rows; ``share`` is
    the part of its history carried to each (the rows of one former area sum to 1), and
    ``is_default`` marks the one its matters are filed under when nobody can choose."""

    former = models.ForeignKey(FormerArea, on_delete=models.CASCADE, related_name="succession")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="succession")
    share = models.FloatField(_("share"), default=1.0)
    whole = models.BooleanField(_("went in whole"), default=True)
    is_default = models.BooleanField(_("default successor"), default=False)

    class Meta:
        ordering = ["former_id", "-is_default", "area_id"]
        constraints = [models.UniqueConstraint(fields=["former", "area"], name="succession_unique")]
        verbose_name = _("succession")
        verbose_name_plural = _("successions")

    def __str__(self) -> str:
        return f"{self.former_id} -> {self.area_id} ({self.share:.2f})"
