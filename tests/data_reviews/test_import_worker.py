"""One upload cannot stop the shared worker: real Celery worker processes, Redis and PostgreSQL.

A dimension bomb and a 50,000-column file that were stored before the bounds existed fail in
seconds with a plain reason; a file whose check kills its worker process (as the kernel's
out-of-memory killer would) is delivered again, counted, and set aside after three starts; a
check past its time limit ends as Failed. Through all of it the supervising worker stays up and
another district's email goes out. CI sets DATABASE_URL and CELERY_BROKER_URL, so it always runs
there; the embedded set-up has no broker a second process can share with the test.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from data_reviews import tasks
from data_reviews.models import ImportBatch
from mtss.notifications.delivery import notifications_sweep_due
from tests.data_reviews.workbook_files import dimension_bomb
from tests.notifications.factories import NotificationFactory
from tests.notifications.realparts import SmtpServer, Worker, database_url_for, real_services_only, wait_until

pytestmark = real_services_only()

Status = ImportBatch.Status
WORKER_MEMORY_LIMIT_MB = 2048


def long_file(rows: int = 300_000) -> bytes:
    """A well-formed file that takes a worker a few seconds to check."""
    lines = ["student id,school,grade,subject,window,school year,date,score,percentile"]
    lines += [
        f"{100000 + i},A Lakeside Elementary,{i % 5 + 1},Reading,Fall,2025-2026,9/16/2025,{i % 300},{i % 99}"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def stored(side, name: str, data: bytes) -> ImportBatch:
    """A batch as an upload from before the bounds would have left it: stored, not yet checked."""
    return ImportBatch.objects.create(
        district=side.district,
        uploaded_by=side.coordinator,
        file_name=name,
        file_format="generic",
        payload=data,
        sha256="0" * 64,
        status=Status.CHECKING,
    )


def pool_processes(worker: Worker) -> list[int]:
    """The worker's pool processes: those whose parent is the supervising worker process."""
    assert worker.process is not None
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == worker.process.pid:
            found.append(int(stat.parent.name))
    return found


def status(batch: ImportBatch) -> tuple[str, int]:
    batch.refresh_from_db()
    return batch.status, batch.attempts


def other_district_mail_goes_out(smtp: SmtpServer, side_b) -> None:
    """District B's email goes out once. The same sweep may also send district A's uploader the
    notice that their file failed, in either order, so only B's leader's mail is counted."""
    subject = "Meeting moved to Friday"
    NotificationFactory(district=side_b.district, recipient=side_b.leader, subject=subject)
    notifications_sweep_due()

    def to_b() -> list[str]:
        return [str(m["To"]) for m in smtp.mailbox.parsed() if str(m["Subject"]) == subject]

    assert wait_until(lambda: bool(to_b()), timeout=30)
    assert to_b() == [side_b.leader.email]


def start_worker(smtp: SmtpServer) -> Worker:
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()
    worker = Worker(
        database_url=database_url_for(connection.settings_dict["NAME"]),
        email_url=smtp.url,
        name="imports",
        concurrency=2,
    )
    worker.env["MTSS_WORKER_MEMORY_LIMIT_MB"] = str(WORKER_MEMORY_LIMIT_MB)
    return worker.start()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def worker(smtp: SmtpServer, transactional_db) -> Iterator[Worker]:
    worker = start_worker(smtp)
    try:
        yield worker
    finally:
        worker.stop()


def test_bomb_and_wide_file_fail_in_seconds_and_other_districts_mail_still_goes_out(
    worker, smtp, side_a, side_b
) -> None:
    bomb = stored(side_a, "map.xlsx", dimension_bomb())
    wide = stored(side_a, "wide.csv", (",".join(f"c{i}" for i in range(50_000)) + "\n").encode())
    tasks.check_import.delay(bomb.pk)
    tasks.check_import.delay(wide.pk)
    assert wait_until(lambda: status(bomb)[0] == status(wide)[0] == Status.FAILED, timeout=30)
    assert "has cells as far as XFD1048576" in bomb.problems[0]["reason"]
    assert "has 50,000 columns" in wide.problems[0]["reason"]
    other_district_mail_goes_out(smtp, side_b)
    assert worker.process.poll() is None


def test_a_file_that_kills_its_worker_process_each_time_is_set_aside_after_three_starts(
    worker, smtp, side_a, side_b
) -> None:
    batch = stored(side_a, "long.csv", long_file())
    tasks.check_import.delay(batch.pk)
    for start in range(1, tasks.MAX_TASK_ATTEMPTS + 1):
        assert wait_until(lambda start=start: status(batch) == (Status.CHECKING, start), timeout=60)
        for pid in pool_processes(worker):
            os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: status(batch)[0] == Status.FAILED, timeout=60)
    assert batch.attempts == tasks.MAX_TASK_ATTEMPTS
    assert "stopped the import worker 3 times" in batch.problems[0]["reason"]
    other_district_mail_goes_out(smtp, side_b)
    assert worker.process.poll() is None


def test_worker_processes_run_under_the_memory_ceiling(worker) -> None:
    assert wait_until(lambda: len(pool_processes(worker)) == 2, timeout=30)
    for pid in pool_processes(worker):
        limits = Path(f"/proc/{pid}/limits").read_text().splitlines()
        data = next(line for line in limits if line.startswith("Max data size"))
        assert data.split()[3] == str(WORKER_MEMORY_LIMIT_MB * 1024 * 1024)


def test_a_check_past_its_time_limit_ends_failed_and_the_worker_goes_on(worker, smtp, side_a, side_b) -> None:
    """The limits travel with the task message; two seconds stand in for the ten minutes."""
    batch = stored(side_a, "long.csv", long_file())
    tasks.check_import.apply_async(args=[batch.pk], soft_time_limit=2, time_limit=30)
    assert wait_until(lambda: status(batch)[0] == Status.FAILED, timeout=60)
    assert batch.problems[0]["reason"].startswith("Working on this file took longer than")
    other_district_mail_goes_out(smtp, side_b)
    assert worker.process.poll() is None


def test_the_progress_poll_sees_a_real_workers_import_pass_through_its_write_stages(
    worker, side_a, coordinator_a
) -> None:
    """The worker writes every row in one transaction; the page still sees the stages inside it."""
    from tests.data_reviews.test_import_progress import checked_batch, stages_seen

    batch = checked_batch(side_a, rows=60_000)
    tasks.run_import.delay(batch.pk)
    seen = stages_seen(coordinator_a, batch, None, timeout=120)
    assert (75, "Working out tiers") in seen, seen
    assert seen[-1][0] == 100
    assert status(batch)[0] == Status.DONE
