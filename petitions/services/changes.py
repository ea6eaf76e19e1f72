"""The one decorator of every service that changes a petition."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction

from matters.models import Handoff
from petitions.models import Petition


def petition_change[**P, R](fn: Callable[P, R]) -> Callable[P, R]:
    """Run the service ``petition_<event>`` atomically and, in the same transaction once it
    has made its change, record the petition's new version for the national complaints
    database (``national.services``): the record exists if and only if the change does.
    A proposal's change also renews its province's public map once it commits
    (``opendata.mapcache``).

    The service returns the petition, or the handoff of a transfer (whose kind, transfer or
    escalation, names the event); otherwise its ``petition=`` argument is the one changed.
    """
    event = fn.__name__.removeprefix("petition_")

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from citizens.services import status_message
        from national.services import national_record
        from opendata.mapcache import proposal_changed

        with transaction.atomic():
            result = fn(*args, **kwargs)
            petition, name = _changed(result, kwargs, event)
            national_record(petition=petition, event=name)
            status_message(petition, name)
            proposal_changed(petition)
        return result

    return wrapper


def _changed(result: Any, kwargs: dict[str, Any], event: str) -> tuple[Petition, str]:
    if isinstance(result, Petition):
        return result, event
    if isinstance(result, Handoff):
        return result.matter.petition, result.kind
    petition = kwargs.get("petition")
    if not isinstance(petition, Petition):
        raise TypeError(f"petition_{event} changed no petition that can be recorded")
    return petition, event
