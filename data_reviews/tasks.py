"""Imports run in a worker: each task claims its batch through the service, then calls the service.

Every start of a check or an import is counted on the batch row before any work. A file that
kills its worker process (out of memory, or killed from outside) is delivered again, since tasks
are acknowledged only when they finish; after MAX_TASK_ATTEMPTS starts it is set aside as Failed
instead of taking a worker down again and again. Time limits end the rest.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded

from data_reviews.models import SlideDeck
from data_reviews.scores import services, slide_decks
from mtss.celery import IMPORT_SOFT_TIME_LIMIT_SECONDS, IMPORT_TIME_LIMIT_SECONDS

logger = logging.getLogger(__name__)

MAX_TASK_ATTEMPTS = services.MAX_IMPORT_STARTS

TOO_SLOW = (
    "Working on this file took longer than {limit}, so it was stopped. Split it by school or window "
    "and import the parts."
)
OUT_OF_MEMORY = (
    "This file needs more memory than an import may take, so it was stopped. Split it by school or "
    "window and import the parts."
)
UNEXPECTED = "Something went wrong; nothing was imported. Try again or ask for help."


class ImportTask(Task):
    """A hard time limit kills the task's process; Celery then calls on_failure in the worker
    itself, which is where the batch learns it was stopped."""

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        if args:
            slow = isinstance(exc, TimeLimitExceeded)
            reason = TOO_SLOW.format(limit=_time_limit_words()) if slow else UNEXPECTED
            services.import_batch_stop(batch_id=int(args[0]), reason=reason)


def _time_limit_words() -> str:
    seconds = IMPORT_SOFT_TIME_LIMIT_SECONDS
    return f"{seconds} seconds" if seconds < 120 else f"{round(seconds / 60)} minutes"


@shared_task(
    base=ImportTask,
    acks_late=True,
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT_SECONDS,
    time_limit=IMPORT_TIME_LIMIT_SECONDS,
)
def check_import(batch_id: int) -> None:
    """Run the preview of an uploaded file (safe to run twice: it only reads and stores counts)."""
    batch = services.import_batch_claim(batch_id=batch_id, step=services.CHECK)
    if batch is not None:
        _run(batch_id, lambda: services.import_batch_check(batch))


@shared_task(
    base=ImportTask,
    acks_late=True,
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT_SECONDS,
    time_limit=IMPORT_TIME_LIMIT_SECONDS,
)
def run_import(batch_id: int) -> None:
    """Write a previewed file; the claim lets only one worker import it at a time."""
    batch = services.import_batch_claim(batch_id=batch_id, step=services.IMPORT)
    if batch is not None:
        _run(batch_id, lambda: services.import_batch_run(batch))


def _run(batch_id: int, work: Any) -> None:
    try:
        work()
    except SoftTimeLimitExceeded:
        logger.warning("Import batch %s passed its time limit", batch_id)
        services.import_batch_stop(batch_id=batch_id, reason=TOO_SLOW.format(limit=_time_limit_words()))
    except MemoryError:
        # Not re-raised: the worker treats a MemoryError from a task as its own.
        logger.warning("Import batch %s ran out of memory", batch_id)
        services.import_batch_stop(batch_id=batch_id, reason=OUT_OF_MEMORY)
    except Exception:
        services.import_batch_stop(batch_id=batch_id, reason=UNEXPECTED)
        raise


# A district deck of 60 schools is drawn in well under a minute; the limits only end one gone wrong.
SLIDES_SOFT_TIME_LIMIT_SECONDS = 120
SLIDES_TIME_LIMIT_SECONDS = 150


@shared_task(
    acks_late=True, soft_time_limit=SLIDES_SOFT_TIME_LIMIT_SECONDS, time_limit=SLIDES_TIME_LIMIT_SECONDS
)
def build_slide_deck(deck_id: int) -> None:
    """Draw one deck; the conditional UPDATE lets only one worker draw it, so a rerun does nothing."""
    claimed = SlideDeck.objects.filter(pk=deck_id, status=SlideDeck.Status.QUEUED).update(
        status=SlideDeck.Status.BUILDING, progress=1, stage="Starting"
    )
    if not claimed:
        return
    deck = SlideDeck.objects.select_related("district").defer("content").get(pk=deck_id)
    try:
        slide_decks.slide_deck_build(deck)
    except Exception:
        slide_decks.slide_deck_fail(deck_id)
        raise


@shared_task(
    acks_late=True, soft_time_limit=IMPORT_SOFT_TIME_LIMIT_SECONDS, time_limit=IMPORT_TIME_LIMIT_SECONDS
)
def recompute_snapshots(district_id: int) -> None:
    """Rebuild a district's tier snapshots, e.g. after its minimum group size went down so that
    groups left out before are counted. Safe to run twice: it rebuilds the same rows."""
    services.snapshots_recompute(district_id=district_id)
