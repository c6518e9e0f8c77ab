"""Writing a checked file's rows: every row or none, inside the caller's transaction.

On PostgreSQL the rows are copied into a temporary table and upserted in one statement that
skips rows equal to the stored ones (so the same file imported again rewrites nothing); on
SQLite they are upserted in batches. Both count the rows that were new, changed or unchanged,
and both end with one UPDATE linking the results to the district's rostered students.
"""

from __future__ import annotations

import io
import json

import pandas as pd
from django.db import connection

from coordinators.roster.links import results_link
from data_reviews.models import ImportBatch, SchoolMeasure, StudentResult

BULK_BATCH_SIZE = 5000
RESULT_KEY = ["district", "student_id", "subject", "school_year", "window"]
RESULT_UPDATE_FIELDS = [
    "school",
    "grade",
    "test_date",
    "score",
    "percentile",
    "benchmark_category",
    "measure",
    "student_groups",
    "tier",
]


COPY_COLUMNS = [
    ("school_id", "bigint"),
    ("student_id", "text"),
    ("grade", "text"),
    ("subject", "text"),
    ("school_year", "integer"),
    ("window", "text"),
    ("test_date", "date"),
    ("score", "double precision"),
    ("percentile", "double precision"),
    ("benchmark_category", "text"),
    ("measure", "text"),
    ("student_groups", "text"),
    ("tier", "integer"),
]


# Built from the fixed column names above only; no value from a file reaches the SQL text.
_COLUMN_LIST = ", ".join(f'"{name}"' for name, _type in COPY_COLUMNS)
_UPDATED = ["school_id", *RESULT_UPDATE_FIELDS[1:]]
CREATE_IMPORT_ROWS = (
    "CREATE TEMPORARY TABLE import_rows ("
    + ", ".join(f'"{name}" {kind}' for name, kind in COPY_COLUMNS)
    + ") ON COMMIT DROP"
)
COPY_IMPORT_ROWS = f"COPY import_rows ({_COLUMN_LIST}) FROM STDIN WITH (FORMAT csv)"
UPSERT_IMPORT_ROWS = (
    "INSERT INTO data_reviews_studentresult (district_id, batch_id, "  # noqa: S608
    + _COLUMN_LIST
    + ') SELECT %s, %s, school_id, student_id, grade, subject, school_year, "window", test_date, score, '
    "percentile, COALESCE(benchmark_category, ''), COALESCE(measure, ''), student_groups::jsonb, tier "
    'FROM import_rows ON CONFLICT (district_id, student_id, subject, school_year, "window") DO UPDATE SET '
    + ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in _UPDATED)
    + " WHERE "
    + " OR ".join(f'data_reviews_studentresult."{c}" IS DISTINCT FROM EXCLUDED."{c}"' for c in _UPDATED)
)


def write_results(batch: ImportBatch, frame: pd.DataFrame) -> dict[str, int]:
    """Write every row; count the rows that were new, changed a stored result, or matched one.
    Then link the results to their rostered students, in one UPDATE after the rows are written."""
    changes = _copy(batch, frame) if connection.vendor == "postgresql" else _orm(batch, frame)
    results_link(district_id=batch.district_id)
    return changes


# xmax is 0 on a row version the statement inserted, not on one it updated.
COUNTED_UPSERT = (
    "WITH written AS ("  # noqa: S608 (the fixed statement above, no value from a file)
    + UPSERT_IMPORT_ROWS
    + " RETURNING (xmax = 0) AS inserted) SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FROM written"
)


def _copy(batch: ImportBatch, frame: pd.DataFrame) -> dict[str, int]:
    """PostgreSQL: COPY into a temporary table, then one upsert that skips unchanged rows,
    so re-importing the same file rewrites nothing."""
    out = frame[[name for name, _type in COPY_COLUMNS]].copy()
    out["test_date"] = out["test_date"].dt.strftime("%Y-%m-%d")
    out["student_groups"] = out["student_groups"].map(json.dumps)
    out["tier"] = out["tier"].astype("Int64")
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, header=False, na_rep="")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_IMPORT_ROWS)
        cursor.cursor.copy_expert(COPY_IMPORT_ROWS, buffer)
        cursor.execute(COUNTED_UPSERT, [batch.district_id, batch.pk])
        new, written = cursor.fetchone()
        cursor.execute("DROP TABLE import_rows")
    # The upsert skips a row equal to the stored one, so rows not written are the unchanged ones.
    return {"new": new, "changed": written - new, "unchanged": len(frame) - written}


def _orm(batch: ImportBatch, frame: pd.DataFrame) -> dict[str, int]:
    tiers = frame["tier"].astype("object").where(frame["tier"].notna(), None)
    dates = frame["test_date"].astype("object").where(frame["test_date"].notna(), None)
    scores = frame["score"].astype("object").where(frame["score"].notna(), None)
    percentiles = frame["percentile"].astype("object").where(frame["percentile"].notna(), None)
    rows = [
        StudentResult(
            district_id=batch.district_id,
            school_id=int(school_id),
            student_id=student_id,
            grade=grade,
            subject=subject,
            school_year=int(year),
            window=window,
            test_date=test_date.date() if test_date is not None else None,
            score=score,
            percentile=percentile,
            benchmark_category=category,
            measure=measure,
            student_groups=groups,
            tier=int(tier) if tier is not None else None,
            batch_id=batch.pk,
        )
        for school_id, student_id, grade, subject, year, window, test_date, score, percentile, category, measure, groups, tier in zip(  # noqa: E501
            frame["school_id"],
            frame["student_id"],
            frame["grade"],
            frame["subject"],
            frame["school_year"],
            frame["window"],
            dates,
            scores,
            percentiles,
            frame["benchmark_category"],
            frame["measure"],
            frame["student_groups"],
            tiers,
            strict=True,
        )
    ]
    changes = {"new": 0, "changed": 0, "unchanged": 0}
    compared = ["school_id", *RESULT_UPDATE_FIELDS[1:]]
    for start in range(0, len(rows), BULK_BATCH_SIZE):
        chunk = rows[start : start + BULK_BATCH_SIZE]
        stored = {
            (r["student_id"], r["subject"], r["school_year"], r["window"]): tuple(r[f] for f in compared)
            for r in StudentResult.objects.filter(
                district_id=batch.district_id, student_id__in={row.student_id for row in chunk}
            ).values("student_id", "subject", "school_year", "window", *compared)
        }
        for row in chunk:
            before = stored.get((row.student_id, row.subject, row.school_year, row.window))
            if before is None:
                changes["new"] += 1
            elif before == tuple(getattr(row, f) for f in compared):
                changes["unchanged"] += 1
            else:
                changes["changed"] += 1
        StudentResult.objects.bulk_create(
            chunk,
            update_conflicts=True,
            unique_fields=RESULT_KEY,
            update_fields=RESULT_UPDATE_FIELDS,
        )
    return changes


def write_measures(batch: ImportBatch, frame: pd.DataFrame, *, kind: str) -> int:
    rows = [
        SchoolMeasure(
            district_id=batch.district_id,
            school_id=int(school_id),
            kind=kind,
            month=month,
            value=float(value),
            batch_id=batch.pk,
        )
        for school_id, month, value in zip(frame["school_id"], frame["month"], frame["value"], strict=True)
    ]
    SchoolMeasure.objects.bulk_create(
        rows,
        batch_size=BULK_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["school", "kind", "month"],
        update_fields=["value"],
    )
    return len(rows)
