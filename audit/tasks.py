"""Background jobs of the audit log."""

from __future__ import annotations

from django.tasks import task


@task()
def anchor_chain() -> dict[str, object]:
    """Hourly: anchor the chain's tip in the vault, the file and the witness (the vault and
    the file are also written after every commit; this catches up after an outage and is
    the witness's only feed)."""
    from audit.services import audit_anchor

    anchor = audit_anchor()
    return {"seq": anchor.seq, "key_id": anchor.key_id}
