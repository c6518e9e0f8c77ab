"""A district export built by a real Celery worker over Redis, against PostgreSQL.

The page's request commits the export row and queues the task after the commit; the worker claims it
with a conditional UPDATE, so the same task delivered again (or queued twice) builds one zip.
CI sets DATABASE_URL and CELERY_BROKER_URL, so it always runs there.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

import pytest

from coordinators import lifecycle, tasks
from coordinators.models import DistrictExport
from tests.notifications.realparts import (
    Worker,
    real_services_only,
    wait_until,
    worker_on_test_database,
)

pytestmark = real_services_only()


@pytest.fixture
def worker(transactional_db) -> Iterator[Worker]:
    with worker_on_test_database(name="exports", email_url="console://") as worker:
        yield worker


def test_the_worker_builds_the_export_once_however_often_it_is_queued(worker, side_a, side_b):
    folder = lifecycle.exports_dir() / str(side_a.district.pk)
    before = set(folder.glob("*.zip"))
    export = lifecycle.district_export_request(member=side_a.membership(side_a.coordinator))

    def ready() -> bool:
        export.refresh_from_db()
        return export.status == DistrictExport.Status.READY

    assert wait_until(ready, timeout=60), (export.status, export.stage)
    first = export.file_path
    tasks.build_district_export.delay(export.pk)
    tasks.build_district_export.delay(export.pk)
    again = lifecycle.district_export_request(member=side_a.membership(side_a.coordinator))
    assert again.pk != export.pk
    assert wait_until(
        lambda: DistrictExport.objects.get(pk=again.pk).status == DistrictExport.Status.READY, 60
    )
    export.refresh_from_db()
    assert export.file_path == first
    assert len(set(folder.glob("*.zip")) - before) == 2
    with zipfile.ZipFile(lifecycle.exports_dir() / first) as archive:
        schools = archive.read("coordinators/schools.csv").decode("utf-8-sig")
    assert side_a.school.name in schools
    assert side_b.school.name not in schools
    assert worker.process.poll() is None
