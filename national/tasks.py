"""Background jobs of the national export."""

from __future__ import annotations

from django.tasks import task


@task()
def record_imported(batch_id: int) -> int:
    """Record the petitions of a register import for the national database (done after the
    import, which writes 100,000 rows in one go); returns how many were recorded."""
    from national.services import record_unrecorded
    from registry.models import ImportedPetition

    ids = ImportedPetition.objects.filter(batch_id=batch_id).values_list("matter_id", flat=True)
    return record_unrecorded(matter_ids=list(ids))


@task()
def record_missing() -> int:
    """Daily: record any petition that has no national record yet (an import whose job was
    lost with a stopped worker); returns how many."""
    from national.services import record_unrecorded

    return record_unrecorded(matter_ids=None)
