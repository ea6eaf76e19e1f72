from django.tasks import task

from alerts.services import warn
from common.clock import today


@task()
def weekly_warn() -> int:
    """The weekly early-warning run (scheduled Monday mornings); returns the run id."""
    return warn(today()).id


@task()
def run_warning(run_id: int) -> int:
    """A check started from the alerts page; returns the run id."""
    from django.utils import timezone

    from alerts.models import WarningRun

    run = WarningRun.objects.get(pk=run_id)
    if run.finished_at is not None:
        return run.id
    try:
        return warn(run.as_of, run=run).id
    except Exception as exc:
        WarningRun.objects.filter(pk=run_id).update(
            error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        raise
