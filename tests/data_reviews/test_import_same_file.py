"""A file the district has already imported is recognised before anything is done, and not stored twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from data_reviews.models import ImportBatch, StudentResult
from data_reviews.scores import services
from data_reviews.scores.importing import Upload

FIXTURES = Path(__file__).parent / "fixtures"
GENERIC = (FIXTURES / "generic_long.csv").read_bytes()


@pytest.fixture(autouse=True)
def _eager(celery_eager: None) -> None:
    """The checks and imports run in-process."""


def upload(client, capture, data: bytes = GENERIC):
    with capture(execute=True):
        return client.post(
            reverse("score_import_list"),
            {"file_format": "generic", "data_file": SimpleUploadedFile("fall.csv", data)},
            follow=True,
        )


def imported(side, capture) -> ImportBatch:
    with capture(execute=True):
        batch = services.import_batch_create(
            district=side.district, member=side.membership(side.coordinator), file_format="generic",
            uploads=[Upload("fall.csv", GENERIC)],
        )  # fmt: skip
    batch.refresh_from_db()
    with capture(execute=True):
        services.import_batch_start(batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    return batch


def test_uploading_an_imported_file_again_says_so_and_stores_nothing(
    side_a, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    first = imported(side_a, django_capture_on_commit_callbacks)
    response = upload(coordinator_a, django_capture_on_commit_callbacks)
    assert response.redirect_chain[-1][0] == reverse("score_import_detail", args=[first.pk])
    assert "fall.csv is already imported (4 rows)" in response.content.decode()
    assert ImportBatch.objects.count() == 1
    assert StudentResult.objects.count() == 4


def test_the_same_file_in_another_district_is_imported_there(
    side_a, side_b, coordinator_b, django_capture_on_commit_callbacks
) -> None:
    imported(side_a, django_capture_on_commit_callbacks)
    upload(coordinator_b, django_capture_on_commit_callbacks)
    assert ImportBatch.objects.filter(district=side_b.district).count() == 1


def test_a_file_whose_import_failed_may_be_uploaded_again(
    side_a, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    first = imported(side_a, django_capture_on_commit_callbacks)
    ImportBatch.objects.filter(pk=first.pk).update(status=ImportBatch.Status.FAILED)
    upload(coordinator_a, django_capture_on_commit_callbacks)
    assert ImportBatch.objects.count() == 2


def test_command_refuses_a_file_already_imported_before_checking_it(
    side_a, django_capture_on_commit_callbacks, capsys
) -> None:
    first = imported(side_a, django_capture_on_commit_callbacks)
    with pytest.raises(CommandError, match=rf"already imported \(4 rows\).*\(batch {first.pk}\)"):
        call_command(
            "import_scores", "--district", side_a.district.slug, "--format", "generic",
            str(FIXTURES / "generic_long.csv"),
        )  # fmt: skip
    assert "Rows read" not in capsys.readouterr().out
    assert ImportBatch.objects.count() == 1


def test_command_without_rows_listed_never_says_fix_the_rows_above(side_a, tmp_path) -> None:
    file = tmp_path / "scores.csv"
    file.write_bytes(b"student id,school,subject,window,percentile\n1,A01,Reading,Fall,50\n")
    with pytest.raises(CommandError) as refused:
        call_command("import_scores", "--district", side_a.district.slug, "--format", "generic", str(file))
    assert "rows above" not in str(refused.value)
    assert "lacks the columns named above" in str(refused.value)


def test_reimporting_changed_rows_says_how_many_are_new_changed_and_unchanged(
    side_a, coordinator_a, django_capture_on_commit_callbacks
) -> None:
    imported(side_a, django_capture_on_commit_callbacks)
    changed = (
        GENERIC.replace(b",60,91,", b",60,75,") + b"5009,A01,2,Reading,Fall,2025-2026,9/16/2025,40,30,,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_batch_create(
            district=side_a.district, member=side_a.membership(side_a.coordinator), file_format="generic",
            uploads=[Upload("fall-corrected.csv", changed)],
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.import_batch_start(batch=batch)
    batch.refresh_from_db()
    assert batch.summary["changes"] == {"new": 1, "changed": 1, "unchanged": 3}
    page = coordinator_a.get(reverse("score_import_detail", args=[batch.pk])).content.decode()
    assert "Imported 5 rows: 1 new, 1 changed, 3 unchanged." in page
    assert StudentResult.objects.get(student_id="5004").percentile == 75
