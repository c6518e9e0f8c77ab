"""import_scores on the command line: mapping names to schools by code, adding missing schools, its help."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from coordinators.models import School
from data_reviews.models import ImportBatch, SchoolNameMapping, StudentResult
from mtss.audit.models import AuditEvent

HEADER = "student id,school,grade,subject,window,school year,percentile\n"
ROWS = HEADER + (
    "1,Lakeside Elem,3,Reading,Fall,2025-2026,50\n"
    "2,Mt. Hood High School,9,Reading,Fall,2025-2026,40\n"
    "3,Mt. Hood High School,10,Reading,Fall,2025-2026,60\n"
)


def command(side, path, *extra: str) -> None:
    call_command("import_scores", "--district", side.district.slug, "--format", "generic", *extra, str(path))


@pytest.fixture
def file(tmp_path):
    path = tmp_path / "fall.csv"
    path.write_text(ROWS)
    return path


def test_map_school_and_create_schools_import_every_row(side_a, file, capsys) -> None:
    command(side_a, file, "--map-school", f"Lakeside Elem={side_a.school.code}", "--create-schools")
    hood = School.objects.get(district=side_a.district, name="Mt. Hood High School")
    assert (hood.code, hood.level) == ("MHHS", School.Level.HIGH)
    assert SchoolNameMapping.objects.get(source_name="lakeside elem").school == side_a.school
    assert StudentResult.objects.filter(school=hood).count() == 2
    assert StudentResult.objects.filter(school=side_a.school).count() == 1
    assert AuditEvent.objects.filter(action="create school").count() == 1
    assert "Added school Mt. Hood High School (code MHHS)." in capsys.readouterr().out


def test_without_create_schools_nothing_is_written(side_a, file) -> None:
    with pytest.raises(CommandError, match="Fix the rows above"):
        command(side_a, file, "--map-school", f"Lakeside Elem={side_a.school.code}")
    assert not School.objects.filter(name="Mt. Hood High School").exists()
    assert not SchoolNameMapping.objects.exists()
    assert not ImportBatch.objects.exists()


def test_dry_run_with_create_schools_adds_nothing(side_a, file, capsys) -> None:
    command(
        side_a, file, "--map-school", f"Lakeside Elem={side_a.school.code}", "--create-schools", "--dry-run"
    )
    assert "1 schools would be added" in capsys.readouterr().out
    assert not School.objects.filter(name="Mt. Hood High School").exists()
    assert not SchoolNameMapping.objects.exists()


def test_map_school_with_an_unknown_code_is_refused(side_a, file) -> None:
    with pytest.raises(CommandError, match=r"no school of .* has the code 'ZZ9'"):
        command(side_a, file, "--map-school", "Lakeside Elem=ZZ9")


def test_help_lists_the_district_slugs(side_a, side_b, capsys) -> None:
    with pytest.raises(SystemExit):
        call_command("import_scores", "--help")
    out = " ".join(capsys.readouterr().out.split())
    assert side_a.district.slug in out
    assert side_b.district.slug in out
