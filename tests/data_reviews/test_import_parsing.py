"""The import pipeline without a database: vendor layouts, messy files, refusals."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from data_reviews.scores.importing import (
    SchoolIndex,
    Upload,
    UploadRefused,
    check_upload,
    decode_text,
    normalise_grade,
    parse_dates,
    preview,
)

FIXTURES = Path(__file__).parent / "fixtures"
LIMIT = 5 * 1024 * 1024
SCHOOLS = SchoolIndex([(1, "A Lakeside Elementary", "A01"), (2, "A Hilltop Middle", "A02")])


def fixture(name: str) -> Upload:
    return Upload(name, (FIXTURES / name).read_bytes())


def run(uploads: list[Upload], file_format: str, **kwargs: object):
    return preview(uploads, file_format=file_format, schools=SCHOOLS, max_bytes=LIMIT, **kwargs)


def test_nwea_combined_data_file_keeps_growth_measure_and_takes_grade_from_roster() -> None:
    result = run([fixture("nwea_AssessmentResults.csv"), fixture("nwea_StudentsBySchool.csv")], "nwea_map")
    assert result.problems == []
    assert result.ok
    frame = result.frame.set_index(["student_id", "subject", "window"])
    math = frame.loc[("100234", "math", "fall")]
    assert math["score"] == 201  # the growth measure, not the later-numbered screening test
    assert math["grade"] == "3"
    assert math["school_year"] == 2013
    assert set(math["student_groups"]) == {"Hispanic or Latino", "Female"}
    assert frame.loc[("200111", "language", "fall")]["grade"] == "7"
    assert result.set_aside == {"not the vendor's official (growth) measure for the window": 1}
    assert frame.loc[("100234", "reading", "fall")]["tier"] == 3  # 8th percentile
    assert frame.loc[("100234", "reading", "winter")]["tier"] == 2  # 17th percentile


def test_nwea_files_may_be_uploaded_in_either_order() -> None:
    result = run([fixture("nwea_StudentsBySchool.csv"), fixture("nwea_AssessmentResults.csv")], "nwea_map")
    assert result.ok
    assert len(result.frame) == 5


def test_nwea_without_roster_names_the_missing_grade() -> None:
    result = run([fixture("nwea_AssessmentResults.csv")], "nwea_map")
    assert result.missing_fields == ["grade"]
    assert not result.ok


def test_iready_latin1_export_uses_placement_and_subject_from_file_name() -> None:
    result = run([fixture("iready_diagnostic_results_ela.csv")], "iready")
    assert result.problems == []
    frame = result.frame
    assert set(frame["subject"]) == {"reading"}
    assert set(frame["grade"]) == {"K", "1"}
    assert sorted(frame["window"]) == ["fall", "fall", "fall", "winter"]
    assert set(frame["school_id"]) == {1}  # "a lakeside elementary " matched despite case and spaces
    jose = frame[(frame["student_id"] == "S-1001") & (frame["window"] == "fall")].iloc[0]
    assert jose["tier"] == 1  # 41st percentile
    assert "English learners" in jose["student_groups"]
    assert "Economically disadvantaged" in jose["student_groups"]


def test_iready_placement_decides_when_no_percentile() -> None:
    data = (FIXTURES / "iready_diagnostic_results_ela.csv").read_bytes().replace(b",41,", b",,")
    result = run([Upload("diagnostic_math.csv", data)], "iready")
    jose = result.frame[(result.frame["student_id"] == "S-1001") & (result.frame["window"] == "fall")]
    assert jose.iloc[0]["tier"] == 1  # Early On Grade Level
    assert set(result.frame["subject"]) == {"math"}


def test_acadience_xlsx_with_blank_row_numeric_ids_and_period_codes() -> None:
    result = run([fixture("acadience_benchmark.xlsx")], "acadience")
    assert result.problems == []
    frame = result.frame.set_index("student_id")
    assert list(frame.index) == ["6001", "6002", "6003", "6004"]
    assert list(frame["window"]) == ["fall", "fall", "winter", "spring"]
    assert list(frame["tier"]) == [1, 2, 3, 1]
    assert list(result.frame["_row"]) == [2, 3, 5, 6]
    assert set(frame["measure"]) == {"Acadience Reading"}


def test_fastbridge_utf16_tab_file_matches_school_codes_and_risk_levels() -> None:
    result = run([fixture("fastbridge_screening.csv")], "fastbridge")
    assert result.problems == []
    frame = result.frame.set_index("student_id")
    assert frame.loc["777003", "subject"] == "math"
    assert frame.loc["777003", "tier"] == 3
    assert frame.loc["777004", "tier"] == 2  # no percentile: "Some Risk"
    assert frame.loc["777004", "school_id"] == 2
    assert frame.loc["777001", "measure"] == "aReading"


def test_generic_file_reports_each_problem_with_row_column_value_and_reason() -> None:
    data = (FIXTURES / "generic_long.csv").read_bytes().replace(b",60,91,", b",60,high,")
    data = data.replace(b"5003,A Lakeside Elementary", b"5003,Lakeside Elem")
    result = run([Upload("generic_long.csv", data)], "generic")
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (5, "School (name or code)", "Lakeside Elem"),
        (6, "National percentile", "high"),
    ]
    assert all(p.reason for p in result.problems)
    assert result.unmatched_schools == {"Lakeside Elem": 1}
    assert not result.ok


def test_generic_file_reads_grades_k_kg_and_13_and_both_date_styles() -> None:
    result = run([fixture("generic_long.csv")], "generic")
    assert result.ok
    assert list(result.frame["grade"]) == ["K", "K", "1", "13"]
    assert result.frame["test_date"].iloc[0] == pd.Timestamp("2025-09-16")
    assert result.frame["test_date"].iloc[1] == pd.Timestamp("2025-09-16")


def test_saved_school_mapping_matches_a_name_the_district_does_not_use() -> None:
    data = (
        (FIXTURES / "generic_long.csv")
        .read_bytes()
        .replace(b"5003,A Lakeside Elementary", b"5003,Lakeside Elem")
    )
    schools = SchoolIndex(
        [(1, "A Lakeside Elementary", "A01"), (2, "A Hilltop Middle", "A02")], {"lakeside elem": 1}
    )
    result = preview([Upload("g.csv", data)], file_format="generic", schools=schools, max_bytes=LIMIT)
    assert result.ok


def test_column_mapping_feeds_a_field_from_an_unusual_header() -> None:
    data = b"Pupil,Bldg,Gr,Subj,Season,Yr,NPR\n1,A01,3,Reading,Fall,2025,50\n"
    unmapped = run([Upload("odd.csv", data)], "generic")
    assert set(unmapped.missing_fields) >= {"student_id", "school", "grade"}
    mapping = {"student_id": "Pupil", "school": "Bldg", "grade": "Gr", "subject": "Subj",
               "window": "Season", "school_year": "Yr", "percentile": "NPR"}  # fmt: skip
    mapped = run([Upload("odd.csv", data)], "generic", mapping=mapping)
    assert mapped.ok
    assert mapped.frame.iloc[0]["tier"] == 1


def test_district_rule_by_category_overrides_the_percentile_default() -> None:
    from data_reviews.scores.analysis import Rule

    rule = Rule(
        subject="reading", measure="", method="category", category_tiers={"Low Risk": 1, "Some Risk": 3}
    )
    result = run([fixture("fastbridge_screening.csv")], "fastbridge", rules=[rule])
    frame = result.frame.set_index("student_id")
    assert frame.loc["777002", "tier"] == 3
    assert frame.loc["777003", "tier"] == 3  # math keeps the percentile default


def test_oversized_upload_is_refused_before_reading() -> None:
    with pytest.raises(UploadRefused, match="limit"):
        check_upload(Upload("big.csv", b"x" * 101), max_bytes=100)


def test_binary_file_named_csv_is_refused() -> None:
    with pytest.raises(UploadRefused, match="not a text file"):
        check_upload(Upload("scores.csv", b"PK\x03\x04rest"), max_bytes=LIMIT)


def test_text_file_named_xlsx_is_refused() -> None:
    with pytest.raises(UploadRefused, match="not an Excel workbook"):
        check_upload(Upload("scores.xlsx", b"a,b\n1,2\n"), max_bytes=LIMIT)


def test_zip_bomb_named_xlsx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 5_000_000)
    with pytest.raises(UploadRefused, match="unpacks"):
        check_upload(Upload("scores.xlsx", buffer.getvalue()), max_bytes=LIMIT)


def test_other_extensions_are_refused() -> None:
    with pytest.raises(UploadRefused, match="CSV and XLSX"):
        check_upload(Upload("scores.pdf", b"%PDF"), max_bytes=LIMIT)


def test_decoding_handles_bom_utf16_and_latin1() -> None:
    assert decode_text("\ufeffé".encode()) == "é"
    assert decode_text("é".encode("utf-16")) == "é"
    assert decode_text("é".encode("latin-1")) == "é"


def test_grades_and_dates_normalise() -> None:
    grades = normalise_grade(pd.Series(["K", "KG", "kindergarten", "01", "3rd", "Grade 5", "13", "14", "x"]))
    assert grades.tolist()[:7] == ["K", "K", "K", "1", "3", "5", "13"]
    assert grades.iloc[7:].isna().all()
    dates = parse_dates(pd.Series(["9/16/2013", "2013-09-16", "9/16/13", "nope", ""]))
    assert dates.iloc[:3].tolist() == [pd.Timestamp("2013-09-16")] * 3
    assert dates.iloc[3:].isna().all()


def test_behaviour_file_reads_months_and_counts() -> None:
    data = b"School,Month,ODRs\nA01,2025-09,14\nA Hilltop Middle,October 2025,22\nA01,11/1/2025,x\n"
    result = run([Upload("odr.csv", data)], "behaviour")
    assert [(p.row, p.column) for p in result.problems] == [(4, "Value")]
    assert len(result.frame) == 2


def test_attendance_rates_as_fractions_become_percentages() -> None:
    data = b"School,Month,Attendance Rate\nA01,2025-09,0.951\nA02,2025-09,93.5%\n"
    result = run([Upload("att.csv", data)], "attendance")
    assert result.ok
    assert result.frame["value"].round(1).tolist() == [95.1, 93.5]


HEADER = "student id,school,grade,subject,window,school year,date,score,percentile,benchmark category\n"
cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(cell, min_size=0, max_size=12), max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
)
def test_no_input_crashes_the_parser_and_every_rejection_names_a_row_and_reason(
    rows: list[list[str]], encoding: str
) -> None:
    text = HEADER + "\n".join(",".join(f'"{c.replace(chr(34), "")}"' for c in row) for row in rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    try:
        result = run([Upload("any.csv", data)], "generic")
    except UploadRefused as refusal:
        refusal_message = str(refusal)
        result = None
    if result is None:
        assert refusal_message
        return
    for problem in result.problems:
        assert problem.row >= 2
        assert problem.reason
        assert problem.column
    assert result.problem_count == len(result.problems)
    assert len(result.frame) + len({p.row for p in result.problems}) + sum(result.set_aside.values()) == (
        result.rows_read
    )


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=400), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))
@example(data=b"\r\x01", name="f.csv")
def test_arbitrary_bytes_are_refused_or_read_never_crash(data: bytes, name: str) -> None:
    try:
        result = run([Upload(name, data)], "generic")
    except UploadRefused as refusal:
        refusal_message = str(refusal)
        result = None
    if result is None:
        assert refusal_message
        return
    assert all(p.row >= 2 and p.reason for p in result.problems)


def test_workbook_with_an_xml_entity_bomb_is_refused() -> None:
    buffer = io.BytesIO()
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>'
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", bomb)
        archive.writestr("xl/workbook.xml", bomb)
    with pytest.raises(UploadRefused, match="could not be read as an Excel workbook"):
        run([Upload("scores.xlsx", buffer.getvalue())], "generic")
