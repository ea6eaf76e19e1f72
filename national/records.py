"""A petition as one record of the national export (schema: ``record.schema.json`` beside
this file, documented in docs/national-export.md).

A record is the whole petition at one moment (a snapshot, not a diff), so the receiver keeps
the highest version it has and a re-sent version changes nothing. A denouncer is never in
it: a sealed petition says ``"petitioners": {"sealed": true}`` and carries neither the
people, nor their number, nor the content (which may name them), nor any key derived from
their identity.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from common.clock import today
from matters.models import Handoff, Matter
from matters.selectors import matter_state
from petitions.models import Petition, Petitioner

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("record.schema.json")
# The Circular 05/2021 classification of a petition (loại đơn).
KIND_CODES = {"complaint": "KN", "denunciation": "TC", "proposal": "KNPA"}
EVENTS = (
    "receive",
    "transfer",
    "escalation",
    "return",
    "accept",
    "extend",
    "suspend",
    "resume",
    "resolve",
    "refuse",
    "guide",
    "file_away",
    "withdraw",
    "discontinue",
)


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def petitions_for_records(matter_ids: Iterable[int]) -> list[Petition]:
    """The petitions with everything a record needs, in a handful of queries."""
    return list(
        Petition.objects.filter(matter_id__in=list(matter_ids))
        .select_related(
            "matter",
            "matter__owner",
            "matter__category",
            "matter__rule",
            "first_instance__matter",
        )
        .prefetch_related(
            Prefetch(
                "matter__handoffs",
                queryset=Handoff.objects.select_related("from_unit", "to_unit").order_by(
                    "at", "id"
                ),
            ),
            "extension_log",
            "suspension_log",
            Prefetch("petitioners", queryset=Petitioner.objects.order_by("position")),
        )
    )


def record_payload(petition: Petition, *, version: int, event: str, at: datetime) -> dict[str, Any]:
    """The record of ``petition`` as it is now, as version ``version``, caused by ``event``.
    ``petition`` should come from ``petitions_for_records`` (or have the same relations
    loaded)."""
    matter: Matter = petition.matter
    return {
        **_record_header(matter, version=version, event=event, at=at),
        **_record_petition(petition, matter),
        "owner": {"code": matter.owner.code, "name": matter.owner.name},
        "status": matter.status,
        "state": matter_state(matter, timezone.localdate(at) if at else today()),
        "intake": _record_intake(petition),
        "deadline": _record_deadline(matter),
        "accepted_on": _day(petition.accepted_on),
        **_record_history(petition, matter),
        "bounces": matter.bounces,
        "result": _record_result(petition, matter),
        **_record_people(petition),
    }


def _record_header(matter: Matter, *, version: int, event: str, at: datetime) -> dict[str, Any]:
    """Which record this is: schema, petition and version, the event that made it, where from."""
    return {
        "schema_version": SCHEMA_VERSION,
        "record_id": f"{matter.code}:{version}",
        "petition": matter.code,
        "version": version,
        "event": event,
        "event_at": _moment(at),
        "source": settings.NATIONAL_SOURCE or matter.province,
        "province": matter.province,
    }


def _record_petition(petition: Petition, matter: Matter) -> dict[str, Any]:
    """What the petition is: kind, channel, day, area, category, summary and the like."""
    return {
        "kind": petition.kind,
        "kind_code": KIND_CODES[petition.kind],
        "channel": petition.channel,
        "received_on": petition.received_on.isoformat(),
        "area": matter.area_id,
        "category": matter.category_id,
        "summary": petition.summary,
        "signers": petition.signers,
        "instance": petition.instance,
        "first_instance": petition.first_instance.matter.code if petition.first_instance else None,
        "disciplinary": petition.disciplinary,
        "complexity": petition.complexity,
        "remote": petition.remote,
    }


def _record_intake(petition: Petition) -> dict[str, Any]:
    return {
        "decision": petition.intake_decision or None,
        "grounds": petition.intake_grounds or None,
        "refusal_ground": petition.refusal_ground or None,
        "guided_to": petition.guided_to or None,
        "processing_due_on": _day(petition.processing_due_on),
    }


def _record_deadline(matter: Matter) -> dict[str, Any]:
    rule = matter.rule
    return {
        "rule": rule.ref if rule else None,
        "source": rule.source if rule else None,
        "start": _day(matter.clock_start),
        "due_on": _day(matter.due_on),
        "extension_days": matter.extension_days,
        "suspended_days": matter.suspended_days,
    }


def _record_history(petition: Petition, matter: Matter) -> dict[str, Any]:
    """Extensions, suspensions and handoffs, oldest first."""
    return {
        "extensions": [
            {"on": e.on.isoformat(), "days": e.days, "decision_no": e.decision_no}
            for e in petition.extension_log.all()
        ],
        "suspensions": [
            {"on": s.on.isoformat(), "resumed_on": _day(s.resumed_on)}
            for s in petition.suspension_log.all()
        ],
        "handoffs": [
            {
                "kind": h.kind,
                "from": h.from_unit.code,
                "to": h.to_unit.code,
                "legal_basis": h.legal_basis,
                "at": _moment(h.at),
            }
            for h in matter.handoffs.all()
        ],
    }


def _record_result(petition: Petition, matter: Matter) -> dict[str, Any]:
    return {
        "closed_on": _day(matter.closed_on),
        "resolved_on": _day(petition.resolved_on),
        "decision_no": petition.decision_no or None,
        "outcome": matter.outcome or None,
    }


def _record_people(petition: Petition) -> dict[str, Any]:
    """The content and the petitioners, or only ``sealed`` for a denunciation: a denouncer
    never leaves."""
    if petition.sealed:
        return {"petitioners": {"sealed": True}}
    return {
        "content": petition.content or None,
        "petitioners": {
            "sealed": False,
            "people": [
                {
                    "full_name": p.full_name,
                    "id_number": p.id_number or None,
                    "address": p.address or None,
                    "representative": p.is_representative,
                }
                for p in petition.petitioners.all()
            ],
        },
    }
