"""Imports end to end against the database: all or nothing, idempotent, tiers and snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from data_reviews.models import DecisionRule, ImportBatch, SchoolMeasure, StudentResult, TierSnapshot
from data_reviews.scores import services
from data_reviews.scores.importing import Upload, UploadRefused
from mtss.notifications.models import Notification

FIXTURES = Path(__file__).parent / "fixtures"
GENERIC = (FIXTURES / "generic_long.csv").read_bytes()


@pytest.fixture(autouse=True)
def _eager(celery_eager: None) -> None:
    """Every test here runs the import tasks in-process."""


def upload_and_check(side, data: bytes, file_format: str = "generic", name: str = "scores.csv", capture=None):
    with capture(execute=True):
        batch = services.import_batch_create(
            district=side.district,
            member=side.membership(side.coordinator),
            file_format=file_format,
            uploads=[Upload(name, data)],
        )
    batch.refresh_from_db()
    return batch


def start(batch, capture) -> ImportBatch:
    with capture(execute=True):
        services.import_batch_start(batch=batch)
    batch.refresh_from_db()
    return batch


def test_preview_writes_nothing_and_import_writes_every_row(
    side_a, django_capture_on_commit_callbacks
) -> None:
    batch = upload_and_check(side_a, GENERIC, capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.PREVIEW
    assert batch.summary["schools"] == {"A Hilltop Middle": 1, "A Lakeside Elementary": 3}
    assert StudentResult.objects.count() == 0
    batch = start(batch, django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.DONE
    assert batch.rows_written == 4
    assert StudentResult.objects.filter(district=side_a.district).count() == 4
    fall = TierSnapshot.objects.filter(
        school=side_a.school, subject="reading", window="fall", grade="K"
    ).get()
    assert (fall.tier1, fall.tier2, fall.tier3) == (0, 1, 1)
    note = Notification.objects.get(recipient=side_a.coordinator, kind="import")
    assert "4 rows" in note.subject


def test_reimporting_the_same_file_changes_nothing(side_a, django_capture_on_commit_callbacks) -> None:
    start(
        upload_and_check(side_a, GENERIC, capture=django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    before = list(StudentResult.objects.order_by("pk").values())
    snapshots = list(
        TierSnapshot.objects.order_by("school", "grade", "subject").values_list("tier1", "tier2", "tier3")
    )
    # The same rows saved again by a spreadsheet (one more line end): a new file, the same results.
    start(
        upload_and_check(side_a, GENERIC + b"\n", capture=django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert list(StudentResult.objects.order_by("pk").values()) == before
    assert (
        list(
            TierSnapshot.objects.order_by("school", "grade", "subject").values_list("tier1", "tier2", "tier3")
        )
        == snapshots
    )


def test_one_bad_row_near_the_end_of_a_big_file_writes_nothing(
    side_a, django_capture_on_commit_callbacks
) -> None:
    lines = ["student id,school,grade,subject,window,school year,percentile"]
    lines += [f"{n},A01,3,Reading,Fall,2025-2026,{n % 100}" for n in range(10_000)]
    lines[9_990] = "9989,A01,3,Reading,Fall,2025-2026,ninety"
    batch = upload_and_check(side_a, "\n".join(lines).encode(), capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.PROBLEMS
    assert batch.problems == [
        {"row": 9991, "column": "National percentile", "value": "ninety",
         "reason": "The percentile is not a number from 0 to 100."}
    ]  # fmt: skip
    with pytest.raises(services.ImportNotReady):
        services.import_batch_start(batch=batch)
    assert StudentResult.objects.count() == 0


def test_mapping_a_school_and_checking_again_lets_the_file_import(
    side_a, django_capture_on_commit_callbacks
) -> None:
    data = GENERIC.replace(b"5003,A Lakeside Elementary", b"5003,Lakeside Elem")
    batch = upload_and_check(side_a, data, capture=django_capture_on_commit_callbacks)
    assert batch.summary["unmatched_schools"] == {"Lakeside Elem": 1}
    services.school_mapping_save(
        district=side_a.district,
        source_name="Lakeside Elem ",
        school=side_a.school,
        member=side_a.membership(side_a.coordinator),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_batch_recheck(batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    batch = start(batch, django_capture_on_commit_callbacks)
    assert StudentResult.objects.filter(student_id="5003", school=side_a.school).exists()


def test_unsafe_upload_is_refused_before_anything_is_stored(side_a) -> None:
    with pytest.raises(UploadRefused):
        services.import_batch_create(
            district=side_a.district, member=side_a.membership(side_a.coordinator), file_format="generic",
            uploads=[Upload("scores.xlsx", b"not a workbook")],
        )  # fmt: skip
    assert ImportBatch.objects.count() == 0


def test_changing_a_rule_recomputes_tiers_and_snapshots(side_a, django_capture_on_commit_callbacks) -> None:
    start(
        upload_and_check(side_a, GENERIC, capture=django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert StudentResult.objects.get(student_id="5002").tier == 2  # 22nd percentile
    services.decision_rule_save(
        member=side_a.membership(side_a.coordinator), subject="reading", method="percentile",
        tier3_below=5, tier2_below=20,
    )  # fmt: skip
    assert StudentResult.objects.get(student_id="5002").tier == 1
    assert StudentResult.objects.get(student_id="5001").tier == 2
    snap = TierSnapshot.objects.get(school=side_a.school, subject="reading", grade="K")
    assert (snap.tier1, snap.tier2, snap.tier3) == (1, 1, 0)
    services.decision_rule_delete(
        rule=DecisionRule.objects.get(), member=side_a.membership(side_a.coordinator)
    )
    assert StudentResult.objects.get(student_id="5002").tier == 2


def test_student_groups_under_ten_are_not_stored(side_a) -> None:
    from tests.data_reviews.score_factories import StudentResultFactory

    for n in range(12):
        StudentResultFactory(
            school=side_a.school, student_groups=["English learners"] if n < 10 else ["Asian"]
        )
    services.snapshots_recompute(district_id=side_a.district.pk)
    groups = set(TierSnapshot.objects.exclude(student_group="").values_list("student_group", flat=True))
    assert groups == {"English learners"}


def test_behaviour_file_stores_referrals_per_school_and_month(
    side_a, django_capture_on_commit_callbacks
) -> None:
    data = b"School,Month,ODRs\nA01,2025-09,14\nA02,2025-09,22\n"
    batch = start(
        upload_and_check(side_a, data, "behaviour", capture=django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert batch.status == ImportBatch.Status.DONE
    assert SchoolMeasure.objects.get(school=side_a.school).value == 14


def test_command_imports_nwea_files(side_a, tmp_path) -> None:
    call_command(
        "import_scores", "--district", side_a.district.slug, "--format", "nwea_map",
        str(FIXTURES / "nwea_AssessmentResults.csv"), str(FIXTURES / "nwea_StudentsBySchool.csv"),
    )  # fmt: skip
    assert StudentResult.objects.filter(district=side_a.district).count() == 5
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE


def test_command_fails_with_a_readable_report_and_writes_nothing(side_a, tmp_path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(GENERIC.replace(b",60,91,", b",60,high,"))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_scores", "--district", side_a.district.slug, "--format", "generic", str(bad))
    assert "Row 6, National percentile = 'high'" in capsys.readouterr().err
    assert StudentResult.objects.count() == 0


def test_command_refuses_an_unknown_district(db) -> None:
    with pytest.raises(CommandError, match="No district"):
        call_command(
            "import_scores",
            "--district",
            "nowhere",
            "--format",
            "generic",
            str(FIXTURES / "generic_long.csv"),
        )


def test_import_rechecks_and_writes_nothing_if_a_mapping_disappeared(
    side_a, django_capture_on_commit_callbacks
) -> None:
    from data_reviews.models import SchoolNameMapping

    data = GENERIC.replace(b"5003,A Lakeside Elementary", b"5003,Lakeside Elem")
    services.school_mapping_save(
        district=side_a.district,
        source_name="Lakeside Elem",
        school=side_a.school,
        member=side_a.membership(side_a.coordinator),
    )
    batch = upload_and_check(side_a, data, capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.PREVIEW
    SchoolNameMapping.objects.all().delete()
    batch = start(batch, django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.FAILED
    assert StudentResult.objects.count() == 0
    assert Notification.objects.get(recipient=side_a.coordinator, kind="import").subject.startswith(
        "Import stopped"
    )
