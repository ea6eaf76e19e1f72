"""Matters for the reports tests, made through the spine's services (codes, audit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from areas.models import Area
from audit.services import audit_record
from matters.models import Category, Matter
from matters.services import matter_new
from units.models import Unit


def make_matter(
    owner: Unit,
    *,
    kind: str = "petition",
    opened_on: date,
    due_on: date | None,
    closed_on: date | None = None,
    category: str = "land",
    area: Area | None = None,
    status: str | None = None,
) -> Matter:
    with transaction.atomic():
        matter = matter_new(
            kind=kind,
            title=f"{kind} of {owner.code}",
            area=area or owner.area,  # type: ignore[arg-type]
            category=Category.objects.get(code=category),
            owner=owner,
            opened_on=opened_on,
            status=status or ("resolved" if closed_on else "received"),
        )
        matter.due_on = due_on
        if closed_on:
            matter.is_open = False
            matter.closed_on = closed_on
        matter.save()
        audit_record(actor="test", action="matter.test", matter=matter.code, unit=owner.code)
    return matter


def docx_text(document: Any) -> str:
    """All text of a python-docx document: paragraphs, then every table cell."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)
