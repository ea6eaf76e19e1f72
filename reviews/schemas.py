"""What a review and a consultation look like in responses: the matter fields every matter
carries (API.md "Matters") and the review's own, with the clocks explained."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from common.schema import Schema
from matters.models import Handoff
from matters.schemas import MatterOut, matter_dict, rule_dict
from matters.selectors import matter_state
from reviews import rules
from reviews.models import Consultation, ConsultationStatus, Review
from reviews.selectors import proposed_units
from reviews.services import is_deemed

# What a dossier says of the project: shown in full on the review, and to a consulted unit.
PROJECT_FIELDS = (
    "project",
    "investor",
    "nationality",
    "foreign_share",
    "procedure",
    "flags",
    "flag_documents",
    "land_type",
    "land_area_m2",
    "lease_years",
)
# The review's other columns, shown as stored.
REVIEW_FIELDS = (
    "law",
    "sensitive",
    "latitude",
    "longitude",
    "received_on",
    "valid_on",
    "send_due_on",
    "report_due_on",
    "report_sent_on",
    "decision_due_on",
    "decided_on",
    "decision_no",
    "decision_reasons",
)


def _fields(review: Review, names: tuple[str, ...]) -> dict[str, Any]:
    """The columns ``names`` of the review; decimals as floats."""
    values = {name: getattr(review, name) for name in names}
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def clock_dict(clock: rules.Clock, today: date) -> dict[str, Any]:
    return {
        "step": clock.step,
        "rule": rule_dict(clock.rule),
        "start": clock.start,
        "due_on": clock.due_on,
        "done_on": clock.done_on,
        "state": clock.state(today),
        "projected": clock.projected,
        "paused": clock.paused,
        "paused_days": clock.paused_days,
        "skipped": clock.skipped,
    }


def consultation_status(c: Consultation, today: date) -> tuple[str, str, dict[str, Any] | None]:
    """(status, state, deemed consent) as of ``today``: consent is deemed from the day after
    the due day, whether or not the daily job has recorded it yet."""
    matter = c.matter
    if is_deemed(c, today):
        assert matter.due_on is not None
        deemed = {
            "on": c.deemed_on or matter.due_on + timedelta(days=1),
            "recorded": matter.status == ConsultationStatus.DEEMED_CONSENT,
            "rule": rule_dict(matter.rule),
        }
        return ConsultationStatus.DEEMED_CONSENT, "done_late", deemed
    return matter.status, matter_state(matter, today), None


def consultation_dict(c: Consultation, today: date, *, summary: bool = True) -> dict[str, Any]:
    data = matter_dict(c.matter, today, handoffs=[])
    status, state, deemed = consultation_status(c, today)
    data.update(
        status=status,
        state=state,
        review=c.review.matter.code,
        unit=c.unit.code,
        unit_name=c.unit.name,
        sent_on=c.sent_on,
        answered_on=c.answered_on,
        opinion=c.opinion or None,
        note=c.note,
        documents=c.documents,
        late=c.late,
        deemed_consent=deemed,
        deadline=rule_dict(c.matter.rule),
    )
    if summary:
        review = c.review
        # What the consulted unit needs to give its opinion, and nothing of the others'.
        data["project"] = {
            **_fields(review, PROJECT_FIELDS),
            "area": review.matter.area_id,
            "area_name": review.matter.area.name,
            "registration_agency": review.matter.owner.name,
        }
    return data


def review_dict(
    review: Review, today: date, *, detail: bool = True, handoffs: list[Handoff] | None = None
) -> dict[str, Any]:
    matter = review.matter
    data = matter_dict(matter, today, handoffs)
    data.update(_fields(review, PROJECT_FIELDS))
    data.update(_fields(review, REVIEW_FIELDS))
    data["corrections"] = (
        {
            "requested_on": review.corrections_requested_on,
            "note": review.corrections_note,
            "received_on": review.corrections_received_on,
        }
        if review.corrections_requested_on
        else None
    )
    if detail:
        consultations = list(
            review.consultations.select_related(
                "matter__owner", "matter__rule", "matter__area", "matter__handler", "unit"
            )
        )
        for c in consultations:
            c.review = review
        last_sent = max((c.sent_on for c in consultations), default=None)
        data["clocks"] = [
            clock_dict(c, today) for c in rules.review_clocks(review, today, last_sent)
        ]
        data["consultations"] = [consultation_dict(c, today, summary=False) for c in consultations]
        for row in data["consultations"]:
            row["sent_late"] = (
                review.send_due_on is not None and row["sent_on"] > review.send_due_on
            )
        data["proposed_consultations"] = [
            {
                "unit": p["unit"].code,
                "name": p["unit"].name,
                "kind": p["unit"].kind,
                "mandatory": p["mandatory"],
                "consulted": p["consulted"],
            }
            for p in proposed_units(review)
        ]
    return data


class ReviewOut(MatterOut):
    project: str
    investor: str
    nationality: str
    foreign_share: float | None
    procedure: str
    law: str
    flags: list[str]
    flag_documents: dict[str, str]
    sensitive: bool
    land_type: str
    land_area_m2: float | None
    lease_years: int | None
    latitude: float | None
    longitude: float | None
    received_on: date
    valid_on: date | None
    corrections: dict[str, Any] | None
    send_due_on: date | None
    report_due_on: date | None
    report_sent_on: date | None
    decision_due_on: date | None
    decided_on: date | None
    decision_no: str
    decision_reasons: str
    clocks: list[dict[str, Any]] = []
    consultations: list[dict[str, Any]] = []
    proposed_consultations: list[dict[str, Any]] = []


class ConsultationOut(MatterOut):
    review: str
    unit: str
    unit_name: str
    sent_on: date
    answered_on: date | None
    opinion: str | None
    note: str
    documents: list[dict[str, Any]]
    late: bool
    deemed_consent: dict[str, Any] | None
    deadline: dict[str, Any] | None
    project: dict[str, Any] | None = None


class ReviewPage(Schema):
    items: list[ReviewOut]
    count: int


class ConsultationPage(Schema):
    items: list[ConsultationOut]
    count: int
