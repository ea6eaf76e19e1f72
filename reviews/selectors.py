"""Reads of reviews and consultations that depend on who asks.

A review is visible by the matter rules (its owner, the units above it, its handler). A
consulted unit is not a participant of the review: it sees its own consultation and nothing
else of the dossier but the summary it needs to answer. The registration agency takes part in
every consultation it sends, so it sees them, but only the consulted unit may answer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from areas.models import Area
from matters.models import Matter
from matters.records import get_record_for_user
from matters.selectors import filter_matters, matters_visible_to, state_q
from reviews.models import Consultation, ConsultationStatus, Review
from units.models import Unit
from units.selectors import subtree_ids

MANDATORY_KINDS = (Unit.Kind.MILITARY, Unit.Kind.POLICE)


def get_review_for_user(user: Any, code: str) -> Review:
    return get_record_for_user(user, code, Matter.Kind.REVIEW, Review.objects.all())


def get_consultation_for_user(user: Any, code: str) -> Consultation:
    records = Consultation.objects.select_related(
        "review__matter__area", "review__matter__owner", "unit"
    )
    return get_record_for_user(user, code, Matter.Kind.CONSULTATION, records)


def review_list_for_user(
    user: Any,
    *,
    today: date,
    state: str | None = None,
    owner: str | None = None,
    area: str | None = None,
    sensitive: bool | None = None,
    query: str | None = None,
) -> QuerySet[Review]:
    matters = filter_matters(
        matters_visible_to(user).filter(kind=Matter.Kind.REVIEW),
        today=today,
        state=state,
        owner=owner,
        area=area,
        query=query,
    )
    qs = Review.objects.filter(matter__in=matters).select_related(
        "matter__owner", "matter__area", "matter__handler", "matter__rule"
    )
    if sensitive is True:
        qs = qs.exclude(flags=[])
    elif sensitive is False:
        qs = qs.filter(flags=[])
    return qs.order_by("matter__code")


def consultation_list_for_user(
    user: Any,
    *,
    today: date,
    unit: str | None = None,
    status: str | None = None,
    review: str | None = None,
) -> QuerySet[Consultation]:
    matters = matters_visible_to(user).filter(kind=Matter.Kind.CONSULTATION)
    if unit:
        matters = matters.filter(owner__code=unit)
    qs = Consultation.objects.filter(matter__in=matters).select_related(
        "matter__owner",
        "matter__area",
        "matter__rule",
        "review__matter__area",
        "review__matter__owner",
        "unit",
    )
    if review:
        qs = qs.filter(review__matter__code=review)
    if status == ConsultationStatus.DEEMED_CONSENT:
        qs = qs.filter(deemed_q(today))
    elif status == ConsultationStatus.AWAITING:
        qs = qs.filter(matter__status=ConsultationStatus.AWAITING, matter__due_on__gte=today)
    elif status == ConsultationStatus.ANSWERED:
        qs = qs.filter(matter__status=ConsultationStatus.ANSWERED)
    return qs.order_by("matter__code")


def deemed_q(today: date, prefix: str = "matter__") -> Q:
    """Consultations whose consent is deemed as of ``today``: recorded by the job, or past
    their due day and not answered (the job has not run yet)."""
    return Q(**{f"{prefix}status": ConsultationStatus.DEEMED_CONSENT}) | Q(
        **{f"{prefix}status": ConsultationStatus.AWAITING, f"{prefix}due_on__lt": today}
    )


def proposed_units(review: Review) -> list[dict[str, Any]]:
    """Units the registration agency should consult: the provincial military command and
    police (mandatory for a sensitive site or a foreign capital contribution), and the
    People's Committee of the commune where the site is."""
    area = review.matter.area
    province = area.province_code
    consulted = set(review.consultations.values_list("unit_id", flat=True))
    mandatory = review.sensitive or review.procedure == "foreign_capital"
    rows: list[dict[str, Any]] = []
    for kind in MANDATORY_KINDS:
        unit = (
            Unit.objects.filter(kind=kind, is_active=True, area_id=province)
            .order_by("depth", "code")
            .first()
        )
        if unit is not None:
            rows.append({"unit": unit, "mandatory": mandatory, "consulted": unit.id in consulted})
    if area.kind == area.Kind.COMMUNE:
        commune = (
            Unit.objects.filter(kind=Unit.Kind.PEOPLES_COMMITTEE, is_active=True, area_id=area.code)
            .order_by("depth", "code")
            .first()
        )
        if commune is not None:
            rows.append({"unit": commune, "mandatory": False, "consulted": commune.id in consulted})
    return rows


def consultation_scorecard(user: Any, parent: Unit, today: date) -> list[dict[str, Any]]:
    """One row per unit in ``parent``'s subtree that was consulted or owns reviews: how it
    answered (on time, late, deemed consent) and how many of its reviews are overdue.
    ``parent`` must be visible to the user (checked by the caller)."""
    ids = subtree_ids(parent)
    consult = {
        row["owner_id"]: row
        for row in Matter.objects.filter(kind=Matter.Kind.CONSULTATION, owner_id__in=ids)
        .values("owner_id")
        .annotate(
            total=Count("id"),
            answered_on_time=Count("id", filter=Q(status=ConsultationStatus.ANSWERED)),
            deemed=Count("id", filter=deemed_q(today, prefix="")),
            answered_late=Count("id", filter=Q(consultation__late=True)),
            waiting=Count("id", filter=Q(status=ConsultationStatus.AWAITING, due_on__gte=today)),
        )
    }
    reviews = {
        row["owner_id"]: row
        for row in Matter.objects.filter(kind=Matter.Kind.REVIEW, owner_id__in=ids)
        .values("owner_id")
        .annotate(
            open=Count("id", filter=Q(is_open=True)),
            overdue=Count("id", filter=state_q("overdue", today)),
        )
    }
    units = Unit.objects.filter(id__in=set(consult) | set(reviews)).order_by("code")
    rows = []
    for unit in units:
        c: dict[str, Any] = dict(consult.get(unit.id, {}))
        r: dict[str, Any] = dict(reviews.get(unit.id, {}))
        rows.append(
            {
                "unit": unit.code,
                "name": unit.name,
                "consultations": c.get("total", 0),
                "answered_on_time": c.get("answered_on_time", 0),
                "answered_late": c.get("answered_late", 0),
                "deemed_consents": c.get("deemed", 0),
                "awaiting": c.get("waiting", 0),
                "reviews_open": r.get("open", 0),
                "reviews_overdue": r.get("overdue", 0),
            }
        )
    return rows


def map_points(user: Any, today: date) -> dict[str, Any]:
    """Reviews of sensitive sites the user sees, with coordinates where known: the site's own,
    else its area's. Those with neither are counted and listed apart."""
    points: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for review in review_list_for_user(user, today=today, sensitive=True):
        area = review.matter.area
        lat, lon, source = review.latitude, review.longitude, "site"
        if lat is None or lon is None:
            lat, lon, source = area.latitude, area.longitude, "area"
        row = {
            "code": review.matter.code,
            "project": review.project,
            "area": area.code,
            "area_name": area.name,
            "flags": review.flags,
            "status": review.matter.status,
            "url": f"/reviews/{review.matter.code}/",
        }
        if lat is None or lon is None:
            missing.append(row)
        else:
            points.append({**row, "lat": lat, "lon": lon, "source": source})
    provinces = set(
        review_list_for_user(user, today=today, sensitive=True).values_list(
            "matter__province", flat=True
        )
    )
    unit_area = user.unit.area if getattr(user, "unit_id", None) and user.unit.area_id else None
    if unit_area is not None and unit_area.province_code:
        provinces.add(unit_area.province_code)
    # The communes of those provinces, as a faint outline where there is no background map.
    context = [
        {"name": a.name, "lat": a.latitude, "lon": a.longitude}
        for a in Area.objects.filter(parent_id__in=provinces, latitude__isnull=False).only(
            "name", "latitude", "longitude"
        )
    ]
    return {"points": points, "missing": missing, "context": context}
