"""Background jobs of statements, run daily (``dutdiem statement-duties`` from cron or a timer,
or enqueued on the job worker)."""

from django.tasks import task

from statements.services import periodic_duties_ensure


@task
def ensure_periodic_duties() -> int:
    """Create the periodic press duties that are due; returns how many."""
    return periodic_duties_ensure()
