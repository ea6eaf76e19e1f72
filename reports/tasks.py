"""Background jobs of the reports app: look the row up by id and call a service. A job a
service enqueues is defined beside it (services never import this module); it is named here
too, as the scheduler and the workers know it."""

from __future__ import annotations

from django.tasks import task

from reports.dashboard import refresh_dashboard
from reports.services import generate_report, schedules_run

__all__ = ["generate_report", "refresh_dashboard", "run_schedules"]


@task()
def run_schedules() -> int:
    """Ask for the scheduled reports whose period has ended (run daily: ``dutdiem
    reports-tick`` from a timer, or this job enqueued by it)."""
    return schedules_run()
