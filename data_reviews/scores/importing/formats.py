"""The kinds of file an import reads, each one as data: which columns feed which field, how the
window and the subject are found, which result is the vendor's official one.

A new vendor's export is a new `Format` here; a new kind of file (a roster, progress monitoring)
is a new format naming the pipeline that checks its rows, not a new module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from data_reviews.scores.importing.reading import ROW, header_key

FIELDS = {
    "student_id": "Student ID",
    "school": "School (name or code)",
    "grade": "Grade",
    "subject": "Subject or domain",
    "window": "Window (fall, winter, spring)",
    "school_year": "School year",
    "test_date": "Test date",
    "score": "Score",
    "percentile": "National percentile",
    "benchmark_category": "Benchmark category",
    "measure": "Vendor or measure",
    "official": "Official or growth measure (Y/N)",
}
SCORE_REQUIRED = ("student_id", "school", "grade", "subject")
MEASURE_FIELDS = {"school": "School (name or code)", "month": "Month", "value": "Value"}

GROUP_ALIASES = {
    "ethnicity": ["studentethnicgroup", "ethnicity", "raceethnicity", "race", "ethnicgroup"],
    "gender": ["studentgender", "gender", "sex"],
    "English learners": ["englishlanguagelearner", "englishlearner", "ell", "el", "lep"],
    "Students with disabilities": ["specialeducation", "studentswithdisabilities", "iep", "swd", "sped"],
    "Economically disadvantaged": ["economicallydisadvantaged", "frl", "freereducedlunch", "ecodis"],
}
GENDERS = {"f": "Female", "female": "Female", "m": "Male", "male": "Male"}
YES = frozenset({"y", "yes", "true", "1", "x"})


@dataclass(frozen=True)
class Format:
    """A screener export's layout and rules."""

    key: str
    label: str
    aliases: Mapping[str, tuple[str, ...]]
    # The measure of a row whose file names none.
    measure: str = ""
    # A column whose name holds the word names the file's measure instead: ("dibels", "DIBELS 8").
    measure_by_column: tuple[tuple[str, str], ...] = ()
    # Every row is of this subject (the export covers one).
    subject: str = ""
    # The export has one file per subject, named for it ("Diagnostic Results Math.csv").
    subject_from_file_name: bool = False
    # Without a subject column, the measure names the subject ("aReading", "CBMmath").
    subject_from_measure: bool = True
    # A row without a window is put in the window its test date falls in.
    window_from_test_date: bool = True
    # The values of the official column that mark the vendor's official result for the window;
    # of several results in one window, the official one is kept, else the latest.
    official_values: frozenset[str] = YES
    # The pipeline that checks the file's rows.
    pipeline: str = "scores"


@dataclass(frozen=True)
class MeasureFormat:
    """A school-level monthly measure (referrals, attendance): one value per school and month."""

    key: str
    label: str
    aliases: Mapping[str, tuple[str, ...]]
    # "count": a whole number of events; "rate": a percentage (0.95 is read as 95%).
    value: str
    value_problem: str
    pipeline: str = "measures"


GENERIC = Format(
    "generic",
    "Generic long format",
    {
        "student_id": ("studentid", "student", "localid", "studentnumber", "sisid", "id"),
        "school": ("school", "schoolname", "building", "schoolcode", "site"),
        "grade": ("grade", "studentgrade", "gradelevel", "enrolledgrade"),
        "subject": ("subject", "domain", "discipline", "subjectordomain"),
        "window": ("window", "season", "term", "termname", "benchmarkperiod", "screeningperiod"),
        "school_year": ("schoolyear", "academicyear", "year"),
        "test_date": ("testdate", "date", "teststartdate", "completiondate", "assessmentdate"),
        "score": ("score", "scalescore", "compositescore", "testritscore"),
        "percentile": ("percentile", "nationalpercentile", "testpercentile"),
        "benchmark_category": ("benchmarkcategory", "benchmarkstatus", "category", "risklevel", "placement"),
        "measure": ("measure", "vendormeasure", "assessment", "test", "testname"),
        "official": ("official", "growthmeasureyn", "growthmeasure"),
    },
)
NWEA_MAP = Format(
    "nwea_map",
    "NWEA MAP Growth",
    {
        "student_id": ("studentid",),
        "school": ("schoolname",),
        "grade": ("grade", "studentgrade"),
        "subject": ("discipline", "subject"),
        "window": ("termname",),
        "test_date": ("teststartdate",),
        "score": ("testritscore",),
        "percentile": ("testpercentile",),
        "official": ("growthmeasureyn",),
    },
    measure="NWEA MAP Growth",
)
IREADY = Format(
    "iready",
    "i-Ready Diagnostic",
    {
        "student_id": ("studentid",),
        "school": ("school", "schoolname"),
        "grade": ("studentgrade", "grade"),
        "subject": ("subject",),
        "school_year": ("academicyear", "schoolyear"),
        "test_date": ("completiondate", "startdate"),
        "score": ("overallscalescore", "scalescore"),
        "percentile": ("percentile", "overallpercentile"),
        "benchmark_category": ("overallrelativeplacement", "overallplacement"),
    },
    measure="i-Ready Diagnostic",
    subject_from_file_name=True,
)
ACADIENCE = Format(
    "acadience",
    "Acadience Reading / DIBELS 8",
    {
        "student_id": ("studentid", "studentprimaryid", "localid"),
        "school": ("school", "schoolname"),
        "grade": ("grade", "enrollmentgrade"),
        "school_year": ("schoolyear", "assessmentyear", "year"),
        "window": ("benchmarkperiod", "assessmentperiod", "timeframe", "period"),
        "test_date": ("assessmentdate", "date", "testdate"),
        "score": ("readingcompositescore", "compositescore", "dibelscompositescore"),
        "percentile": ("compositenationalpercentile", "nationalpercentile", "percentile"),
        "benchmark_category": (
            "readingcompositestatus",
            "compositestatus",
            "compositelevel",
            "benchmarkstatus",
            "compositebenchmarkstatus",
        ),
        "measure": ("measure", "assessment"),
    },
    measure="Acadience Reading",
    measure_by_column=(("dibels", "DIBELS 8"),),
    subject="reading",
)
FASTBRIDGE = Format(
    "fastbridge",
    "FastBridge",
    {
        "student_id": ("localid", "studentid", "stateid"),
        "school": ("school", "schoolname"),
        "grade": ("grade",),
        "subject": ("subject",),
        "school_year": ("schoolyear", "year"),
        "window": ("screeningperiod", "season", "period"),
        "test_date": ("date", "assessmentdate", "testdate"),
        "score": ("finalscore", "score"),
        "percentile": ("nationalpercentile", "percentilenational", "percentile"),
        "benchmark_category": ("risklevel", "risk", "benchmarkrisk"),
        "measure": ("assessment", "measure", "assessmentname"),
    },
    measure="FastBridge",
)
FORMATS = {f.key: f for f in (GENERIC, NWEA_MAP, IREADY, ACADIENCE, FASTBRIDGE)}
MEASURE_ALIASES = {
    "school": ("school", "schoolname", "schoolcode", "building"),
    "month": ("month", "date", "period", "monthof"),
    "value": ("value", "odr", "odrs", "referrals", "count", "attendancerate", "rate", "attendance"),
}
BEHAVIOUR = MeasureFormat(
    "behaviour",
    "Office discipline referrals",
    MEASURE_ALIASES,
    value="count",
    value_problem="The number of referrals is not a whole number.",
)
ATTENDANCE = MeasureFormat(
    "attendance",
    "Attendance rate",
    MEASURE_ALIASES,
    value="rate",
    value_problem="The attendance rate is not a percentage from 0 to 100.",
)
MEASURE_FORMATS = {f.key: f for f in (BEHAVIOUR, ATTENDANCE)}


def format_for(key: str) -> Format | MeasureFormat:
    return MEASURE_FORMATS.get(key) or FORMATS[key]


def find_columns(
    columns: list[str], aliases: Mapping[str, tuple[str, ...]], mapping: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Which source column feeds each field: the saved mapping first, then the format's names."""
    by_key = {header_key(c): c for c in reversed(columns) if c != ROW}
    found: dict[str, str] = {}
    for name in aliases:
        chosen = (mapping or {}).get(name)
        if chosen and chosen in columns:
            found[name] = chosen
            continue
        if mapping and name in mapping and not chosen:
            continue  # deliberately left unmapped
        for alias in aliases[name]:
            if alias in by_key:
                found[name] = by_key[alias]
                break
    return found
