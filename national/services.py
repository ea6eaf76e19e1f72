"""Recording petitions for the national complaints database: a new version of the record in
the log and in the outbox, in the transaction of the change."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from national.gateway import CHANNEL
from national.models import Record
from national.records import petitions_for_records, record_payload
from outbox.services import outbox_put_many
from petitions.models import Petition


def national_record(*, petition: Petition, event: str) -> Record:
    """Record ``petition`` as it now stands (read back from the database, so that every
    change of this transaction is in it) as its next version, caused by ``event``."""
    return national_records(matter_ids=[petition.matter_id], event=event)[0]


def national_records(*, matter_ids: Iterable[int], event: str) -> list[Record]:
    """``national_record`` for many petitions at once (a register import). Must run inside
    the transaction of the change; the petition's row lock (``matter_touch``) or its
    creation keeps two versions of one petition from being numbered at once."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("national records are written inside the transaction of the change")
    ids = list(matter_ids)
    records: list[Record] = []
    at = timezone.now()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        last = dict(
            Record.objects.filter(matter_id__in=chunk)
            .values("matter_id")
            .annotate(v=Max("version"))
            .values_list("matter_id", "v")
        )
        petitions = {p.matter_id: p for p in petitions_for_records(chunk)}
        batch = []
        for matter_id in chunk:
            petition = petitions[matter_id]
            version = last.get(matter_id, 0) + 1
            payload = record_payload(petition, version=version, event=event, at=at)
            batch.append(
                Record(
                    matter_id=matter_id,
                    code=petition.matter.code,
                    version=version,
                    event=event,
                    payload=payload,
                    recorded_at=at,
                )
            )
        Record.objects.bulk_create(batch)
        outbox_put_many(
            channel=CHANNEL,
            items=[(r.payload["record_id"], r.payload, r.code) for r in batch],
        )
        records += batch
    return records


def record_unrecorded(*, matter_ids: list[int] | None, chunk: int = 2000) -> int:
    """Record, as version 1 (event ``receive``), the petitions among ``matter_ids`` (all if
    None) that have no record yet, a chunk per transaction. Safe to run twice."""
    from matters.models import Matter

    qs = Matter.objects.filter(kind=Matter.Kind.PETITION, national_records__isnull=True)
    if matter_ids is not None:
        qs = qs.filter(id__in=matter_ids)
    done = 0
    while True:
        with transaction.atomic():
            ids = list(qs.order_by("id").values_list("id", flat=True)[:chunk])
            if not ids:
                return done
            # Lock the petitions' rows so that an action on one of them (which records its
            # own version) waits, and the versions stay numbered without gaps.
            list(Matter.objects.select_for_update().filter(id__in=ids).values_list("id"))
            fresh = list(
                Matter.objects.filter(id__in=ids, national_records__isnull=True).values_list(
                    "id", flat=True
                )
            )
            national_records(matter_ids=fresh, event="receive")
            done += len(fresh)
