"""Imports run in a worker: each task reloads its batch, claims it, then calls the service."""

from __future__ import annotations

from celery import shared_task

from data_reviews.models import ImportBatch
from data_reviews.scores import services


@shared_task(acks_late=True)
def check_import(batch_id: int) -> None:
    """Run the preview of an uploaded file (safe to run twice: it only reads and stores counts)."""
    batch = ImportBatch.objects.select_related("district").filter(pk=batch_id).first()
    if batch is None or batch.status != ImportBatch.Status.CHECKING:
        return
    try:
        services.import_batch_check(batch)
    except Exception:
        _fail(batch_id)
        raise


@shared_task(acks_late=True)
def run_import(batch_id: int) -> None:
    """Write a previewed file; the conditional UPDATE lets only one worker import it."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.IMPORTING
    )
    if not claimed:
        return
    batch = ImportBatch.objects.select_related("district", "uploaded_by").get(pk=batch_id)
    try:
        services.import_batch_run(batch)
    except Exception:
        _fail(batch_id)
        raise


def _fail(batch_id: int) -> None:
    """An unexpected error: say so on the page instead of leaving a progress bar spinning."""
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportBatch.Status.FAILED,
        progress=100,
        stage="Something went wrong; nothing was imported. Try again or ask for help.",
    )
