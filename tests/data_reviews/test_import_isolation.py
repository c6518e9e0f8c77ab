"""An import touches its own district only, and writes all or nothing even when the database
fails part-way through the write (after the rows were copied in, on PostgreSQL)."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from data_reviews import tasks
from data_reviews.models import ImportBatch, StudentResult, TierSnapshot
from data_reviews.scores import services
from data_reviews.scores.importing import SCHOOL_UNMATCHED, Upload

Status = ImportBatch.Status
HEADER = "student id,school,grade,subject,window,school year,date,score,percentile\n"


@pytest.fixture(autouse=True)
def _eager(celery_eager: None) -> None:
    """The import tasks run in-process."""


def imported(side, rows: list[str], capture, name: str = "scores.csv") -> ImportBatch:
    with capture(execute=True):
        batch = services.import_batch_create(
            district=side.district,
            member=side.membership(side.coordinator),
            file_format="generic",
            uploads=[Upload(name, (HEADER + "\n".join(rows) + "\n").encode())],
        )
    batch.refresh_from_db()
    if batch.status == Status.PREVIEW:
        with capture(execute=True):
            services.import_batch_start(batch=batch)
        batch.refresh_from_db()
    return batch


def digest(district) -> str:
    """Every stored result and snapshot of a district, as one value that any change alters."""
    results = StudentResult.objects.filter(district=district).order_by("pk").values_list()
    snapshots = TierSnapshot.objects.filter(district=district).order_by("pk").values_list()
    return hashlib.sha256(repr((list(results), list(snapshots))).encode()).hexdigest()


def b_rows(side_b) -> list[str]:
    return [
        f"7001,{side_b.school.name},2,Reading,Fall,2025-2026,9/16/2025,40,35",
        f"7002,{side_b.school.code},3,Math,Fall,2025-2026,9/16/2025,41,12",
    ]


def test_a_file_naming_another_districts_students_and_schools_lands_nothing_there(
    side_a, side_b, django_capture_on_commit_callbacks
) -> None:
    capture = django_capture_on_commit_callbacks
    assert imported(side_b, b_rows(side_b), capture).status == Status.DONE
    before = digest(side_b.district)

    # District A's file names B's schools (by name and by code): those rows match nothing in A,
    # and no school of B is offered as the likely one.
    crossing = imported(side_a, b_rows(side_b), capture, name="crossing.csv")
    assert crossing.status == Status.PROBLEMS
    assert crossing.summary["unmatched_schools"] == {side_b.school.name: 1, side_b.school.code: 1}
    assert set(crossing.summary["school_suggestions"].values()) <= {side_a.school.pk, side_a.other_school.pk}
    assert {p["reason"] for p in crossing.problems} == {SCHOOL_UNMATCHED}

    # B's student ids at A's schools are A's own students: new rows in A, none read from B.
    same_ids = [
        f"7001,{side_a.school.name},2,Reading,Fall,2025-2026,9/16/2025,40,35",
        f"7002,{side_a.school.code},3,Math,Fall,2025-2026,9/16/2025,41,12",
    ]
    batch = imported(side_a, same_ids, capture, name="same-ids.csv")
    assert batch.status == Status.DONE
    assert batch.summary["changes"] == {"new": 2, "changed": 0, "unchanged": 0}
    assert set(
        StudentResult.objects.filter(district=side_a.district).values_list("school_id", flat=True)
    ) == {side_a.school.pk}
    assert not StudentResult.objects.filter(district=side_b.district, batch=batch).exists()
    assert not TierSnapshot.objects.filter(district=side_b.district, school=side_a.school).exists()
    assert digest(side_b.district) == before


FAIL_ON = {
    # The upsert from the copied rows into the results table.
    "results": "data_reviews_studentresult",
    # The tier snapshots, rebuilt after every result was written.
    "snapshots": "data_reviews_tiersnapshot",
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY write runs on PostgreSQL only")
@pytest.mark.parametrize("stage", list(FAIL_ON))
def test_an_import_that_fails_during_the_write_leaves_nothing_and_is_failed(
    stage, side_a, side_b, django_capture_on_commit_callbacks
) -> None:
    capture = django_capture_on_commit_callbacks
    assert imported(side_b, b_rows(side_b), capture).status == Status.DONE
    before_b = digest(side_b.district)
    with capture(execute=True):
        batch = services.import_batch_create(
            district=side_a.district,
            member=side_a.membership(side_a.coordinator),
            file_format="generic",
            uploads=[Upload("a.csv", (HEADER + f"8001,{side_a.school.name},2,Reading,Fall,2025-2026,"
                                      "9/16/2025,40,35\n").encode())],
        )  # fmt: skip
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.QUEUED)
    # The database itself refuses the write part-way, as a full disk or a lost connection would.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_import_write() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER refuse_import_write BEFORE INSERT ON {FAIL_ON[stage]} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_import_write()"
        )
    with pytest.raises(Exception, match="No space left on device"), capture(execute=True):
        tasks.run_import(batch.pk)

    batch.refresh_from_db()
    assert batch.status == Status.FAILED
    assert batch.rows_written == 0
    assert batch.problems[0]["reason"] == tasks.UNEXPECTED
    assert not StudentResult.objects.filter(district=side_a.district).exists()
    assert not TierSnapshot.objects.filter(district=side_a.district).exists()
    assert digest(side_b.district) == before_b
