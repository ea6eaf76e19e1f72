"""Background jobs of the alerts app. A job a service enqueues is defined beside it (services
never import this module); it is named here too, as the scheduler and the workers know it."""

from django.tasks import task

from alerts.services import run_warning, warn
from common.clock import today

__all__ = ["run_warning", "weekly_warn"]


@task()
def weekly_warn() -> int:
    """The weekly early-warning run (scheduled Monday mornings); returns the run id."""
    return warn(today()).id
