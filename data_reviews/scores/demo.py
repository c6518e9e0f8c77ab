"""Demo screening data: fall, winter and spring results for two years and this year so far,
reading and math for every demo school, plus monthly referrals and attendance.

Numbers come from a seeded random generator, so every run produces the same students. A
school whose results already exist is left alone (the second run changes nothing).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models.constants import OnConflict

from coordinators.models import School
from data_reviews.models import SchoolMeasure, StudentResult
from data_reviews.scores import analysis
from data_reviews.scores.services import BULK_BATCH_SIZE, snapshots_recompute
from mtss.demo import DemoContext

SEED = 20260901
WINDOW_DATES = {"fall": (9, 16), "winter": (1, 14), "spring": (4, 22)}
ETHNICITIES = [
    ("White", 0.52),
    ("Hispanic or Latino", 0.22),
    ("Black or African American", 0.12),
    ("Asian", 0.06),
    ("Two or more races", 0.06),
    ("American Indian or Alaska Native", 0.02),
]
FLAGS = [
    ("English learners", 0.12),
    ("Students with disabilities", 0.14),
    ("Economically disadvantaged", 0.42),
]
SCHOOL_SIZES = (200, 401)  # students per demo school: from 200 up to 400
SCHOOL_MONTHS = [8, 9, 10, 11, 12, 1, 2, 3, 4, 5]
DISTRICT_SCALE_SCHOOLS = 50
DISTRICT_SCALE_STUDENTS = 600  # per school: 50 x 600 = 30,000 students
DISTRICT_SCALE_SUBJECTS = ("reading", "math", "language", "science")


def school_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 7 else day.year - 1


def window_date(year: int, window: str) -> datetime.date:
    month, day = WINDOW_DATES[window]
    return datetime.date(year if month >= 7 else year + 1, month, day)


def periods_until(today: datetime.date, years_back: int = 2) -> list[tuple[int, str]]:
    current = school_year_of(today)
    return [
        (year, window)
        for year in range(current - years_back, current + 1)
        for window in analysis.WINDOWS
        if window_date(year, window) <= today
    ]


def grades_of(school: School) -> list[str]:
    low, _, high = school.grades_served.partition("-")
    first = 0 if low.strip().upper() == "K" else int(low)
    last = int(high) if high.strip().isdigit() else first
    return ["K" if g == 0 else str(g) for g in range(first, last + 1)]


def student_number(school: School, year: int, n: int) -> str:
    """The district's id of a school's n-th student (from 0) in the results of a school year."""
    return f"{school.code}{year % 100:02d}{n:04d}"


def _school_rng(school: School) -> np.random.Generator:
    return np.random.default_rng([SEED, int(school.code) if school.code.isdigit() else len(school.name)])


def _student_traits(rng: np.random.Generator, students: int) -> tuple[np.ndarray, list[list[str]]]:
    """Each student's usual percentile and student groups: ethnicity, program flags, sex."""
    strength = rng.normal(0, 8)  # some schools do better than others
    base = rng.normal(48 + strength, 24, size=students)
    groups = []
    for _ in range(students):
        labels = [str(rng.choice([e for e, _p in ETHNICITIES], p=[p for _e, p in ETHNICITIES]))]
        labels += [flag for flag, share in FLAGS if rng.random() < share]
        labels.append("Female" if rng.random() < 0.49 else "Male")
        groups.append(labels)
    return base, groups


@dataclass(frozen=True)
class DemoStudent:
    student_number: str
    grade: str  # "K", "1" ... "12"
    groups: list[str]


def current_students(school: School, *, today: datetime.date) -> list[DemoStudent]:
    """The students of a demo school's results this school year, as `seed_school` makes them (the
    same random draws in the same order): the roster the demo imports lists exactly these."""
    rng = _school_rng(school)
    count = int(rng.integers(*SCHOOL_SIZES))
    _base, groups = _student_traits(rng, count)
    grades = grades_of(school)
    year = school_year_of(today)
    return [
        DemoStudent(student_number(school, year, n), grades[n % len(grades)], groups[n]) for n in range(count)
    ]


def student_frame(
    school: School,
    *,
    rng: np.random.Generator,
    students: int,
    periods: list[tuple[int, str]],
    subjects: tuple,
) -> pd.DataFrame:
    """One row per student, subject and window, with percentiles that drift upward over a year."""
    grades = grades_of(school)
    base, groups = _student_traits(rng, students)
    frames = []
    for year, window in periods:
        growth = analysis.WINDOWS.index(window) * rng.normal(3, 1.5) + (year - periods[0][0]) * 1.5
        for subject in subjects:
            noise = rng.normal(0, 9, size=students)
            percentile = np.clip(np.round(base + growth + noise), 1, 99)
            missing = rng.random(students) < 0.02  # absent on testing days
            frames.append(
                pd.DataFrame(
                    {
                        "student_id": [student_number(school, year, n) for n in range(students)],
                        "grade": [grades[n % len(grades)] for n in range(students)],
                        "subject": subject,
                        "school_year": year,
                        "window": window,
                        "test_date": window_date(year, window),
                        "percentile": np.where(missing, np.nan, percentile),
                        "score": np.where(missing, np.nan, 150 + percentile),
                        "benchmark_category": "",
                        "measure": "NWEA MAP Growth",
                        "student_groups": groups,
                    }
                )
            )
    frame = pd.concat(frames, ignore_index=True)
    frame["tier"] = analysis.compute_tiers(frame)
    return frame


RESULT_COLUMNS = [
    "district",
    "school",
    "student_id",
    "grade",
    "subject",
    "school_year",
    "window",
    "test_date",
    "score",
    "percentile",
    "benchmark_category",
    "measure",
    "student_groups",
    "tier",
]


def _store_results(school: School, frame: pd.DataFrame) -> None:
    """Thousands of rows per school, written with one statement run over all of them: building a
    model instance per row cost most of the demo's seeding time. A row already stored is skipped."""
    columns = {field.name: field for field in StudentResult._meta.concrete_fields}
    fields = [columns[name] for name in RESULT_COLUMNS]
    test_date, student_groups = columns["test_date"], columns["student_groups"]
    # A student's groups and a window's date repeat on many rows: each is made ready for the database once.
    # What the driver is handed: whatever the field makes of the value (Django types it Any).
    dates: dict[datetime.date, Any] = {}
    groups: dict[tuple[str, ...], Any] = {}

    def stored_date(day: datetime.date) -> Any:
        if day not in dates:
            dates[day] = test_date.get_db_prep_save(day, connection)
        return dates[day]

    def stored_groups(labels: list[str]) -> Any:
        key = tuple(labels)
        if key not in groups:
            groups[key] = student_groups.get_db_prep_save(labels, connection)
        return groups[key]

    rows = [
        (
            school.district_id,
            school.pk,
            row.student_id,
            row.grade,
            row.subject,
            int(row.school_year),
            row.window,
            stored_date(row.test_date),
            None if pd.isna(row.score) else float(row.score),
            None if pd.isna(row.percentile) else float(row.percentile),
            row.benchmark_category,
            row.measure,
            stored_groups(row.student_groups),
            None if pd.isna(row.tier) else int(row.tier),
        )
        for row in frame.itertuples()
    ]
    quote = connection.ops.quote_name
    # Built from the model's own column names only; every value is a parameter.
    sql = " ".join(
        [
            connection.ops.insert_statement(on_conflict=OnConflict.IGNORE),
            quote(StudentResult._meta.db_table),
            # Concrete fields all have a column: none is left out.
            "(" + ", ".join(quote(field.column) for field in fields if field.column) + ")",
            "VALUES %s"
            if connection.vendor == "postgresql"
            else "VALUES (" + ", ".join(["%s"] * len(fields)) + ")",
            connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None),
        ]
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values  # the PostgreSQL driver, only there

            execute_values(cursor.cursor, sql, rows, page_size=BULK_BATCH_SIZE)
        else:
            cursor.executemany(sql, rows)


def _share_so_far(month: datetime.date, today: datetime.date) -> float:
    """The share of the month's school days that have passed: the month under way has only those."""
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    if today >= end:
        return 1.0
    return float(np.busday_count(month, today + datetime.timedelta(days=1)) / np.busday_count(month, end))


def _store_measures(school: School, *, rng: np.random.Generator, today: datetime.date) -> None:
    first_year = school_year_of(today) - 2
    rows = []
    enrolment_factor = {"elementary": 1.0, "middle": 1.6, "high": 2.0}.get(school.level, 1.0)
    for year in range(first_year, school_year_of(today) + 1):
        for month in SCHOOL_MONTHS:
            day = datetime.date(year if month >= 7 else year + 1, month, 1)
            if day > today:
                continue
            season = 1.3 if month in (10, 11, 3) else 1.0
            referrals = max(
                0, round(rng.normal(14, 4) * enrolment_factor * season * _share_so_far(day, today))
            )
            attendance = float(np.clip(rng.normal(94.5 - (month in (12, 1, 2)) * 1.5, 1.0), 85, 99.5))
            rows.append(
                SchoolMeasure(
                    district_id=school.district_id, school=school, kind="odr", month=day, value=referrals
                )
            )
            rows.append(
                SchoolMeasure(
                    district_id=school.district_id,
                    school=school,
                    kind="attendance",
                    month=day,
                    value=round(attendance, 1),
                )
            )
    SchoolMeasure.objects.bulk_create(rows, ignore_conflicts=True)


def seed_school(
    school: School,
    *,
    today: datetime.date,
    students: int | None = None,
    subjects: tuple = ("reading", "math"),
    periods: list | None = None,
) -> bool:
    """Results, referrals and attendance for one school; False if it already had results."""
    if StudentResult.objects.filter(school=school).exists():
        return False
    rng = _school_rng(school)
    count = students or int(rng.integers(*SCHOOL_SIZES))
    frame = student_frame(
        school, rng=rng, students=count, periods=periods or periods_until(today), subjects=subjects
    )
    _store_results(school, frame)
    _store_measures(school, rng=rng, today=today)
    return True


def seed_demo(ctx: DemoContext) -> None:
    seeded = [seed_school(school, today=ctx.today) for school in ctx.schools]
    if ctx.scale == "district":
        seeded += _district_scale(ctx)
    if any(seeded):
        snapshots_recompute(district_id=ctx.district.pk)


def _district_scale(ctx: DemoContext) -> list[bool]:
    """Enough schools for 50 in all, 600 students each, four subjects, this year's windows."""
    seeded = []
    existing = School.objects.filter(district=ctx.district).count()
    for n in range(max(0, DISTRICT_SCALE_SCHOOLS - existing)):
        school, _ = School.objects.get_or_create(
            district=ctx.district,
            code=f"{8000 + n}",
            defaults={"name": f"Benchmark Elementary {n + 1:02d}", "grades_served": "K-5"},
        )
    year = school_year_of(ctx.today)
    periods = [(year, w) for w in analysis.WINDOWS]
    for school in School.objects.filter(district=ctx.district, code__startswith="8"):
        seeded.append(
            seed_school(
                school,
                today=ctx.today,
                students=DISTRICT_SCALE_STUDENTS,
                subjects=DISTRICT_SCALE_SUBJECTS,
                periods=periods,
            )
        )
    return seeded
