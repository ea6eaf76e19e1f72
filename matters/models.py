from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """One code table of categories shared by every kind of matter."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    label = models.CharField(_("label"), max_length=120)
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.label


class DayUnit(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")
    HOURS = "hours", _("hours")


class DeadlineRule(models.Model):
    """A time limit of the law, as data: what it counts from, how long, in which unit, what
    extensions it allows, where it comes from, and when it is in force.

    A matter's start date picks the row in force on that date (``effective_from`` <= date,
    and before ``effective_to`` if set). ``variant`` distinguishes lengths within one limit,
    e.g. ``complex`` or ``remote`` for the resolution of a complaint.
    """

    key = models.CharField(_("rule"), max_length=60, db_index=True)
    variant = models.CharField(_("variant"), max_length=40, default="normal")
    ref = models.CharField(_("reference"), max_length=10, blank=True)
    label = models.CharField(_("label"), max_length=250)
    event = models.CharField(_("counted from"), max_length=200)
    length = models.PositiveIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=10, choices=DayUnit.choices)
    max_extensions = models.PositiveSmallIntegerField(_("extensions allowed"), default=0)
    extension_length = models.PositiveIntegerField(_("length of each extension"), default=0)
    source = models.CharField(_("legal source"), max_length=250)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    configurable = models.BooleanField(_("setting (unconfirmed in law)"), default=False)
    note = models.TextField(_("note"), blank=True)
    # A source read from an unchecked copy (an OCR of the gazette) waits for an administrator
    # to check it against the official text; who did, when and against what stays here.
    needs_confirmation = models.BooleanField(_("source to be confirmed"), default=False)
    confirmed_at = models.DateTimeField(_("source confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("source confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmation = models.CharField(_("checked against"), max_length=300, blank=True)

    class Meta:
        ordering = ["key", "variant", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "variant", "effective_from"], name="deadline_rule_unique_period"
            )
        ]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self) -> str:
        return f"{self.key}/{self.variant} ({self.effective_from:%d/%m/%Y})"

    @property
    def unconfirmed(self) -> bool:
        return self.needs_confirmation and self.confirmed_at is None


def unit_provinces(unit_ids: Iterable[int]) -> dict[int, str]:
    """The province of each unit: its area if that is a province, else the area's province;
    "" for a unit without an area."""
    from units.models import Unit

    result = {}
    rows = Unit.objects.filter(id__in=set(unit_ids)).values_list(
        "id", "area_id", "area__kind", "area__parent_id"
    )
    for unit_id, area_id, kind, parent_id in rows:
        result[unit_id] = (
            "" if area_id is None else (area_id if kind == "province" else parent_id or "")
        )
    return result


class MatterQuerySet(models.QuerySet[Any]):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:  # type: ignore[override]
        """Fill ``owner_province`` of the rows that lack it, then create them."""
        objs = list(objs)
        missing = [m for m in objs if not m.owner_province]
        provinces = unit_provinces(m.owner_id for m in missing)
        for matter in missing:
            matter.owner_province = provinces.get(matter.owner_id, "")
        return super().bulk_create(objs, *args, **kwargs)


class Matter(models.Model):
    """The spine: anything a unit is accountable for. Kind-specific details live in
    one-to-one tables beside it (petitions, tasks, cases, ...)."""

    class Kind(models.TextChoices):
        PETITION = "petition", _("petition")
        TASK = "task", _("task")
        CASE = "case", _("case")
        REVIEW = "review", _("project review")
        CONSULTATION = "consultation", _("consultation")
        STATEMENT = "statement", _("press statement")

    class State(models.TextChoices):
        IN_TIME = "in_time", _("in time")
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")
        DONE_ON_TIME = "done_on_time", _("done on time")
        DONE_LATE = "done_late", _("done late")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    search_text = models.CharField(max_length=300, db_index=True, editable=False, default="")
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="matters"
    )
    # The area before the reform of 1 July 2025 the matter was filed under (an old code or
    # address given at intake or in a register); ``area`` is then its successor in force.
    area_before = models.ForeignKey(
        "areas.FormerArea",
        verbose_name=_("area before the reform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    province = models.CharField(max_length=2, db_index=True, editable=False, default="")
    # The province of the owner unit ("" for a unit outside every province), kept with the
    # owner (``MatterQuerySet.bulk_create``, ``Matter.save``, and a unit's change of area),
    # so that a scope of one province reads ``owner_province = …`` from an index
    # (``matters.selectors.matters_visible_to``).
    owner_province = models.CharField(max_length=2, editable=False, default="")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="matters"
    )
    owner = models.ForeignKey(
        "units.Unit", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled",
    )
    status = models.CharField(_("status"), max_length=30, db_index=True)
    is_open = models.BooleanField(default=True, db_index=True)
    opened_on = models.DateField(_("opened on"))
    # The clock: a rule, the day it counts from, extensions and suspensions.
    rule = models.ForeignKey(
        DeadlineRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clock_start = models.DateField(null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(default=0)
    extension_days = models.PositiveIntegerField(default=0)
    suspended_on = models.DateField(null=True, blank=True)
    suspended_days = models.PositiveIntegerField(default=0)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    bounces = models.PositiveIntegerField(_("bounces"), default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = MatterQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [
            # Counts by state over a scope from the index alone (no read of the wide rows):
            # every column ``state_q`` reads is in it, ``closed_on`` for done late.
            models.Index(
                fields=["owner", "is_open", "due_on", "suspended_on", "kind", "closed_on"],
                name="matter_owner_state_cover",
            ),
            models.Index(fields=["kind", "code"], name="matter_kind_code"),
            # A scope's lists in code order from the index alone (owner IN …, then the page).
            models.Index(fields=["owner", "kind", "code"], name="matter_owner_kind_code"),
            models.Index(fields=["area", "category", "opened_on"], name="matter_area_cat_day"),
            # A province's widest list in code order, walked from the index (the owner in
            # it, so that the count beside the list reads the index alone on PostgreSQL).
            models.Index(fields=["owner_province", "code", "owner"], name="matter_oprov_code"),
            # A province's open matters, the nearest deadline first (the officials' list as
            # it opens), walked from the index for a page and counted from it alone.
            models.Index(
                fields=["owner_province", "is_open", "due_on", "code", "owner"],
                name="matter_oprov_open_due",
            ),
        ]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep ``owner_province`` with the owner: looked up when the owner is new or changed."""
        if self.owner_id is not None and (
            not self.owner_province or self.owner_id != getattr(self, "_loaded_owner_id", None)
        ):
            province = unit_provinces([self.owner_id]).get(self.owner_id, "")
            update_fields = kwargs.get("update_fields")
            if province != self.owner_province and update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "owner_province"}
            self.owner_province = province
        super().save(*args, **kwargs)
        self._loaded_owner_id: int | None = self.owner_id

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> "Matter":
        matter = super().from_db(db, field_names, values, **kwargs)
        matter._loaded_owner_id = matter.__dict__.get("owner_id")
        return matter


class Participant(models.Model):
    """A unit that is not the owner but takes part: it sees the matter and may report on it."""

    class Role(models.TextChoices):
        COOPERATING = "cooperating", _("cooperating unit")
        COORDINATING = "coordinating", _("coordinating unit")
        OVERSEEING = "overseeing", _("overseeing unit")

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["matter", "unit"], name="participant_unique")
        ]
        indexes = [models.Index(fields=["unit", "matter"], name="participant_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.role} {self.matter_id}"


class Handoff(models.Model):
    """A change of owner, with its reason and legal basis."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("transfer")
        RETURN = "return", _("return")
        ESCALATION = "escalation", _("escalation")

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="handoffs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    is_bounce = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["from_unit", "is_bounce"], name="handoff_from_bounce")]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_unit_id}->{self.to_unit_id}"


class Sequence(models.Model):
    """Gapless counters for codes and document numbers: one row per (scope, year)."""

    scope = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "year"], name="sequence_unique")]

    def __str__(self) -> str:
        return f"{self.scope}/{self.year}: {self.last}"
