"""Each step of an import is one service: a file is checked once from upload to import, a rule
moved to another subject redoes both subjects' tiers in one transaction, and a file that cannot
be checked again says why without changing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from data_reviews.models import DecisionRule, ImportBatch, StudentResult
from data_reviews.scores import services
from data_reviews.scores.importing import Upload, files

FIXTURES = Path(__file__).parent / "fixtures"
GENERIC = (FIXTURES / "generic_long.csv").read_bytes()
Status = ImportBatch.Status


@pytest.fixture(autouse=True)
def _eager(celery_eager: None) -> None:
    """The import tasks run in-process."""


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The real check, counted: the names of the files it was run on."""
    seen: list[str] = []
    real = files.check_upload

    def counted(upload: Upload, *, max_bytes: int) -> str:
        seen.append(upload.name)
        return real(upload, max_bytes=max_bytes)

    monkeypatch.setattr(files, "check_upload", counted)
    return seen


def imported(side, capture) -> ImportBatch:
    with capture(execute=True):
        batch = services.import_batch_create(
            district=side.district,
            member=side.membership(side.coordinator),
            file_format="generic",
            uploads=[Upload("scores.csv", GENERIC)],
        )
    batch.refresh_from_db()
    assert batch.status == Status.PREVIEW
    with capture(execute=True):
        services.import_batch_start(batch=batch)
    batch.refresh_from_db()
    assert batch.status == Status.DONE
    return batch


def test_an_uploaded_file_is_checked_once_from_upload_to_import(
    side_a, checks, django_capture_on_commit_callbacks
) -> None:
    batch = imported(side_a, django_capture_on_commit_callbacks)
    assert checks == ["scores.csv"]
    assert batch.summary["file_kinds"] == ["csv"]
    assert StudentResult.objects.filter(district=side_a.district).count() == 4


def test_a_file_stored_before_it_was_checked_is_checked_when_read(
    side_a, checks, django_capture_on_commit_callbacks
) -> None:
    batch = ImportBatch.objects.create(
        district=side_a.district,
        uploaded_by=side_a.coordinator,
        file_name="old.csv",
        file_format="generic",
        payload=GENERIC,
        sha256="0" * 64,
    )
    services.import_batch_check(batch)
    assert checks == ["old.csv"]
    assert batch.status == Status.PREVIEW


def test_moving_a_rule_to_another_subject_redoes_both_subjects_tiers(
    side_a, django_capture_on_commit_callbacks
) -> None:
    imported(side_a, django_capture_on_commit_callbacks)
    rule = services.decision_rule_save(
        member=side_a.membership(side_a.coordinator),
        subject="reading",
        method="category",
        category_tiers={"Anything": 1},
    )
    # No category in the file is named by the rule, so reading has no tier while the rule holds.
    assert set(StudentResult.objects.filter(subject="reading").values_list("tier", flat=True)) == {None}
    services.decision_rule_save(
        member=side_a.membership(side_a.coordinator),
        subject="math",
        method="category",
        category_tiers={"Anything": 1},
        replacing=rule,
    )
    assert list(DecisionRule.objects.values_list("subject", flat=True)) == ["math"]
    # Reading is back on the default percentile rule, math now has no tier.
    assert None not in set(StudentResult.objects.filter(subject="reading").values_list("tier", flat=True))
    assert set(StudentResult.objects.filter(subject="math").values_list("tier", flat=True)) == {None}


@pytest.mark.parametrize("state", ["done", "deleted"])
def test_a_file_imported_or_deleted_is_not_checked_again(
    state, side_a, django_capture_on_commit_callbacks
) -> None:
    batch = imported(side_a, django_capture_on_commit_callbacks)
    if state == "deleted":
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=Status.PREVIEW, raw_file_deleted_at=timezone.now()
        )
    with pytest.raises(services.ImportNotReady), django_capture_on_commit_callbacks() as queued:
        services.import_batch_recheck(batch=batch)
    assert queued == []
    assert ImportBatch.objects.get(pk=batch.pk).status == (Status.DONE if state == "done" else Status.PREVIEW)
