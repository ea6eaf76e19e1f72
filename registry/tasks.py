"""Background jobs of the register: look the row up by id and call a service. A job a service
enqueues is defined beside it (services never import this module); it is named here too, as
the scheduler and the workers know it."""

from __future__ import annotations

from django.tasks import task

from registry.services.duplicates import index_batch
from registry.services.uploads import run_register_import
from registry.services.uploads import sweep_stale_imports as sweep

__all__ = ["index_batch", "run_register_import", "sweep_stale_imports"]


@task()
def sweep_stale_imports() -> int:
    """Daily: mark imports interrupted by a stopped server as failed (nothing was saved)."""
    return sweep()
