"""Import tasks count their starts on the batch and end as Failed, with a reason, when a file keeps
killing its worker or runs past its time limit (the real worker is in test_import_worker.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from celery.exceptions import TimeLimitExceeded
from django.urls import reverse

from data_reviews import tasks
from data_reviews.models import ImportBatch, StudentResult
from data_reviews.scores import services
from data_reviews.scores.importing import Upload
from mtss import celery as mtss_celery
from mtss.audit.models import AuditEvent
from mtss.notifications.models import Notification
from mtss.notifications.tasks import deliver_notifications, send_reminders

FIXTURES = Path(__file__).parent / "fixtures"
GENERIC = (FIXTURES / "generic_long.csv").read_bytes()
Status = ImportBatch.Status


@pytest.fixture(autouse=True)
def _eager(celery_eager: None) -> None:
    """The import tasks run in-process."""


def stored(side, status: str = Status.CHECKING, attempts: int = 0) -> ImportBatch:
    return ImportBatch.objects.create(
        district=side.district,
        uploaded_by=side.coordinator,
        file_name="scores.csv",
        file_format="generic",
        payload=GENERIC,
        sha256="0" * 64,
        status=status,
        attempts=attempts,
    )


def test_each_start_of_a_check_is_counted_on_the_batch(side_a) -> None:
    batch = stored(side_a)
    tasks.check_import(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == (Status.PREVIEW, 1)


def test_a_check_delivered_again_after_killing_its_worker_three_times_is_set_aside(
    side_a, coordinator_a
) -> None:
    """Three starts that never finished (each killed its worker): the fourth delivery gives up."""
    batch = stored(side_a, attempts=tasks.MAX_TASK_ATTEMPTS)
    tasks.check_import(batch.pk)
    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert batch.attempts == tasks.MAX_TASK_ATTEMPTS
    reason = batch.problems[0]["reason"]
    assert reason.startswith("Working on this file stopped the import worker 3 times, so it was set aside.")
    page = coordinator_a.get(reverse("score_import_detail", args=[batch.pk])).content.decode()
    assert "Nothing was imported. Working on this file stopped the import worker 3 times" in page
    told = Notification.objects.get(recipient=side_a.coordinator)
    assert told.subject == "Import stopped: scores.csv (nothing was saved)"
    assert told.body == reason
    event = AuditEvent.objects.get(action="import scores")
    assert (event.outcome, event.detail["reason"]) == (AuditEvent.Outcome.FAILURE, reason)


def test_stopping_a_batch_twice_tells_the_uploader_once(side_a) -> None:
    batch = stored(side_a, attempts=1)
    assert services.import_batch_stop(batch_id=batch.pk, reason="Stopped.") is True
    assert services.import_batch_stop(batch_id=batch.pk, reason="Stopped again.") is False
    batch.refresh_from_db()
    assert batch.problems[0]["reason"] == "Stopped."
    assert Notification.objects.count() == 1


def test_checking_again_starts_the_count_again(side_a, django_capture_on_commit_callbacks) -> None:
    batch = stored(side_a, status=Status.PROBLEMS, attempts=tasks.MAX_TASK_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_batch_recheck(batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == (Status.PREVIEW, 1)


def test_an_import_redelivered_after_its_worker_died_runs_once_more_and_writes_every_row(
    side_a, django_capture_on_commit_callbacks
) -> None:
    batch = stored(side_a)
    tasks.check_import(batch.pk)
    with django_capture_on_commit_callbacks(execute=False):
        services.import_batch_start(batch=ImportBatch.objects.get(pk=batch.pk))
    # The first worker claimed it and died: one start counted, nothing written.
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.IMPORTING, attempts=1)
    tasks.run_import(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == (Status.DONE, 2)
    assert StudentResult.objects.filter(batch=batch).count() == batch.rows_written > 0


def test_an_import_that_killed_its_worker_three_times_writes_nothing_and_is_set_aside(side_a) -> None:
    batch = stored(side_a, status=Status.IMPORTING, attempts=tasks.MAX_TASK_ATTEMPTS)
    tasks.run_import(batch.pk)
    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert "stopped the import worker 3 times" in batch.problems[0]["reason"]
    assert not StudentResult.objects.exists()


def test_a_finished_batch_delivered_again_is_left_alone(side_a) -> None:
    batch = stored(side_a, status=Status.DONE, attempts=1)
    tasks.run_import(batch.pk)
    tasks.check_import(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.attempts, batch.problems) == (Status.DONE, 1, [])


def test_a_hard_time_limit_reported_by_the_worker_ends_the_batch_as_failed(side_a) -> None:
    """Celery calls on_failure in the supervising worker after killing a task at its hard limit."""
    batch = stored(side_a, attempts=1)
    tasks.check_import.on_failure(TimeLimitExceeded(660), "task-id", (batch.pk,), {}, None)
    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert batch.problems[0]["reason"].startswith("Working on this file took longer than 10 minutes")


def test_every_task_has_time_limits_and_workers_a_memory_ceiling() -> None:
    assert tasks.check_import.soft_time_limit == mtss_celery.IMPORT_SOFT_TIME_LIMIT_SECONDS == 600
    assert tasks.run_import.time_limit == mtss_celery.IMPORT_TIME_LIMIT_SECONDS == 660
    conf = mtss_celery.app.conf
    assert (conf.task_soft_time_limit, conf.task_time_limit) == (240, 300)
    for task in (deliver_notifications, send_reminders):
        assert (task.soft_time_limit, task.time_limit) == (240, 300)
    assert conf.worker_max_memory_per_child == 1024 * 1024
    assert mtss_celery.WORKER_MEMORY_LIMIT_BYTES == 3 * 1024**3


def test_an_upload_is_checked_once_and_counts_one_start(side_a, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_batch_create(
            district=side_a.district,
            member=side_a.membership(side_a.coordinator),
            file_format="generic",
            uploads=[Upload("scores.csv", GENERIC)],
        )
    batch.refresh_from_db()
    assert batch.attempts == 1
