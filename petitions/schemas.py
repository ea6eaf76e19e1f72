"""How a petition looks in JSON: the matter fields of API.md plus the petition's own."""

from __future__ import annotations

from datetime import date
from typing import Any

from matters.rules import explain
from matters.schemas import matter_dict
from petitions.models import Document, Petition


def document_dict(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "name": document.name,
        "content_type": document.content_type,
        "size": document.size,
        "uploaded_at": document.uploaded_at.isoformat(),
    }


def petitioner_dicts(petition: Petition) -> list[dict[str, Any]]:
    return [
        {
            "full_name": p.full_name,
            "id_number": p.id_number,
            "address": p.address,
            "phone": p.phone,
            "representative": p.is_representative,
        }
        for p in petition.petitioners.all()
    ]


def petition_dict(
    petition: Petition,
    day: date,
    *,
    viewer: Any = None,
    handoffs: list[Any] | None = None,
    with_duplicates: bool = True,
    with_petitioners: bool = True,
) -> dict[str, Any]:
    """The matter fields, the petition's fields and, for a complaint or proposal, its
    petitioners. A denunciation never carries petitioners: ``"sealed": true`` instead.
    ``duplicates`` (with ``with_duplicates``) are those ``viewer`` may be told of."""
    data = matter_dict(petition.matter, day, handoffs)
    data.update(
        {
            "petition_kind": petition.kind,
            "channel": petition.channel,
            "received_on": petition.received_on,
            "summary": petition.summary,
            "content": petition.content,
            "signers": petition.signers,
            "representative": petition.representative,
            "instance": petition.instance,
            "first_instance": petition.first_instance.matter.code
            if petition.first_instance
            else None,
            "disciplinary": petition.disciplinary,
            "complexity": petition.complexity,
            "remote": petition.remote,
            "processing_due_on": petition.processing_due_on,
            "intake_decision": petition.intake_decision,
            "refusal_ground": petition.refusal_ground,
            "guided_to": petition.guided_to,
            "accepted_on": petition.accepted_on,
            "decision_no": petition.decision_no,
            "resolved_on": petition.resolved_on,
            "closed_on": petition.matter.closed_on,
            "outcome": petition.matter.outcome,
            "extensions": petition.matter.extensions,
            "suspended_days": petition.matter.suspended_days,
            "sealed": petition.sealed,
        }
    )
    if with_duplicates:
        if viewer is None:
            raise ValueError("petition_dict needs the viewer to list duplicates")
        from registry.services.duplicates import find_duplicates

        data["duplicates"] = find_duplicates(petition, user=viewer)
        data["documents"] = [document_dict(d) for d in petition.documents.all()]
    if not petition.sealed and with_petitioners:
        data["petitioners"] = petitioner_dicts(petition)
    return data


def deadline_dict(petition: Petition) -> dict[str, Any]:
    """The clock explained: rule, source, start, due date, unit, length, the days not
    counted, extensions granted and days suspended."""
    matter = petition.matter
    rule = matter.rule
    explanation = explain(matter)
    return {
        "rule": rule.ref if rule else None,
        "key": rule.key if rule else None,
        "variant": rule.variant if rule else None,
        "label": rule.label if rule else None,
        "event": rule.event if rule else None,
        "source": rule.source if rule else None,
        "configurable": rule.configurable if rule else False,
        "start": matter.clock_start,
        "due_on": matter.due_on,
        "raw_due_on": explanation.raw_due_on if explanation else None,
        "unit": rule.unit if rule else None,
        "days": rule.length if rule else None,
        "skipped": explanation.skipped if explanation else [],
        "extensions": matter.extensions,
        "extension_days": matter.extension_days,
        "suspended_days": matter.suspended_days,
        "suspended_on": matter.suspended_on,
    }
