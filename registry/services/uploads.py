"""Register imports from the upload page: keep the file, run the import as a job, report
progress. The file is kept only until the job has read it."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from common.archive import check_xlsx_archive
from common.errors import Forbidden, Invalid
from registry.models import ImportBatch
from registry.services.importer import batch_new, run_import
from units.models import Unit
from units.selectors import get_unit_for_user

XLSX_MAGIC = b"PK\x03\x04"


def upload_path(batch_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"{batch_id}.xlsx"


def upload_accept(
    *, actor: Any, unit_code: str, name: str, data: bytes, valid_only: bool
) -> ImportBatch:
    """Keep an uploaded register and start its import job. Only .xlsx (by content), up to
    the upload cap; only into a unit the actor may file petitions for."""
    unit = get_unit_for_user(actor, unit_code)
    require_can_import(actor, unit)
    if not data.startswith(XLSX_MAGIC):
        raise Invalid({"file": _("not an Excel workbook (.xlsx)")})
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise Invalid(
            {"file": _("larger than %(n)s MB") % {"n": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}}
        )
    check_xlsx_archive(data, max_expanded=settings.UPLOAD_MAX_EXPANDED_BYTES)
    batch = batch_new(
        actor=actor,
        unit=unit,
        file_name=Path(name or "register.xlsx").name,
        file_hash=hashlib.sha256(data).hexdigest(),
        valid_only=valid_only,
    )
    path = upload_path(batch.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)
    transaction.on_commit(lambda: run_register_import.enqueue(batch.pk))
    return batch


def require_can_import(actor: Any, unit: Unit) -> None:
    """Like intake: officials who may file petitions, into their unit or a unit below it
    (the caller has checked that ``unit`` is visible to them)."""
    if not (actor.is_superuser or actor.is_admin or actor.can_act):
        raise Forbidden(
            _("your roles do not allow importing petitions into %(unit)s") % {"unit": unit.code}
        )


def upload_import(batch_id: int) -> str:
    """The job: import the kept file of ``batch_id`` and delete it."""
    batch = ImportBatch.objects.select_related("unit", "user").get(pk=batch_id)
    if batch.status not in (
        ImportBatch.Status.PENDING,
        ImportBatch.Status.READING,
        ImportBatch.Status.SAVING,
    ):
        return batch.status
    path = upload_path(batch.pk)
    try:
        run_import(actor=batch.user, unit=batch.unit, source=path, batch=batch)
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED,
            message="the import stopped with an error; nothing was saved",
        )
        raise
    finally:
        path.unlink(missing_ok=True)
    return batch.status


def get_batch_for_user(user: Any, batch_id: int) -> ImportBatch:
    """An import the user started, or one into a unit they see (404 otherwise)."""
    from common.errors import NotFound
    from units.selectors import visible_unit_ids

    batch = ImportBatch.objects.select_related("unit").filter(pk=batch_id).first()
    visible = visible_unit_ids(user)
    if batch is None or not (
        batch.user_id == user.pk or visible is None or batch.unit_id in visible
    ):
        raise NotFound(_("No import %(id)s") % {"id": batch_id})
    return batch


def batches_for_user(user: Any) -> Any:
    """The imports ``user`` may follow: those they started and those into a unit they see,
    latest first."""
    from django.db.models import Q

    from units.selectors import visible_unit_ids

    visible = visible_unit_ids(user)
    qs = ImportBatch.objects.select_related("unit", "user")
    if visible is not None:
        qs = qs.filter(Q(user_id=user.pk) | Q(unit_id__in=visible))
    return qs.order_by("-created_at")


def import_unit_choices(user: Any) -> list[Unit]:
    from units.selectors import units_visible_to

    if not (user.is_superuser or user.can_act):
        return []
    if user.is_superuser or user.is_admin:
        return list(units_visible_to(user).order_by("code"))
    return [user.unit] if user.unit_id else []


@task()
def run_register_import(batch_id: int) -> str:
    """The job ``upload_accept`` enqueues: import the uploaded register of batch ``batch_id``;
    returns the batch's status. (Defined here so that services never import
    ``registry.tasks``.)"""
    return upload_import(batch_id)


def sweep_stale_imports(now: datetime | None = None) -> int:
    """Mark as failed the imports still waiting, reading or saving long after any import
    could have finished (``settings.IMPORT_STALE_HOURS``): their process was stopped. An
    import saves in one transaction, so such a batch saved nothing; its kept file is
    deleted and its message says to import the file again (rows already there are skipped).
    Returns how many were marked."""
    now = now or timezone.now()
    unfinished = [
        ImportBatch.Status.PENDING,
        ImportBatch.Status.READING,
        ImportBatch.Status.SAVING,
    ]
    cutoff = now - timedelta(hours=settings.IMPORT_STALE_HOURS)
    ids = list(
        ImportBatch.objects.filter(status__in=unfinished, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return 0
    marked = ImportBatch.objects.filter(pk__in=ids, status__in=unfinished).update(
        status=ImportBatch.Status.FAILED,
        finished_at=now,
        message=str(
            _(
                "the import was interrupted (the server stopped) and saved nothing; "
                "import the file again: rows already imported are skipped"
            )
        ),
    )
    for pk in ids:
        upload_path(pk).unlink(missing_ok=True)
    return marked
