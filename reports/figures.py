"""The figures that go into documents, computed from the matter table and the petitions and
plans apps. These are reads for a unit and everything below it (the unit's own report
covers its subordinate units, as the inspectorate's reporting asks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from matters.models import Category, Matter
from units.models import Unit
from units.selectors import subtree_ids

PETITION_KINDS = [
    ("complaint", "Khiếu nại"),
    ("denunciation", "Tố cáo"),
    ("proposal", "Kiến nghị, phản ánh"),
]
# Closing statuses that are a resolution on the merits; the others are processing outcomes.
RESOLVED = "resolved"


def _has_table(name: str) -> bool:
    from reports.selectors import has_table

    return has_table(name)


def petitions_app_ready() -> bool:
    """The petitions app's tables exist (it lands beside this one)."""
    try:
        from petitions.models import Petition
    except ImportError:
        return False
    return _has_table(Petition._meta.db_table)


@dataclass
class Row:
    label: str
    carried: int = 0
    received: int = 0
    processed: int = 0
    accepted: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    pending: int = 0
    overdue: int = 0

    def cells(self) -> list[Any]:
        return [
            self.label,
            self.carried,
            self.received,
            self.processed,
            self.accepted,
            self.resolved_on_time,
            self.resolved_late,
            self.pending,
        ]

    def add(self, other: Row) -> None:
        for name in (
            "carried",
            "received",
            "processed",
            "accepted",
            "resolved_on_time",
            "resolved_late",
            "pending",
            "overdue",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class PetitionFigures:
    start: date
    end: date
    by_kind: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row("Tổng cộng"))
    sessions: int = 0
    ad_hoc_sessions: int = 0
    visits: int = 0
    people: int = 0
    group_visits: int = 0
    reception_known: bool = False
    worst_units: list[tuple[str, int]] = field(default_factory=list)


def _petition_matters(unit: Unit) -> QuerySet[Matter]:
    return Matter.objects.filter(kind=Matter.Kind.PETITION, owner_id__in=subtree_ids(unit))


def period_conditions(start: date, end: date, with_petitions: bool = True) -> dict[str, Q]:
    """The conditions behind the period's figures, shared with the public statistics so
    that both count the same matters: received in the period, resolved (on the merits) in
    it on time or late, carried in, pending at its end, and pending past their due date."""
    late = Q(due_on__isnull=False, closed_on__gt=F("due_on"))
    closed_in = Q(is_open=False, closed_on__gte=start, closed_on__lte=end)
    resolved = Q(status=RESOLVED) if with_petitions else Q()
    open_at_end = Q(opened_on__lte=end) & (Q(is_open=True) | Q(closed_on__gt=end))
    return {
        "carried": Q(opened_on__lt=start) & (Q(is_open=True) | Q(closed_on__gte=start)),
        "received": Q(opened_on__gte=start, opened_on__lte=end),
        "resolved_on_time": closed_in & resolved & ~late,
        "resolved_late": closed_in & resolved & late,
        "pending": open_at_end,
        "overdue": open_at_end & Q(due_on__lt=end),
    }


def _aggregate(
    qs: QuerySet[Matter], start: date, end: date, with_petitions: bool
) -> dict[str, Any]:
    closed_in = Q(is_open=False, closed_on__gte=start, closed_on__lte=end)
    aggregates: dict[str, Any] = {
        name: Count("id", filter=condition)
        for name, condition in period_conditions(start, end, with_petitions).items()
    }
    if with_petitions:
        in_scope = Q(opened_on__lte=end) & (Q(is_open=True) | Q(closed_on__gte=start))
        aggregates["processed"] = Count(
            "id",
            filter=in_scope
            & ~Q(petition__intake_decision="")
            & Q(petition__intake_decision__isnull=False),
        )
        aggregates["accepted"] = Count(
            "id", filter=Q(petition__accepted_on__gte=start, petition__accepted_on__lte=end)
        )
    else:
        aggregates["processed"] = Count("id", filter=closed_in)
        aggregates["accepted"] = Count("id", filter=Q(status="accepted"))
    return aggregates


def petition_figures(unit: Unit, start: date, end: date) -> PetitionFigures:
    """Received, processed, accepted, resolved on time and late, pending at the end of the
    period, by kind of petition and by category, plus the citizen reception counts."""
    figures = PetitionFigures(start=start, end=end)
    with_petitions = petitions_app_ready()
    qs = _petition_matters(unit)
    aggregates = _aggregate(qs, start, end, with_petitions)
    if with_petitions:
        kind_rows: list[Any] = list(qs.values("petition__kind").annotate(**aggregates))
        kinds: dict[str | None, dict[str, Any]] = {
            row.pop("petition__kind"): row for row in kind_rows
        }
        for code, label in PETITION_KINDS:
            figures.by_kind.append(Row(label, **kinds.get(code, {})))
        unclassified = kinds.get(None)
        if unclassified and any(unclassified.values()):
            figures.by_kind.append(Row("Chưa phân loại", **unclassified))
    else:
        whole = qs.aggregate(**aggregates)
        figures.by_kind.append(Row("Đơn thư", **whole))
    for row in figures.by_kind:
        figures.total.add(row)
    labels = dict(Category.objects.values_list("code", "label"))
    category_rows: list[Any] = list(qs.values("category_id").annotate(**aggregates))
    by_category = {row.pop("category_id"): row for row in category_rows}
    for code, values in sorted(
        by_category.items(), key=lambda kv: -(kv[1]["received"] + kv[1]["carried"])
    ):
        if any(values.values()):
            figures.by_category.append(Row(labels.get(code, code), **values))
    worst = (
        qs.filter(is_open=True, due_on__lt=end)
        .values("owner__name")
        .annotate(n=Count("id"))
        .order_by("-n", "owner__name")[:5]
    )
    figures.worst_units = [(row["owner__name"], row["n"]) for row in worst]
    if with_petitions:
        _reception(figures, unit, start, end)
    return figures


def _reception(figures: PetitionFigures, unit: Unit, start: date, end: date) -> None:
    from petitions.models import GROUP_VISIT_MIN, ReceptionSession, Visit

    if not _has_table(ReceptionSession._meta.db_table):
        return
    units = subtree_ids(unit)
    sessions = ReceptionSession.objects.filter(
        unit_id__in=units, held_on__gte=start, held_on__lte=end
    )
    figures.sessions = sessions.count()
    figures.ad_hoc_sessions = sessions.filter(kind="ad_hoc").count()
    visits = Visit.objects.filter(unit_id__in=units, visited_on__gte=start, visited_on__lte=end)
    totals = visits.aggregate(
        n=Count("id"),
        n_people=Sum("people"),
        groups=Count("id", filter=Q(people__gte=GROUP_VISIT_MIN)),
    )
    figures.visits = totals["n"] or 0
    figures.people = totals["n_people"] or 0
    figures.group_visits = totals["groups"] or 0
    figures.reception_known = True
