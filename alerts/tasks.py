from django.tasks import task

from alerts.services import warn
from common.clock import today


@task()
def weekly_warn() -> int:
    """The weekly early-warning run (scheduled Monday mornings); returns the run id."""
    return warn(today()).id
