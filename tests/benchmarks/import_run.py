"""P3, run in its own process so its peak memory is its own: a 100,000-row generic long-format
screener file through the app's import path, then PostgreSQL COPY of the same rows into a scratch
table. Prints one JSON line.

The app's path, as the pages and the worker take it: `import_batch_create` (size and type checks,
the stored upload), `import_batch_check` (the preview: parse and validate every row), then
`import_batch_run` (the checks again on the stored file, the COPY + upsert write, tier snapshots).
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROWS = 100_000
SUBJECTS = ("Reading", "Math", "Language Usage", "Science")
SCHOOL_YEAR = 2019  # a year no other data uses; its rows and snapshots are removed afterwards
SCRATCH_TABLE = "bench_copy_rows"


def maxrss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    from the parent across exec, which would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class PhaseTimer:
    """Wraps the import's own steps (read-only: the same functions, timed) to show where time goes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, module: Any, name: str, label: str) -> None:
        original = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] = round(self.seconds.get(label, 0) + time.perf_counter() - started, 2)

        setattr(module, name, timed)


def make_csv(schools: list[tuple[str, str]]) -> bytes:
    """Students spread over the schools, four subjects each, spring of SCHOOL_YEAR."""
    import random

    rng = random.Random(20261122)
    students = ROWS // len(SUBJECTS)
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(
        [
            "Student ID",
            "School",
            "Grade",
            "Subject",
            "Window",
            "School Year",
            "Test Date",
            "Score",
            "Percentile",
            "Measure",
        ]
    )
    grades = ["K", "1", "2", "3", "4", "5"]
    for n in range(students):
        _code, name = schools[n % len(schools)]
        base = rng.gauss(50, 24)
        for subject in SUBJECTS:
            pct = int(min(99, max(1, round(base + rng.gauss(0, 9)))))
            out.writerow(
                [
                    f"P{SCHOOL_YEAR}{n:06d}",
                    name,
                    grades[n % len(grades)],
                    subject,
                    "Spring",
                    f"{SCHOOL_YEAR}-{SCHOOL_YEAR + 1}",
                    f"{SCHOOL_YEAR + 1}-04-22",
                    150 + pct,
                    pct,
                    "NWEA MAP Growth",
                ]
            )
    return buffer.getvalue().encode()


def clean_up(district_id: int) -> None:
    from data_reviews.models import StudentResult, TierSnapshot

    StudentResult.objects.filter(district_id=district_id, school_year=SCHOOL_YEAR).delete()
    TierSnapshot.objects.filter(district_id=district_id, school_year=SCHOOL_YEAR).delete()


def copy_baseline(data: bytes) -> float:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")
        cursor.execute(
            f"CREATE TABLE {SCRATCH_TABLE} (student_id text, school text, grade text, subject text, "
            "win text, school_year text, test_date date, score double precision, "
            "percentile double precision, measure text)"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {SCRATCH_TABLE} FROM STDIN WITH (FORMAT csv, HEADER true)", io.BytesIO(data)
        )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {SCRATCH_TABLE}")  # noqa: S608 - a constant name
        copied = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {SCRATCH_TABLE}")
    assert copied == ROWS, copied
    return seconds


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.benchmarks.settings")
    import django

    django.setup()
    from coordinators.models import District, Membership, Role, School
    from data_reviews.models import ImportBatch, StudentResult
    from data_reviews.scores import importing, services

    district = District.objects.get(slug=sys.argv[1] if len(sys.argv) > 1 else "maple-valley")
    author = Membership.objects.filter(district=district, role=Role.COORDINATOR).first()
    schools = list(School.objects.filter(district=district).order_by("code").values_list("code", "name"))
    clean_up(district.pk)
    data = make_csv(schools)
    phases = PhaseTimer()
    phases.wrap(services, "run_preview", "parse and validate, both passes")
    phases.wrap(services, "_write_results", "store (COPY + upsert)")
    phases.wrap(services, "snapshots_recompute", "tier snapshots")
    rss_before = maxrss_mb()

    started = time.perf_counter()
    batch = services.import_batch_create(
        district=district,
        member=author,
        file_format=ImportBatch.Format.GENERIC,
        uploads=[importing.Upload("district-spring-screening.csv", data)],
        queue_check=False,
    )
    services.import_batch_check(batch)
    checked = time.perf_counter()
    batch.refresh_from_db()
    preview_status = batch.status
    services.import_batch_run(batch)
    finished = time.perf_counter()
    batch.refresh_from_db()
    rss_import = maxrss_mb()
    stored = StudentResult.objects.filter(district=district, school_year=SCHOOL_YEAR).count()
    tiered = StudentResult.objects.filter(
        district=district, school_year=SCHOOL_YEAR, tier__isnull=False
    ).count()

    copy_seconds = copy_baseline(data)
    clean_up(district.pk)
    ImportBatch.objects.filter(pk=batch.pk).delete()

    print(
        json.dumps(
            {
                "rows": ROWS,
                "csv_mb": round(len(data) / 1024 / 1024, 1),
                "preview_status": preview_status,
                "status": batch.status,
                "rows_written": batch.rows_written,
                "rows_stored": stored,
                "rows_with_tier": tiered,
                "problems": batch.summary.get("problem_count", len(batch.problems)),
                "check_seconds": round(checked - started, 2),
                "run_seconds": round(finished - checked, 2),
                "total_seconds": round(finished - started, 2),
                "copy_seconds": round(copy_seconds, 3),
                "phases": phases.seconds,
                "maxrss_mb_before_import": rss_before,
                "maxrss_mb_peak": rss_import,
            }
        )
    )


if __name__ == "__main__":
    main()
