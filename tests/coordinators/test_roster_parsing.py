"""Reading OneRoster 1.1 CSV zips: messy real files, manifest modes, problems and refusals."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordinators.roster.parsing import COLUMNS, Roster, RosterRefused, race_ethnicity, read_roster
from data_reviews.scores.importing import Upload
from tests.coordinators.roster_zips import RosterFiles, messy_roster, sample_roster, upload

LIMIT = 5 * 1024 * 1024


def read(files: RosterFiles) -> Roster:
    return read_roster(upload(files), max_bytes=LIMIT)


def reasons(roster: Roster) -> list[tuple[str, int, str, str]]:
    return [(p.file, p.row, p.column, p.value) for p in roster.problems]


def test_messy_export_reads_without_problems() -> None:
    roster = read(messy_roster())
    assert roster.problems == []
    users = {u.sourced_id: u for u in roster.users}
    # BOM, quoted commas and a quoted line break all survive.
    assert users["u1"].family_name == "O'Neil, Jr."
    assert users["u2"].family_name == "Line\nBreak"
    assert [o.name for o in roster.orgs if o.type == "school"] == [
        "Lakeside Elementary, North Campus",
        "Hilltop Middle",
    ]
    # enabledUser TRUE / 1 / false; grades KG, 01, PK, 13 as the app writes them.
    assert [(u.enabled, u.grades) for u in roster.users if u.role == "student"] == [
        (True, ("K",)),
        (True, ("1",)),
        (True, ("PK",)),
        (False, ("13",)),
    ]
    assert users["u3"].student_number == "u3"  # no identifier: the sourcedId is the student id
    assert users["t1"].org_sourced_ids == ("o1", "o2")
    assert roster.classes[0].grades == ("K", "1")
    # Rows after the one with a quoted line break keep their record numbers.
    assert [u.row for u in roster.users] == [2, 3, 4, 5, 6]


def test_demographics_give_the_dashboards_labels_and_program_flags() -> None:
    demographics = {d.sourced_id: d for d in read(messy_roster()).demographics}
    ann, bo, cy = demographics["u1"], demographics["u2"], demographics["u3"]
    assert (ann.sex, ann.race_ethnicity, ann.english_learner, ann.special_education) == (
        "Female",
        "Hispanic or Latino",
        True,
        False,
    )
    assert ann.economically_disadvantaged is True
    assert (bo.sex, bo.race_ethnicity, bo.special_education) == ("Male", "Two or more races", True)
    assert str(ann.birth_date) == "2020-03-04"
    assert cy.race_ethnicity == "Black or African American"


@pytest.mark.parametrize(
    ("flags", "label"),
    [
        ({"white": True}, "White"),
        ({"asian": True, "white": True}, "Two or more races"),
        ({"demographicRaceTwoOrMoreRaces": True}, "Two or more races"),
        ({"hispanicOrLatinoEthnicity": True, "blackOrAfricanAmerican": True}, "Hispanic or Latino"),
        ({"nativeHawaiianOrOtherPacificIslander": True}, "Native Hawaiian or Other Pacific Islander"),
        ({}, ""),
    ],
)
def test_race_flags_become_one_label(flags: dict[str, bool], label: str) -> None:
    assert race_ethnicity(flags) == label


def test_program_flags_read_from_other_common_column_names() -> None:
    files = RosterFiles()
    files.add(
        "demographics", sourcedId="u1", **{"metadata.englishLearner": "true", "sped": "Yes", "lep": "N"}
    )
    files.add("demographics", sourcedId="u2", economicallyDisadvantaged="Reduced")
    demographics = read(files).demographics
    assert demographics[0].english_learner is True  # the first name found wins: englishLearner
    assert demographics[0].special_education is True
    assert demographics[0].economically_disadvantaged is False  # a blank cell says no
    assert demographics[1].economically_disadvantaged is True
    without = RosterFiles()
    without.add("demographics", sourcedId="u1", sex="female")
    # No column for a flag: None, so the import keeps what is stored.
    assert read(without).demographics[0].english_learner is None


def test_manifest_modes_are_read_and_absent_files_are_skipped() -> None:
    files = messy_roster()
    files.modes["demographics"] = "absent"
    files.modes["classes"] = "delta"
    for row in files.rows["classes"]:
        row["status"] = "active"
    roster = read(files)
    assert roster.mode("demographics") == "absent"
    assert roster.demographics == []
    assert roster.mode("classes") == "delta"
    assert roster.mode("academicSessions") == "absent"
    assert roster.problems == []


def test_delta_rows_must_say_active_or_tobedeleted() -> None:
    files = RosterFiles(modes={"users": "delta"})
    files.add("users", sourcedId="u1", status="tobedeleted", role="student", givenName="A", familyName="B")
    files.add("users", sourcedId="u2", status="", role="student", givenName="C", familyName="D")
    files.add("users", sourcedId="u3", status="gone", role="student", givenName="E", familyName="F")
    roster = read(files)
    assert [u.status for u in roster.users] == ["tobedeleted"]
    assert reasons(roster) == [("users.csv", 3, "status", ""), ("users.csv", 4, "status", "gone")]


def test_bulk_rows_may_leave_status_and_date_blank() -> None:
    roster = read(sample_roster(students_per_school=3))
    assert roster.problems == []
    assert {u.status for u in roster.users} == {"active"}


def test_enrollment_in_a_class_not_in_the_file_is_a_problem_row() -> None:
    files = messy_roster()
    files.add(
        "enrollments",
        sourcedId="e99",
        classSourcedId="nowhere",
        userSourcedId="u1",
        role="student",
        primary="false",
    )
    roster = read(files)
    [problem] = roster.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "enrollments.csv",
        6,
        "classSourcedId",
        "nowhere",
    )
    assert "No class in classes.csv" in problem.reason


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("grades", "14", "grade"),
        ("enabledUser", "maybe", "true or false"),
        ("role", "wizard", "role"),
        ("orgSourcedIds", "o404", "No org"),
    ],
)
def test_a_bad_user_value_is_a_problem_naming_row_column_and_value(
    column: str, value: str, reason: str
) -> None:
    files = messy_roster()
    files.rows["users"][2][column] = value
    roster = read(files)
    [problem] = roster.problems
    assert (problem.file, problem.row, problem.column, problem.value) == ("users.csv", 4, column, value)
    assert reason in problem.reason


def test_duplicate_ids_and_missing_columns_are_problems() -> None:
    files = messy_roster()
    files.rows["users"][1]["sourcedId"] = "u1"
    files.rows["users"][2]["identifier"] = "5001"
    files.rows["users"][2]["sourcedId"] = "u9"
    files.rows["enrollments"] = [
        e for e in files.rows["enrollments"] if e["userSourcedId"] not in {"u3", "u2"}
    ]
    roster = read(files)
    assert [(p.row, p.column) for p in roster.problems] == [(3, "sourcedId"), (4, "identifier")]

    broken = zipfile.ZipFile(io.BytesIO(files.zip()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for info in broken.infolist():
            data = broken.read(info)
            if info.filename == "orgs.csv":
                data = b"sourcedId,name\r\no1,Somewhere\r\n"
            out.writestr(info.filename, data)
    roster = read_roster(Upload("r.zip", buffer.getvalue()), max_bytes=LIMIT)
    assert ("orgs.csv", 1, "type", "") in reasons(roster)


def test_manifest_naming_a_missing_file_or_another_version_is_a_problem() -> None:
    files = messy_roster()
    files.version = "1.0"
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(files.zip()))
    with zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            if info.filename != "courses.csv":
                out.writestr(info.filename, source.read(info))
    roster = read_roster(Upload("r.zip", buffer.getvalue()), max_bytes=LIMIT)
    columns = [p.column for p in roster.problems]
    assert "oneroster.version" in columns
    assert "file.courses" in columns


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"sourcedId,name\n", "not a zip"),
        (b"PK\x03\x04garbage", "damaged"),
        (b"", "not a zip"),
    ],
)
def test_files_that_are_not_roster_zips_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(RosterRefused, match=message):
        read_roster(Upload("r.zip", data), max_bytes=LIMIT)


def test_zip_without_manifest_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("users.csv", ",".join(COLUMNS["users"]))
    with pytest.raises(RosterRefused, match=r"no manifest\.csv"):
        read_roster(Upload("r.zip", buffer.getvalue()), max_bytes=LIMIT)


def test_oversized_and_zip_bomb_rosters_are_refused_before_reading() -> None:
    files = messy_roster()
    with pytest.raises(RosterRefused, match="the limit is"):
        read_roster(upload(files), max_bytes=100)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("manifest.csv", files.manifest_text())
        out.writestr("users.csv", "a" * 50_000_000)
    with pytest.raises(RosterRefused, match="far more than a roster"):
        read_roster(Upload("r.zip", buffer.getvalue()), max_bytes=LIMIT)


def test_a_csv_wider_than_the_import_bounds_is_refused() -> None:
    files = messy_roster()
    files.rows["users"][0].update({f"vendor{n}": "x" for n in range(600)})
    with pytest.raises(RosterRefused, match="columns"):
        read(files)


# --- Properties --------------------------------------------------------------------------------

name_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() == s and s.strip())
student = st.fixed_dictionaries(
    {
        "givenName": name_text,
        "familyName": name_text,
        "grade": st.sampled_from(["PK", "KG", "01", "05", "12", "13"]),
        "enabled": st.sampled_from(["true", "TRUE", "1", "false"]),
        "sex": st.sampled_from(["female", "male", ""]),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(students=st.lists(student, max_size=12), bom=st.booleans())
def test_any_valid_roster_round_trips(students: list[dict[str, str]], bom: bool) -> None:
    files = RosterFiles(bom=bom)
    files.add("orgs", sourcedId="o1", name="Only School", type="school", identifier="1")
    for n, s in enumerate(students):
        files.add(
            "users", sourcedId=f"u{n}", enabledUser=s["enabled"], orgSourcedIds="o1", role="student",
            givenName=s["givenName"], familyName=s["familyName"], identifier=str(1000 + n), grades=s["grade"],
        )  # fmt: skip
        files.add("demographics", sourcedId=f"u{n}", sex=s["sex"])
    roster = read(files)
    assert roster.problems == []
    assert [(u.given_name, u.family_name, u.student_number) for u in roster.users] == [
        (s["givenName"], s["familyName"], str(1000 + n)) for n, s in enumerate(students)
    ]
    expected_grades = {"PK": "PK", "KG": "K", "01": "1", "05": "5", "12": "12", "13": "13"}
    assert [u.grades for u in roster.users] == [(expected_grades[s["grade"]],) for s in students]
    assert [u.enabled for u in roster.users] == [s["enabled"] != "false" for s in students]
    assert [d.sex for d in roster.demographics] == [s["sex"].title() for s in students]


cell = st.text(max_size=10)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    files=st.dictionaries(
        st.sampled_from(
            ["users", "orgs", "enrollments", "classes", "demographics", "courses", "academicSessions"]
        ),
        st.lists(st.lists(cell, max_size=12), max_size=6),
    ),
    modes=st.lists(st.sampled_from(["bulk", "delta", "absent", "weird", ""]), min_size=7, max_size=7),
)
def test_garbage_rows_give_problems_never_errors(files: dict[str, list[list[str]]], modes: list[str]) -> None:
    buffer = io.BytesIO()
    names = ["users", "orgs", "enrollments", "classes", "demographics", "courses", "academicSessions"]
    manifest = "propertyName,value\noneroster.version,1.1\n" + "".join(
        f"file.{name},{mode}\n" for name, mode in zip(names, modes, strict=True)
    )
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("manifest.csv", manifest)
        for name, rows in files.items():
            header = ",".join(COLUMNS[name]) + "\n"
            body = "\n".join(",".join(f'"{c.replace(chr(34), "")}"' for c in row) for row in rows)
            out.writestr(f"{name}.csv", (header + body).encode("utf-8", errors="replace"))
    try:
        roster = read_roster(Upload("r.zip", buffer.getvalue()), max_bytes=LIMIT)
    except RosterRefused as refusal:
        message = str(refusal)
        roster = None
    if roster is None:
        assert message
        return
    for problem in roster.problems:
        assert problem.reason
        assert problem.file


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_are_refused_never_crash(data: bytes) -> None:
    try:
        roster = read_roster(Upload("r.zip", b"PK\x03\x04" + data), max_bytes=LIMIT)
    except RosterRefused as refusal:
        message, roster = str(refusal), None
    if roster is None:
        assert message
    else:
        assert all(p.reason for p in roster.problems)


def test_sample_roster_names_students_and_schools_as_the_demo_asks() -> None:
    files = sample_roster(
        schools=2,
        students_per_school=3,
        school_names=[("Maple Elementary", "MV01"), ("Cedar Middle", "MV02")],
        student_number=lambda code, n: f"{code}25{n:04d}",
        id_prefix="mv-",
    )
    roster = read(files)
    assert roster.problems == []
    students = [u for u in roster.users if u.role == "student"]
    assert [u.student_number for u in students[:3]] == ["MV01250001", "MV01250002", "MV01250003"]
    assert students[3].org_sourced_ids == ("mv-org-2",)
    assert [o.identifier for o in roster.orgs if o.type == "school"] == ["MV01", "MV02"]
    assert read(sample_roster(seed=7)).users == read(sample_roster(seed=7)).users
