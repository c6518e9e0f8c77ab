"""python manage.py import_roster: the report, problems listed with a non-zero exit, --dry-run."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coordinators.models import Student
from tests.conftest import Side
from tests.coordinators.roster_zips import RosterFiles, sample_roster


def write(tmp_path: Path, files: RosterFiles) -> str:
    path = tmp_path / "oneroster.zip"
    path.write_bytes(files.zip())
    return str(path)


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_the_report_per_kind(side_a: Side, tmp_path: Path) -> None:
    path = write(tmp_path, sample_roster(students_per_school=3))
    out, _err = command("--district", side_a.district.slug, path)
    assert "Students" in out
    assert "6" in out.split("Students")[1].splitlines()[0]
    assert Student.objects.filter(district=side_a.district).count() == 6
    again, _err = command("--district", side_a.district.slug, path)
    students = again.split("Students")[1].splitlines()[0].split()
    assert students == ["0", "0", "6", "0"]


def test_dry_run_writes_nothing(side_a: Side, tmp_path: Path) -> None:
    out, _err = command("--district", side_a.district.slug, "--dry-run", write(tmp_path, sample_roster()))
    assert "Dry run: nothing was written." in out
    assert Student.objects.count() == 0


def test_problems_are_listed_and_the_command_fails(side_a: Side, tmp_path: Path) -> None:
    files = sample_roster(students_per_school=2)
    files.rows["enrollments"][-1]["classSourcedId"] = "cls-missing"
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 problems"):
        call_command(
            "import_roster",
            "--district",
            side_a.district.slug,
            write(tmp_path, files),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert (
        f"enrollments.csv row {len(files.rows['enrollments']) + 1}, classSourcedId ('cls-missing')"
        in err.getvalue()
    )
    assert Student.objects.count() == 0


def test_unknown_district_and_refused_file_say_why(side_a: Side, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No district has the slug"):
        command("--district", "nowhere", write(tmp_path, sample_roster()))
    bad = tmp_path / "roster.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not a zip file"):
        command("--district", side_a.district.slug, str(bad))
