"""Screener imports and the roster: the preview counts results off the roster, the write links the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators.models import Student
from coordinators.roster.services import roster_import
from data_reviews.models import ImportBatch, StudentResult
from data_reviews.scores import services
from data_reviews.scores.importing import Upload
from tests.conftest import Side
from tests.coordinators.roster_zips import RosterFiles, upload

GENERIC = (Path(__file__).parents[1] / "data_reviews" / "fixtures" / "generic_long.csv").read_bytes()


@pytest.fixture(autouse=True)
def _eager(celery_eager: None) -> None:
    """Every test here runs the import tasks in-process."""


def roster_of(side: Side, numbers: list[str]) -> None:
    files = RosterFiles()
    files.add("orgs", sourcedId="o1", name=side.school.name, type="school", identifier=side.school.code)
    for number in numbers:
        files.add(
            "users", sourcedId=f"u{number}", orgSourcedIds="o1", role="student", givenName="S",
            familyName=number, identifier=number, grades="01",
        )  # fmt: skip
    assert roster_import(district=side.district, upload=upload(files), member=None).ok


def check(side: Side, capture: Any, data: bytes = GENERIC) -> ImportBatch:
    with capture(execute=True):
        batch = services.import_batch_create(
            district=side.district,
            member=side.membership(side.coordinator),
            file_format="generic",
            uploads=[Upload("s.csv", data)],
        )
    batch.refresh_from_db()
    return batch


def test_preview_counts_results_for_students_not_on_the_roster(
    side_a: Side, coordinator_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    roster_of(side_a, ["5001", "5002"])
    batch = check(side_a, django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.PREVIEW
    assert batch.summary["not_on_roster"] == 2
    page = coordinator_a.get(reverse("score_import_detail", args=[batch.pk])).content.decode()
    assert "2 results are for students the roster does not list" in page


def test_without_a_roster_the_preview_says_nothing_about_it(
    side_a: Side, coordinator_a: Client, django_capture_on_commit_callbacks: Any
) -> None:
    batch = check(side_a, django_capture_on_commit_callbacks)
    assert "not_on_roster" not in batch.summary
    page = coordinator_a.get(reverse("score_import_detail", args=[batch.pk])).content.decode()
    assert "roster" not in page.split("<main")[1].casefold()


def test_imported_results_link_to_rostered_students_of_their_district_only(
    side_a: Side, side_b: Side, django_capture_on_commit_callbacks: Any
) -> None:
    roster_of(side_a, ["5001", "5003"])
    roster_of(side_b, ["5002"])
    batch = check(side_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_batch_start(batch=batch)
    linked = dict(
        StudentResult.objects.filter(district=side_a.district).values_list("student_id", "rostered_student")
    )
    students = dict(Student.objects.filter(district=side_a.district).values_list("student_number", "pk"))
    assert linked == {"5001": students["5001"], "5002": None, "5003": students["5003"], "5004": None}


def test_linking_is_one_update_whatever_the_number_of_results(
    side_a: Side, django_capture_on_commit_callbacks: Any
) -> None:
    roster_of(side_a, [str(n) for n in range(9000, 9040)])
    header, *_rows = GENERIC.decode("utf-8-sig").splitlines()
    body = [f"{n},A01,1,Reading,Fall,2025-2026,9/16/2025,40,30,," for n in range(9000, 9040)]
    batch = check(side_a, django_capture_on_commit_callbacks, "\n".join([header, *body]).encode())
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        services.import_batch_start(batch=batch)
    updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "rostered_student_id" in q["sql"]
    ]
    assert len(updates) == 1
    assert StudentResult.objects.filter(rostered_student__isnull=False).count() == 40
