from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router

from audit.selectors import events_for_user
from audit.services import audit_verify
from common.pagination import paginate
from common.schema import Schema

router = Router(tags=["audit"])


class AnchorOut(Schema):
    source: str
    status: str
    seq: int | None


class VerifyOut(Schema):
    ok: bool
    events: int
    first_bad: int | None
    reason: str
    keyed_from: int | None
    anchors: list[AnchorOut]


@router.get("/verify", response=VerifyOut)
def verify(request: HttpRequest) -> dict[str, Any]:
    """The chain checked against its anchors; ``reason`` says what broke (empty when ok)."""
    return audit_verify().as_dict()


class EventOut(Schema):
    seq: int
    at: datetime
    actor: str
    action: str
    matter: str


class EventPage(Schema):
    items: list[EventOut]
    count: int


@router.get("/events", response=EventPage)
def events(
    request: HttpRequest, matter: str | None = None, page: int = 1, page_size: int = 100
) -> dict[str, Any]:
    """Auditors see every event; heads see the events of their units' matters."""
    items, count = paginate(events_for_user(request.user, matter), page, page_size)
    return {"items": items, "count": count}
