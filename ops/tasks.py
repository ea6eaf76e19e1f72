"""Background jobs of operations."""

from __future__ import annotations

from django.tasks import task


@task()
def optimize_database() -> dict[str, str]:
    """Nightly: refresh the planner's statistics (SQLite ``PRAGMA optimize``)."""
    from ops.maintenance import optimize_database as optimize

    return optimize()
