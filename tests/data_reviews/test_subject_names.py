"""One name per subject: the import preview, the dashboards and import_scores call Language usage the same."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from data_reviews.models import ImportBatch
from data_reviews.models.scores import Subject
from data_reviews.scores.analysis import SUBJECT_LABELS, subject_label

HEADER = "student id,school,grade,subject,window,school year,percentile\n"


@pytest.fixture(autouse=True)
def _eager(celery_eager: None) -> None:
    """The import tasks run in-process."""


def rows(side) -> str:
    return HEADER + "".join(
        f"{n},{side.school.name},3,{subject},Fall,2025-2026,{40 + n}\n"
        for n, subject in enumerate(["Language Usage", "ELA", "Mathematics", "Language Usage"], start=1)
    )


def test_every_subject_has_the_name_its_stored_choice_has() -> None:
    assert {s.value: s.label for s in Subject} == SUBJECT_LABELS
    assert subject_label("language") == "Language usage"
    assert subject_label("language", in_sentence=True) == "language usage"


def test_preview_dashboard_and_command_line_name_subjects_alike(
    side_a, coordinator_a, django_capture_on_commit_callbacks, tmp_path, capsys
) -> None:
    path = tmp_path / "fall.csv"
    path.write_text(rows(side_a))
    call_command(
        "import_scores", "--district", side_a.district.slug, "--format", "generic", "--dry-run", str(path)
    )
    assert "Subjects: Language usage (2), Math (1), Reading (1)" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(
            reverse("score_import_list"),
            {"file_format": "generic", "data_file": SimpleUploadedFile("fall.csv", rows(side_a).encode())},
        )
    batch = ImportBatch.objects.get()
    preview = coordinator_a.get(reverse("score_import_detail", args=[batch.pk]))
    assert preview.status_code == 200
    assert "<li>Language usage (2)</li>" in preview.content.decode()
    assert "<li>Reading (1)</li>" in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(reverse("score_import_start", args=[batch.pk]))
    dashboard = coordinator_a.get(reverse("score_district_dashboard") + "?subject=language")
    assert dashboard.status_code == 200
    body = dashboard.content.decode()
    assert '<option value="language" selected>Language usage</option>' in body
    assert "tested language usage" in dashboard.context["summary"]
