from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A body that can own work. Units form a tree; ``path`` holds the ids from the root
    (``/1/5/23/``) so that "this unit and everything below it" is one indexed prefix query."""

    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party committee")
        PEOPLES_COMMITTEE = "peoples_committee", _("People's committee")
        DEPARTMENT = "department", _("Department")
        POLICE = "police", _("Police")
        MILITARY = "military", _("Military command")
        INSPECTORATE = "inspectorate", _("Inspectorate")
        RECEPTION_OFFICE = "reception_office", _("Citizen reception office")

    code = models.CharField(_("unit code"), max_length=40, unique=True)
    name = models.CharField(_("unit name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area governed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    head = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_unit",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # A unit abolished or merged (district people's committees and merged departments on
    # 1 July 2025) is kept, closed, with the unit that took over its duties.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    search_name = models.CharField(max_length=200, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("unit")

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, this unit included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]
