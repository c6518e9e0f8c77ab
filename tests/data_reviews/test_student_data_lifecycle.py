"""Student data: one student's records deleted on request; raw files and old results purged by policy."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from coordinators.models import District
from data_reviews import retention
from data_reviews.models import ImportBatch, StudentResult, TierSnapshot
from data_reviews.scores import services as score_services
from mtss.audit.models import AuditEvent
from tests.conftest import Side
from tests.data_reviews.score_factories import StudentResultFactory
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def _results(side: Side, student_id: str, **fields) -> list[StudentResult]:
    rows = [
        StudentResultFactory(
            school=side.school, student_id=student_id, subject=subject, window=window, **fields
        )
        for subject in ("reading", "math")
        for window in ("fall", "winter")
    ]
    score_services.snapshots_recompute(district_id=side.district.pk)
    return rows


def _snapshot_total(side: Side) -> int:
    return sum(
        s.tier1 + s.tier2 + s.tier3 + s.no_data
        for s in TierSnapshot.objects.filter(district=side.district, student_group="", grade="3")
    )


# --- Deleting one student's records ------------------------------------------------------------


def test_coordinator_deletes_every_result_of_a_student_and_the_tiers_are_recomputed(
    side_a: Side, side_b: Side, coordinator_a: Client
):
    _results(side_a, "S-1")
    _results(side_a, "S-2")
    _results(side_b, "S-1")
    assert _snapshot_total(side_a) == 8
    url = reverse("student_records_delete")

    review = coordinator_a.post(url, {"student_id": "S-1"})
    assert review.status_code == 200
    text = review.content.decode()
    assert "<strong>4</strong> screener results" in text
    assert StudentResult.objects.filter(district=side_a.district, student_id="S-1").count() == 4

    done = coordinator_a.post(url, {"student_id": "S-1", "confirm": "S-1"})
    assert done.status_code == 302
    assert not StudentResult.objects.filter(district=side_a.district, student_id="S-1").exists()
    assert StudentResult.objects.filter(district=side_a.district, student_id="S-2").count() == 4
    assert StudentResult.objects.filter(district=side_b.district, student_id="S-1").count() == 4
    assert _snapshot_total(side_a) == 4
    record = AuditEvent.objects.get(action="delete student records")
    assert (record.actor, record.district, record.detail["results"]) == (
        side_a.coordinator,
        side_a.district,
        4,
    )
    assert "S-1" not in str(record.detail) + record.object_label + record.object_id


def test_a_student_id_with_no_results_deletes_nothing(side_a: Side, coordinator_a: Client):
    _results(side_a, "S-2")
    response = coordinator_a.post(
        reverse("student_records_delete"), {"student_id": "S-404", "confirm": "S-404"}
    )
    assert response.status_code == 200
    assert "No screener results" in response.content.decode()
    assert StudentResult.objects.filter(district=side_a.district).count() == 4
    assert not AuditEvent.objects.filter(action="delete student records").exists()


def test_deleting_a_students_records_twice_changes_nothing_the_second_time(side_a: Side):
    _results(side_a, "S-1")
    first = retention.student_records_delete(student_id="S-1", member=side_a.membership(side_a.coordinator))
    second = retention.student_records_delete(student_id="S-1", member=side_a.membership(side_a.coordinator))
    assert (first, second) == (4, 0)
    assert AuditEvent.objects.filter(action="delete student records").count() == 1


@pytest.mark.parametrize("persona", ["leader_a", "member_a", "site_admin_a"])
def test_only_coordinators_delete_student_records(side_a: Side, persona: str, request):
    _results(side_a, "S-1")
    client = request.getfixturevalue(persona)
    response = client.post(reverse("student_records_delete"), {"student_id": "S-1", "confirm": "S-1"})
    assert response.status_code == 403
    assert StudentResult.objects.filter(student_id="S-1").count() == 4


# --- Retention ---------------------------------------------------------------------------------


def _batch(side: Side, *, status: str, finished_days_ago: int | None, created_days_ago: int) -> ImportBatch:
    batch = ImportBatch.objects.create(
        district=side.district,
        uploaded_by=side.coordinator,
        file_name="scores.csv",
        file_format="generic",
        payload=b"student_id,score\nS-1,10\n",
        extra_payload=b"x",
        extra_file_name="extra.csv",
        sha256="0" * 64,
        status=status,
        finished_at=NOW - dt.timedelta(days=finished_days_ago) if finished_days_ago is not None else None,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=NOW - dt.timedelta(days=created_days_ago))
    return batch


def test_raw_files_are_deleted_after_the_districts_days_and_the_results_stay(side_a: Side, side_b: Side):
    District.objects.filter(pk=side_b.district.pk).update(raw_file_retention_days=90)
    imported_long_ago = _batch(side_a, status="done", finished_days_ago=31, created_days_ago=31)
    imported_lately = _batch(side_a, status="done", finished_days_ago=29, created_days_ago=40)
    abandoned = _batch(side_a, status="preview", finished_days_ago=None, created_days_ago=31)
    importing = _batch(side_a, status="importing", finished_days_ago=None, created_days_ago=31)
    other_district = _batch(side_b, status="done", finished_days_ago=31, created_days_ago=31)
    _results(side_a, "S-1", batch=imported_long_ago)

    with time_machine.travel(NOW, tick=False):
        reports = retention.retention_apply()

    def raw(batch: ImportBatch) -> tuple[bytes, bytes]:
        batch.refresh_from_db()
        return bytes(batch.payload), bytes(batch.extra_payload)

    assert raw(imported_long_ago) == (b"", b"")
    assert raw(abandoned) == (b"", b"")
    assert raw(imported_lately)[0] != b""
    assert raw(importing)[0] != b""
    assert raw(other_district)[0] != b""
    assert imported_long_ago.raw_file_deleted_at == NOW
    assert abandoned.status == ImportBatch.Status.FAILED
    assert "upload it again" in abandoned.stage
    assert StudentResult.objects.filter(batch=imported_long_ago).count() == 4
    report = next(r for r in reports if r.district_id == side_a.district.pk)
    assert (report.raw_files_deleted, report.results_deleted) == (2, 0)
    row = AuditEvent.objects.get(action="apply retention", district=side_a.district)
    assert row.detail["raw_files_deleted"] == 2
    assert not AuditEvent.objects.filter(action="apply retention", district=side_b.district).exists()


def test_results_older_than_the_districts_school_years_are_purged(side_a: Side, side_b: Side, caplog):
    District.objects.filter(pk=side_a.district.pk).update(result_retention_years=3)
    # On 2026-12-01 the current school year is 2026-27: keeping 3 school years keeps 2024 and later.
    for year in (2022, 2023, 2024, 2026):
        _results(side_a, f"S-{year}", school_year=year)
        _results(side_b, f"S-{year}", school_year=year)
    snapshots_before = TierSnapshot.objects.filter(district=side_a.district).count()

    with time_machine.travel(NOW, tick=False), caplog.at_level("INFO", logger="data_reviews.retention"):
        reports = retention.retention_apply()

    years = set(StudentResult.objects.filter(district=side_a.district).values_list("school_year", flat=True))
    assert years == {2024, 2026}
    assert StudentResult.objects.filter(district=side_b.district).count() == 16
    # Tier snapshots are counts, not student records: the dashboards keep their trend.
    assert TierSnapshot.objects.filter(district=side_a.district).count() == snapshots_before
    report = next(r for r in reports if r.district_id == side_a.district.pk)
    assert (report.results_deleted, report.oldest_school_year_kept) == (8, 2024)
    row = AuditEvent.objects.get(action="apply retention", district=side_a.district)
    assert row.detail == {"raw_files_deleted": 0, "results_deleted": 8, "oldest_school_year_kept": 2024}
    assert f"district {side_a.district.pk}" in caplog.text

    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        retention.retention_apply()
    assert AuditEvent.objects.filter(action="apply retention", district=side_a.district).count() == 1


def test_the_school_year_turns_over_in_july():
    assert retention.current_school_year(dt.date(2026, 6, 30)) == 2025
    assert retention.current_school_year(dt.date(2026, 7, 1)) == 2026


def test_the_daily_schedule_runs_the_retention_task():
    from mtss.celery import BEAT_SCHEDULE

    entry = next(e for e in BEAT_SCHEDULE.values() if e["task"] == "coordinators.tasks.apply_retention")
    assert entry["schedule"] == 24 * 60 * 60.0


def test_the_retention_task_applies_the_policy(side_a: Side):
    from coordinators.tasks import apply_retention

    batch = _batch(side_a, status="done", finished_days_ago=31, created_days_ago=31)
    SchoolFactory(district=side_a.district)
    with time_machine.travel(NOW, tick=False):
        apply_retention()
    batch.refresh_from_db()
    assert batch.raw_file_deleted_at == NOW


def test_an_import_whose_file_was_deleted_cannot_be_checked_again(side_a: Side, coordinator_a: Client):
    batch = _batch(side_a, status="preview", finished_days_ago=None, created_days_ago=31)
    with time_machine.travel(NOW, tick=False):
        retention.retention_apply()
    page = coordinator_a.get(reverse("score_import_detail", args=[batch.pk]))
    assert "upload it again" in page.content.decode()
    response = coordinator_a.post(reverse("score_import_recheck", args=[batch.pk]), follow=True)
    assert "retention policy" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
