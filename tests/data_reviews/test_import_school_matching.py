"""School names that match nothing: the likely school suggested, all suggestions used in one step,
a missing school created from the import, and one check of the file afterwards."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coordinators.models import School
from data_reviews.models import ImportBatch, SchoolNameMapping
from data_reviews.scores.importing import SchoolIndex
from mtss.audit.models import AuditEvent

NAMES = ["Three Sisters Elementary", "Mount Hood High", "St. Mary Middle School", "Lakeside Elementary"]
INDEX = SchoolIndex([(n, name, f"C{n}") for n, name in enumerate(NAMES, start=1)])


def test_likely_school_is_suggested_with_school_words_treated_alike() -> None:
    suggestions = INDEX.suggest(
        ["Three Sisters Elementary School", "Mt. Hood High School", "Saint Mary MS", "Nowhere Academy"]
    )
    assert suggestions == {
        "Three Sisters Elementary School": 1,
        "Mt. Hood High School": 2,
        "Saint Mary MS": 3,
    }


def test_a_near_miss_spelling_is_suggested() -> None:
    assert INDEX.suggest(["Three Sistres Elementary ES"]) == {"Three Sistres Elementary ES": 1}


HEADER = "student id,school,grade,subject,window,school year,percentile\n"


@pytest.fixture
def batch(side_a, coordinator_a, django_capture_on_commit_callbacks, celery_eager) -> ImportBatch:
    side_a.school.name = "Three Sisters Elementary"
    side_a.school.save()
    data = HEADER + (
        "1,Three Sisters Elementary School,3,Reading,Fall,2025-2026,50\n"
        "2,Three Sisters Elementary School,3,Reading,Fall,2025-2026,50\n"
        "3,Sunrise Middle School,7,Reading,Fall,2025-2026,50\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(
            reverse("score_import_list"),
            {"file_format": "generic", "data_file": SimpleUploadedFile("fall.csv", data.encode())},
        )
    return ImportBatch.objects.get()


def test_page_preselects_the_suggested_school(batch, side_a, coordinator_a) -> None:
    assert batch.summary["school_suggestions"] == {"Three Sisters Elementary School": side_a.school.pk}
    page = coordinator_a.get(reverse("score_import_detail", args=[batch.pk])).content.decode()
    assert f'<option value="{side_a.school.pk}" selected>Three Sisters Elementary</option>' in page
    assert "Use all 1 suggestion" in page


def test_use_all_suggestions_maps_them_in_one_step_with_one_check(
    batch, side_a, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        coordinator_a.post(reverse("score_import_map_school", args=[batch.pk]), {"use_suggestions": "1"})
    assert len(queued) == 1
    mapping = SchoolNameMapping.objects.get()
    assert (mapping.source_name, mapping.school) == ("three sisters elementary school", side_a.school)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKING


def test_several_names_are_mapped_in_one_save_with_one_check(
    batch, side_a, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as queued:
        coordinator_a.post(
            reverse("score_import_map_school", args=[batch.pk]),
            {"school_1": side_a.other_school.pk, "school_2": side_a.school.pk},
        )
    assert len(queued) == 1
    assert dict(SchoolNameMapping.objects.values_list("source_name", "school")) == {
        "sunrise middle school": side_a.other_school.pk,
        "three sisters elementary school": side_a.school.pk,
    }
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_coordinator_creates_a_missing_school_from_the_import(
    batch, side_a, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as queued:
        coordinator_a.post(
            reverse("score_import_new_school", args=[batch.pk]),
            {"source_name": "Sunrise Middle School", "name": "Sunrise Middle School", "code": "SMS",
             "level": "middle", "grades_served": "6-8"},
        )  # fmt: skip
    # One check of the file queued (adding a school also queues its search entry).
    assert [c.__qualname__ for c in queued].count("_queue.<locals>.send") == 1
    school = School.objects.get(district=side_a.district, code="SMS")
    assert (school.name, school.level, school.grades_served) == ("Sunrise Middle School", "middle", "6-8")
    assert SchoolNameMapping.objects.get(source_name="sunrise middle school").school == school
    assert AuditEvent.objects.filter(action="create school", district=side_a.district).count() == 1
    batch.refresh_from_db()
    assert batch.summary["unmatched_schools"] == {"Three Sisters Elementary School": 2}


def test_a_school_code_already_used_is_refused_and_nothing_changes(batch, side_a, coordinator_a) -> None:
    response = coordinator_a.post(
        reverse("score_import_new_school", args=[batch.pk]),
        {"source_name": "Sunrise Middle School", "name": "Sunrise Middle School", "code": side_a.school.code,
         "level": "middle", "grades_served": "6-8"},
        follow=True,
    )  # fmt: skip
    assert f"The code {side_a.school.code} is already used" in response.content.decode()
    assert not School.objects.filter(name="Sunrise Middle School").exists()
    assert not SchoolNameMapping.objects.exists()


def test_outsider_cannot_create_a_school_through_another_districts_import(
    batch, side_b, coordinator_b
) -> None:
    response = coordinator_b.post(
        reverse("score_import_new_school", args=[batch.pk]),
        {"source_name": "Sunrise Middle School", "name": "Sunrise", "code": "X1", "level": "middle",
         "grades_served": "6-8"},
    )  # fmt: skip
    assert response.status_code == 404
    assert not School.objects.filter(code="X1").exists()
