"""Background jobs of notifications."""

from __future__ import annotations

from django.tasks import task


@task()
def send_digests() -> int:
    """Daily: the e-mail digest to the officials who chose it; returns how many went out."""
    from notifications.services import digests_send

    return digests_send()
