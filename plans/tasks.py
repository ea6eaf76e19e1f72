"""Background jobs of plans, run daily (``dutdiem plans-remind`` from cron or a timer, or
this job enqueued on the worker with ``dutdiem plans-remind --enqueue``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from django.tasks import task


@task()
def plans_daily(as_of: str | None = None) -> dict[str, int]:
    """Send the day's reminders and escalations; returns the counts of new notifications."""
    from common.clock import today
    from plans.reminders import plans_remind

    day = date.fromisoformat(as_of) if as_of else today()
    return asdict(plans_remind(day))
