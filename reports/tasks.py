"""Background jobs of the reports app: look the row up by id and call a service."""

from __future__ import annotations

from django.tasks import task


@task()
def generate_report(report_id: int) -> None:
    from reports.services import report_generate

    report_generate(report_id)


@task()
def refresh_dashboard() -> None:
    from reports.dashboard import dashboard_refresh

    dashboard_refresh()


@task()
def run_schedules() -> int:
    """Ask for the scheduled reports whose period has ended (run daily: ``dutdiem
    reports-tick`` from a timer, or this job enqueued by it)."""
    from reports.services import schedules_run

    return schedules_run()
