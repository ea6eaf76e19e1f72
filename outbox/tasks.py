"""Background jobs of the outbox."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def deliver_outbox() -> dict[str, Any]:
    """Deliver what is due (for up to OUTBOX_JOB_SECONDS), then enqueue itself again for the
    next retry that falls due. Returns the counts of the run."""
    from outbox.services import deliver

    return deliver().as_dict()


@task()
def outbox_daily() -> int:
    """Daily: forget messages sent long ago (OUTBOX_KEEP_DAYS), and start a delivery in
    case a worker stopped in the middle of one (nothing else would wake the retries)."""
    from outbox.services import prune_sent, request_delivery_soon

    pruned = prune_sent()
    request_delivery_soon()
    return pruned
