"""Background jobs of the register: look the row up by id and call a service."""

from __future__ import annotations

from django.tasks import task


@task()
def run_register_import(batch_id: int) -> str:
    """Import the uploaded register of batch ``batch_id``; returns the batch's status."""
    from registry.services.uploads import upload_import

    return upload_import(batch_id)


@task()
def index_batch(batch_id: int) -> int:
    """Put the petitions of an import into the duplicate finder's index."""
    from petitions.models import Petition
    from registry.models import ImportedPetition
    from registry.services.duplicates import index_many

    ids = ImportedPetition.objects.filter(batch_id=batch_id).values_list("matter_id", flat=True)
    rows = Petition.objects.filter(matter_id__in=ids).values_list("matter_id", "content", "summary")
    return index_many(
        [(mid, content or summary or "") for mid, content, summary in rows.iterator()]
    )


@task()
def sweep_stale_imports() -> int:
    """Daily: mark imports interrupted by a stopped server as failed (nothing was saved)."""
    from registry.services.uploads import sweep_stale_imports as sweep

    return sweep()
