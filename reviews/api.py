"""JSON endpoints of project reviews and consultations (API.md "Project reviews and
consultations"). Thin: parse, fetch through a selector, call a service, serialise."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Status

from common.clock import today
from common.pagination import paginate
from common.schema import Schema, VersionedIn, take_step
from matters.selectors import handoffs_by_matter
from reviews import services
from reviews.models import Review
from reviews.schemas import (
    ConsultationOut,
    ConsultationPage,
    ReviewOut,
    ReviewPage,
    consultation_dict,
    review_dict,
)
from reviews.selectors import (
    consultation_list_for_user,
    consultation_scorecard,
    get_consultation_for_user,
    get_review_for_user,
    map_points,
    review_list_for_user,
)
from units.selectors import get_unit_for_user

router = Router(tags=["reviews"])

StateName = Literal["in_time", "due_soon", "overdue", "done_on_time", "done_late"]


class ReviewIn(Schema):
    project: str
    investor: str
    nationality: str = ""
    foreign_share: float | None = Field(None, description="foreign ownership in percent, 0-100")
    area: str = Field(description="code of the commune (or province) of the site")
    flags: list[str] = Field(
        [], description="island, border, coastal, defence_zone, other_sensitive"
    )
    flag_documents: dict[str, str] = Field(
        {}, description="flag -> the document that makes the site sensitive"
    )
    procedure: str = Field(
        "province",
        description="province (chairman's approval), zone, investor_approval, pm, foreign_capital",
    )
    land_type: str = ""
    land_area_m2: float | None = None
    lease_years: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    received_on: date
    valid_on: date | None = None


@router.post("/reviews", response={201: ReviewOut})
def create_review(request: HttpRequest, payload: ReviewIn) -> Status[dict[str, Any]]:
    review = services.review_register(actor=request.user, **payload.dict())
    return Status(201, review_dict(review, today()))


@router.get("/reviews", response=ReviewPage)
def list_reviews(
    request: HttpRequest,
    state: StateName | None = None,
    owner: str | None = None,
    area: str | None = None,
    sensitive: bool | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    day = today()
    qs = review_list_for_user(
        request.user, today=day, state=state, owner=owner, area=area, sensitive=sensitive, query=q
    )
    items, count = paginate(qs, page, page_size)
    handoffs = handoffs_by_matter([r.matter_id for r in items])
    return {
        "items": [review_dict(r, day, detail=False, handoffs=handoffs[r.matter_id]) for r in items],
        "count": count,
    }


class ScoreRow(Schema):
    unit: str
    name: str
    consultations: int
    answered_on_time: int
    answered_late: int
    deemed_consents: int
    awaiting: int
    reviews_open: int
    reviews_overdue: int


@router.get("/review-scorecards", response=list[ScoreRow])
def review_scorecards(request: HttpRequest, parent: str) -> list[dict[str, Any]]:
    unit = get_unit_for_user(request.user, parent)
    return consultation_scorecard(request.user, unit, today())


@router.get("/review-map")
def review_map(request: HttpRequest) -> dict[str, Any]:
    """Reviews of sensitive sites with coordinates (the site's, else its area's); the others
    under ``missing``."""
    return map_points(request.user, today())


@router.get("/reviews/{code}", response=ReviewOut)
def get_review(request: HttpRequest, code: str) -> dict[str, Any]:
    return review_dict(get_review_for_user(request.user, code), today())


def _shown(review: Review) -> dict[str, Any]:
    return review_dict(review, today())


# The body of each step endpoint below: the review as it stands after the step.
_step = partial(take_step, fetch=get_review_for_user, name="review", show=_shown)


class CorrectionsIn(VersionedIn):
    requested_on: date
    note: str


@router.post("/reviews/{code}/corrections", response=ReviewOut)
def request_corrections(request: HttpRequest, code: str, payload: CorrectionsIn) -> dict[str, Any]:
    return _step(request, code, service=services.review_request_corrections, payload=payload)


class ReceivedIn(VersionedIn):
    received_on: date


class ValidIn(VersionedIn):
    valid_on: date


@router.post("/reviews/{code}/corrections/received", response=ReviewOut)
def corrections_received(request: HttpRequest, code: str, payload: ReceivedIn) -> dict[str, Any]:
    return _step(request, code, service=services.review_corrections_received, payload=payload)


@router.post("/reviews/{code}/valid", response=ReviewOut)
def mark_valid(request: HttpRequest, code: str, payload: ValidIn) -> dict[str, Any]:
    return _step(request, code, service=services.review_mark_valid, payload=payload)


class ConsultationIn(Schema):
    unit: str
    sent_on: date


@router.post("/reviews/{code}/consultations", response={201: ConsultationOut})
def send_consultation(
    request: HttpRequest, code: str, payload: ConsultationIn
) -> Status[dict[str, Any]]:
    review = get_review_for_user(request.user, code)
    consultation = services.consultation_send(actor=request.user, review=review, **payload.dict())
    return Status(201, consultation_dict(consultation, today()))


class ReportIn(VersionedIn):
    sent_on: date
    note: str = ""


@router.post("/reviews/{code}/report", response=ReviewOut)
def send_report(request: HttpRequest, code: str, payload: ReportIn) -> dict[str, Any]:
    return _step(request, code, service=services.review_report, payload=payload)


class DecisionIn(VersionedIn):
    decided_on: date
    decision: Literal["approved", "refused"]
    decision_no: str
    reasons: str = ""


@router.post("/reviews/{code}/decision", response=ReviewOut)
def record_decision(request: HttpRequest, code: str, payload: DecisionIn) -> dict[str, Any]:
    return _step(request, code, service=services.review_decide, payload=payload)


@router.get("/consultations", response=ConsultationPage)
def list_consultations(
    request: HttpRequest,
    unit: str | None = None,
    status: Literal["awaiting_answer", "answered", "deemed_consent"] | None = None,
    review: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    day = today()
    qs = consultation_list_for_user(
        request.user, today=day, unit=unit, status=status, review=review
    )
    items, count = paginate(qs, page, page_size)
    return {"items": [consultation_dict(c, day) for c in items], "count": count}


@router.get("/consultations/{code}", response=ConsultationOut)
def get_consultation(request: HttpRequest, code: str) -> dict[str, Any]:
    return consultation_dict(get_consultation_for_user(request.user, code), today())


class DocumentIn(Schema):
    number: str
    title: str = ""
    issued_on: date | None = None


class AnswerIn(Schema):
    answered_on: date
    opinion: Literal["agree", "disagree", "agree_with_conditions"]
    note: str = ""
    documents: list[DocumentIn] = []


@router.post("/consultations/{code}/answer", response=ConsultationOut)
def answer_consultation(request: HttpRequest, code: str, payload: AnswerIn) -> dict[str, Any]:
    consultation = get_consultation_for_user(request.user, code)
    data = payload.dict()
    services.consultation_answer(actor=request.user, consultation=consultation, **data)
    return consultation_dict(consultation, today())
