"""Background jobs of reviews, run daily (by ``dutdiem deem-consents`` from cron or a timer,
or enqueued on the job worker)."""

from django.tasks import task

from reviews.services import consultations_deem


@task
def deem_consents() -> int:
    """Record deemed consent on every consultation past its due day; returns how many."""
    return consultations_deem()
