"""The import page's progress poll sees every stage of an import, including the ones that run
inside the import's single write transaction (on SQLite and on PostgreSQL); the real worker's
run is in test_import_worker.py."""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from data_reviews import tasks
from data_reviews.models import ImportBatch, StudentResult
from data_reviews.scores import importing, services
from data_reviews.scores.importing import progress

Status = ImportBatch.Status
STAGE = re.compile(r'aria-valuenow="(\d+)".*?>(\d+)%<', re.S)
STATUS_LINE = re.compile(r"<strong>([^<]+)</strong>(?: · ([^<]+))?</p>")


def stored(side, **fields: object) -> ImportBatch:
    return ImportBatch.objects.create(
        district=side.district,
        uploaded_by=side.coordinator,
        file_name="scores.csv",
        file_format="generic",
        payload=b"x",
        sha256="0" * 64,
        **fields,
    )


def long_file(rows: int) -> bytes:
    lines = ["student id,school,grade,subject,window,school year,date,score,percentile"]
    lines += [
        f"{100000 + i},A Lakeside Elementary,{i % 5 + 1},{('Reading', 'Math')[i % 2]},Fall,2025-2026,"
        f"9/16/2025,{i % 300},{i % 99}"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def checked_batch(side, rows: int) -> ImportBatch:
    batch = services.import_batch_create(
        district=side.district,
        member=side.membership(side.coordinator),
        file_format="generic",
        uploads=[importing.Upload("long.csv", long_file(rows))],
        queue_check=False,
    )
    services.import_batch_check(batch)
    assert batch.status == Status.PREVIEW
    # As "Import" leaves it, without queueing the task: the test starts it itself.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.QUEUED, progress=0, stage="Waiting to import"
    )
    return batch


def stages_seen(client: Client, batch: ImportBatch, until: threading.Event | None, timeout: float) -> list:
    """Poll the progress fragment the page polls, as fast as it answers, until the import ends."""
    url = reverse("score_import_progress", args=[batch.pk]) + "?was=running"
    seen: list[tuple[int, str]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        value = int(STAGE.search(html).group(1))
        line = STATUS_LINE.search(html)
        stage = (line.group(2) or "").strip()
        if not seen or seen[-1] != (value, stage):
            seen.append((value, stage))
        if "HX-Refresh" in response or (until is not None and until.is_set() and value == 100):
            break
        time.sleep(0.01)
    return seen


@pytest.mark.django_db(transaction=True)
def test_the_progress_poll_sees_the_stages_inside_the_write_transaction(side_a, coordinator_a) -> None:
    batch = checked_batch(side_a, rows=20_000)
    done = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            tasks.run_import(batch.pk)
        except BaseException as error:
            failure.append(error)
        finally:
            connection.close()
            done.set()

    worker = threading.Thread(target=run)
    worker.start()
    seen = stages_seen(coordinator_a, batch, done, timeout=120)
    worker.join(timeout=120)
    assert failure == []
    # 75% and 95% are written while the rows are being saved in one transaction: the poll sees them.
    assert (75, "Working out tiers") in seen, seen
    assert seen[-1][0] == 100
    values = [value for value, _stage in seen]
    assert values == sorted(values), "the bar never goes back"
    batch.refresh_from_db()
    assert batch.status == Status.DONE
    assert StudentResult.objects.filter(district=side_a.district).count() == 20_000


def test_a_stage_left_by_an_earlier_start_or_status_is_not_shown(side_a, coordinator_a) -> None:
    batch = stored(side_a, status=Status.IMPORTING, attempts=2, progress=40)
    url = reverse("score_import_progress", args=[batch.pk])
    progress.stage_write(
        batch_id=batch.pk, progress=75, stage="Working out tiers", status=batch.status, attempts=1
    )
    assert 'aria-valuenow="40"' in coordinator_a.get(url).content.decode()
    progress.stage_write(
        batch_id=batch.pk, progress=75, stage="Working out tiers", status=Status.CHECKING, attempts=2
    )
    assert 'aria-valuenow="40"' in coordinator_a.get(url).content.decode()
    progress.stage_write(
        batch_id=batch.pk, progress=75, stage="Working out tiers", status=batch.status, attempts=2
    )
    html = coordinator_a.get(url).content.decode()
    assert 'aria-valuenow="75"' in html
    assert "Working out tiers" in html
    progress.stage_clear(batch.pk)
    assert 'aria-valuenow="40"' in coordinator_a.get(url).content.decode()


def test_a_finished_import_shows_what_the_database_holds(side_a, coordinator_a) -> None:
    batch = stored(side_a, status=Status.DONE, progress=100, stage="Imported")
    progress.stage_write(
        batch_id=batch.pk, progress=75, stage="Working out tiers", status=Status.IMPORTING, attempts=0
    )
    html = coordinator_a.get(reverse("score_import_progress", args=[batch.pk])).content.decode()
    assert 'aria-valuenow="100"' in html
    assert "Working out tiers" not in html
    progress.stage_clear(batch.pk)
