"""The roster in the browser: the imports page takes a OneRoster zip through check, preview and import."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from coordinators.models import Membership, Role, Student
from data_reviews import tasks
from data_reviews.models import ImportBatch
from data_reviews.scores import services
from mtss.audit.models import AuditEvent
from tests.conftest import Side
from tests.coordinators.roster_zips import RosterFiles, sample_roster


@pytest.fixture(autouse=True)
def _eager(celery_eager: None) -> None:
    """Every test here runs the check and the import in-process."""


def upload(client: Client, files: RosterFiles | bytes, capture: Any, name: str = "oneroster.zip") -> Any:
    data = files if isinstance(files, bytes) else files.zip()
    with capture(execute=True):
        return client.post(
            reverse("score_import_list"),
            {"file_format": ImportBatch.Format.ONEROSTER, "data_file": SimpleUploadedFile(name, data)},
        )


def counts_row(page: str, label: str) -> list[str]:
    row = page.split(f'<th scope="row">{label}</th>')[1].split("</tr>")[0]
    return [cell.split(">")[1] for cell in row.split("</td>")[:-1]]


def test_coordinator_checks_previews_and_imports_a_roster(
    side_a: Side, coordinator_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = upload(coordinator_a, sample_roster(students_per_school=3), django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    assert response.url == reverse("score_import_detail", args=[batch.pk])
    assert batch.status == ImportBatch.Status.PREVIEW
    page = coordinator_a.get(response.url).content.decode()
    assert "What importing the roster would change" in page
    assert counts_row(page, "Students") == ["6", "0", "0", "0"]
    assert Student.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(reverse("score_import_start", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert Student.objects.filter(district=side_a.district).count() == 6
    page = coordinator_a.get(response.url).content.decode()
    assert "What the roster changed" in page
    assert counts_row(page, "Enrollments") == ["10", "0", "0", "0"]
    assert set(AuditEvent.objects.filter(district=side_a.district).values_list("action", flat=True)) >= {
        "upload roster",
        "import roster",
    }
    assert AuditEvent.objects.get(action="import roster").actor == side_a.coordinator


def test_a_roster_with_problem_rows_shows_them_and_cannot_be_imported(
    side_a: Side, coordinator_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    files = sample_roster(students_per_school=2)
    files.rows["enrollments"][-1]["classSourcedId"] = "cls-missing"
    upload(coordinator_a, files, django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PROBLEMS
    page = coordinator_a.get(reverse("score_import_detail", args=[batch.pk])).content.decode()
    assert "Problem rows" in page
    assert "enrollments.csv classSourcedId" in page
    assert "No class in classes.csv has this sourcedId." in page
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(reverse("score_import_start", args=[batch.pk]))
    assert Student.objects.count() == 0
    problems_csv = coordinator_a.get(reverse("score_import_problems_csv", args=[batch.pk])).content.decode()
    assert f"{len(files.rows['enrollments']) + 1},enrollments.csv classSourcedId,cls-missing" in problems_csv


def test_a_file_that_is_not_a_roster_zip_is_refused_and_nothing_is_stored(
    side_a: Side, coordinator_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = upload(
        coordinator_a, b"student id,school\n1,A\n", django_capture_on_commit_callbacks, "roster.csv"
    )
    assert response.status_code == 200
    assert "is not a zip file" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_former_coordinator_cannot_have_the_worker_import_a_roster(
    side_a: Side, coordinator_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    upload(coordinator_a, sample_roster(students_per_school=1), django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    Membership.objects.filter(user=side_a.coordinator).update(role=Role.MEMBER)
    services.import_batch_start(batch=batch)
    tasks.run_import(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "Only a coordinator" in batch.problems[0]["reason"]
    assert Student.objects.count() == 0


@pytest.mark.parametrize("students", [2, 20])
def test_roster_import_page_query_count_is_pinned(
    side_a: Side,
    coordinator_a: Client,
    django_capture_on_commit_callbacks: Any,
    django_assert_num_queries: Any,
    students: int,
) -> None:
    upload(coordinator_a, sample_roster(students_per_school=students), django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    url = reverse("score_import_detail", args=[batch.pk])
    coordinator_a.get(url)
    with django_assert_num_queries(5):
        response = coordinator_a.get(url)
    assert response.status_code == 200
