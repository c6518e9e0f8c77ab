"""What the import's problem report says: repeated problems grouped, each problem named for what it is."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from data_reviews.models import ImportBatch
from data_reviews.scores.importing import SchoolIndex, Upload, preview

FIXTURES = Path(__file__).parent / "fixtures"
LIMIT = 5 * 1024 * 1024
SCHOOLS = SchoolIndex([(1, "A Lakeside Elementary", "A01"), (2, "A Hilltop Middle", "A02")])
HEADER = "student id,school,grade,subject,window,school year,percentile\n"
NWEA_HEADER = "TermName,SchoolName,StudentID,Discipline,TestStartDate,TestRITScore,TestPercentile\n"
ROSTER = "TermName,SchoolName,StudentID,Grade\nFall 2013-2014,A Lakeside Elementary,100234,3\n"


def run(text: str, file_format: str = "generic", roster: str | None = None):
    uploads = [Upload("scores.csv", text.encode())]
    if roster is not None:
        uploads.append(Upload("StudentsBySchool.csv", roster.encode()))
    return preview(uploads, file_format=file_format, schools=SCHOOLS, max_bytes=LIMIT)


def mt_hood_file(rows: int) -> str:
    lines = [f"{9000 + n},Mt. Hood High School,9,Reading,Fall,2025-2026,50\n" for n in range(rows)]
    # One row with two problems (school and grade) counts once among the rows with problems.
    lines.append("8000,Mt. Hood High School,Z,Reading,Fall,2025-2026,50\n")
    lines.append("8001,A01,3,Reading,Fall,2025-2026,50\n")
    return HEADER + "".join(lines)


def test_repeated_school_problem_is_one_group_with_its_first_rows_as_examples() -> None:
    result = run(mt_hood_file(12))
    assert result.problem_rows == 13
    assert result.problem_count == 14
    school = result.problem_groups[0]
    assert school["value"] == "Mt. Hood High School"
    assert school["rows"] == 13
    assert school["examples"] == [2, 3, 4, 5, 6]
    assert "matches no school" in school["reason"]
    grade = result.problem_groups[1]
    assert (grade["column"], grade["rows"], grade["examples"]) == ("Grade", 1, [14])
    assert result.summary()["problem_rows"] == 13


def test_problems_of_one_kind_with_different_values_are_one_group() -> None:
    lines = [f"{n},A01,3,Reading,Fall,2025-2026,{100 + n}\n" for n in range(1, 9)]
    result = run(HEADER + "".join(lines))
    assert len(result.problem_groups) == 1
    group = result.problem_groups[0]
    assert group["rows"] == 8
    assert group["value"] == ""
    assert len(group["examples"]) == 5


def test_blank_student_id_says_the_student_id_is_missing_and_nothing_about_the_grade() -> None:
    text = NWEA_HEADER + (
        "Fall 2013-2014,A Lakeside Elementary,100234,Reading,9/16/2013,198,8\n"
        "Fall 2013-2014,A Lakeside Elementary,,Reading,9/16/2013,198,8\n"
    )
    result = run(text, "nwea_map", roster=ROSTER)
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (3, "Student ID", "The student ID is missing.")
    ]


def test_unknown_term_is_named_and_refused_not_put_in_a_window_by_its_date() -> None:
    text = NWEA_HEADER + (
        "Fall 2013-2014,A Lakeside Elementary,100234,Reading,9/16/2013,198,8\n"
        "Summer 2013-2014,A Lakeside Elementary,100234,Mathematics,7/16/2014,201,40\n"
    )
    result = run(text, "nwea_map", roster=ROSTER + "Summer 2013-2014,A Lakeside Elementary,100234,3\n")
    assert not result.ok
    [problem] = result.problems
    assert (problem.row, problem.value) == (3, "Summer 2013-2014")
    assert "“Summer 2013-2014” is not a fall, winter or spring window" in problem.reason
    assert len(result.frame) == 1


@pytest.fixture
def problem_batch(coordinator_a, django_capture_on_commit_callbacks, celery_eager) -> ImportBatch:
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_a.post(
            reverse("score_import_list"),
            {"file_format": "generic", "data_file": SimpleUploadedFile("mt.csv", mt_hood_file(12).encode())},
        )
    return ImportBatch.objects.get()


def test_page_groups_repeated_problems_and_counts_rows(problem_batch, coordinator_a) -> None:
    page = coordinator_a.get(reverse("score_import_detail", args=[problem_batch.pk])).content.decode()
    assert "School “Mt. Hood High School” matched nothing: 13 rows" in page
    assert "rows 2, 3, 4, 5, 6, …" in page
    assert "<dt>With problems</dt><dd>13</dd>" in page
    assert reverse("score_import_problems_csv", args=[problem_batch.pk]) in page


def test_problem_download_names_every_bad_row(problem_batch, coordinator_a) -> None:
    response = coordinator_a.get(reverse("score_import_problems_csv", args=[problem_batch.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Row", "Column", "Value", "Why"]
    assert len(rows) == 1 + 14
    assert ["14", "Grade", "Z", "The grade is not K or a number from 1 to 13."] in rows


def test_outsider_cannot_download_the_problems(problem_batch, coordinator_b) -> None:
    response = coordinator_b.get(reverse("score_import_problems_csv", args=[problem_batch.pk]))
    assert response.status_code == 404
