"""Background jobs of petitions, run daily (``dutdiem notify_deadlines`` from cron or a
timer, or this job enqueued on the worker with ``dutdiem notify_deadlines --enqueue``)."""

from __future__ import annotations

from datetime import date

from django.tasks import task


@task()
def petitions_daily(as_of: str | None = None) -> dict[str, int]:
    """Tell handlers and heads of petitions due soon or overdue; returns how many new
    notifications were sent (none for a petition already notified that day)."""
    from common.clock import today
    from petitions.services import notify_deadlines

    day = date.fromisoformat(as_of) if as_of else today()
    return notify_deadlines(day)
