"""Reading screener exports into one tidy frame, checking every row before anything is written.

Frames in, frames out: nothing here touches the database. `preview()` is the whole pipeline:
refuse unsafe uploads, read CSV or XLSX, pick the columns for the chosen format, check and
convert every value, match schools, keep one result per student, subject and window.
Row numbers in problems are the spreadsheet's own (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import python_calamine
from rapidfuzz import fuzz, process

from mtss import workbooks

MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_PROBLEMS_KEPT = 5000
# A file with one misspelt school repeats its problem on thousands of rows: the report shows each
# kind of problem once, with its row count and its first rows.
MAX_PROBLEM_GROUPS = 100
EXAMPLE_ROWS = 5
ROW = "_row"

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


class UploadRefused(Exception):
    """The file was refused before reading; the message says why and what to do."""


@dataclass
class Problem:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class Upload:
    name: str
    data: bytes


@dataclass
class Preview:
    """What an import would write, and everything that stops it."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    problem_rows: int = 0
    problem_groups: list[dict[str, Any]] = field(default_factory=list)
    unmatched_schools: dict[str, int] = field(default_factory=dict)
    school_suggestions: dict[str, int] = field(default_factory=dict)
    set_aside: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0
    columns: list[str] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    kind: str = "scores"

    @property
    def ok(self) -> bool:
        return self.problem_count == 0 and not self.missing_fields and self.rows_read > 0

    def summary(self, school_names: Mapping[int, str] | None = None) -> dict[str, Any]:
        frame = self.frame
        names = school_names or {}
        if frame.empty:
            schools: dict[str, int] = {}
        else:
            counts = frame["school_id"].value_counts()
            schools = {names.get(int(k), str(k)): int(v) for k, v in counts.items()}
        out: dict[str, Any] = {
            "kind": self.kind,
            "schools": dict(sorted(schools.items())),
            "unmatched_schools": self.unmatched_schools,
            "school_suggestions": self.school_suggestions,
            "set_aside": self.set_aside,
            "columns": self.columns,
            "missing_fields": self.missing_fields,
            "problem_count": self.problem_count,
            "problem_rows": self.problem_rows,
            "problem_groups": self.problem_groups,
        }
        if self.kind == "scores" and not frame.empty:
            periods = frame.groupby(["school_year", "window"]).size()
            out["windows"] = {f"{w.title()} {y}-{(y + 1) % 100:02d}": int(n) for (y, w), n in periods.items()}
            out["subjects"] = {
                str(k): int(v) for k, v in frame["subject"].value_counts().sort_index().items()
            }
            out["tiers"] = {
                "Tier 1": int((frame["tier"] == 1).sum()),
                "Tier 2": int((frame["tier"] == 2).sum()),
                "Tier 3": int((frame["tier"] == 3).sum()),
                "No data": int(frame["tier"].isna().sum()),
            }
        elif not frame.empty:
            out["months"] = sorted({m.strftime("%Y-%m") for m in frame["month"]})
        return out


# --- Refusing unsafe files ---------------------------------------------------------------------


def check_upload(upload: Upload, *, max_bytes: int) -> str:
    """Return "csv" or "xlsx" after the size, type and zip checks; raise UploadRefused otherwise."""
    size = len(upload.data)
    if size > max_bytes:
        raise UploadRefused(
            f"{upload.name} is {size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB. "
            "Split the file by school or window and import the parts."
        )
    if size == 0:
        raise UploadRefused(f"{upload.name} is empty. Export the file again and upload it.")
    extension = upload.name.rsplit(".", 1)[-1].casefold() if "." in upload.name else ""
    is_zip = upload.data[:4] == b"PK\x03\x04"
    if extension in {"xlsx", "xlsm"}:
        if not is_zip:
            raise UploadRefused(f"{upload.name} is named .xlsx but is not an Excel workbook.")
        _check_zip(upload)
        return "xlsx"
    if extension in {"csv", "txt", "tsv"}:
        if is_zip or (b"\x00" in upload.data[:4096] and not _is_utf16(upload)):
            raise UploadRefused(f"{upload.name} is named .{extension} but is not a text file.")
        _check_text_extent(upload)
        return "csv"
    raise UploadRefused(f"{upload.name}: only CSV and XLSX (Excel) files can be imported.")


def _is_utf16(upload: Upload) -> bool:
    return upload.data[:2] in {codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE}


def _check_zip(upload: Upload) -> None:
    try:
        workbooks.archive_members(io.BytesIO(upload.data), max_unzipped_bytes=MAX_XLSX_UNCOMPRESSED_BYTES)
        extents = workbooks.worksheet_extents(io.BytesIO(upload.data))
    except workbooks.ArchiveRefused as refusal:
        reason = str(refusal)
        if reason == "too big unpacked":
            raise UploadRefused(
                f"{upload.name} unpacks to far more data than a screener export holds; it was not opened. "
                "Save it again from the vendor's site or as CSV."
            ) from refusal
        if reason == "not an Office file":
            raise UploadRefused(f"{upload.name} is a zip archive, not an Excel workbook.") from refusal
        raise UploadRefused(
            f"{upload.name} is damaged and cannot be opened as a workbook. "
            "Open it in Excel and save it again, or save it as CSV."
        ) from refusal
    for extent in extents:
        if not extent.within_bounds:
            # The sheet's real extent, counted from its cells: the reader would build all of it.
            last = f"{_column_letters(extent.columns)}{extent.rows}"
            raise UploadRefused(
                f"{upload.name} has cells as far as {last} ({extent.rows:,} rows by {extent.columns:,} "
                f"columns); an import reads at most {workbooks.MAX_SHEET_ROWS:,} rows, "
                f"{workbooks.MAX_SHEET_COLUMNS} columns and {workbooks.MAX_SHEET_CELLS:,} cells, so it was "
                "not opened. Delete the rows and columns past your data (or save the sheet as CSV) and "
                "upload it again."
            )


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters or "A"


_LINE_END = re.compile(r"\r\n|\r|\n")


def _check_text_extent(upload: Upload) -> None:
    """Count the header's columns and the lines before any parser sees the body: a parser builds
    every line as wide as the header, so a wide header or millions of short lines cost gigabytes."""
    text = decode_text(upload.data)
    delimiter = _delimiter(text)
    first = re.search(rf"[^\s{re.escape(delimiter)}]", text)
    if first is None:
        return
    # Files from old spreadsheets end their lines with a bare carriage return: count those as
    # line ends too, or a file of them would read as one line and pass every bound.
    start = max(text.rfind("\n", 0, first.start()), text.rfind("\r", 0, first.start())) + 1
    end = _LINE_END.search(text, first.start())
    header = text[start : end.start() if end else len(text)]
    columns = len(next(csv.reader([header], delimiter=delimiter), []))
    line_ends = text.count("\n", start) + text.count("\r", start) - text.count("\r\n", start)
    lines = line_ends + (not text.endswith(("\n", "\r")))
    if columns > workbooks.MAX_SHEET_COLUMNS:
        raise UploadRefused(
            f"{upload.name} has {columns:,} columns; an import reads at most "
            f"{workbooks.MAX_SHEET_COLUMNS}, more than any screener export has. Export only the columns "
            "you need (or delete the empty ones) and upload it again."
        )
    if lines > workbooks.MAX_SHEET_ROWS or lines * columns > workbooks.MAX_SHEET_CELLS:
        raise UploadRefused(
            f"{upload.name} has {lines:,} lines of {columns:,} columns; an import checks at most "
            f"{workbooks.MAX_SHEET_ROWS:,} lines and {workbooks.MAX_SHEET_CELLS:,} cells at once. "
            "Split it by school or window and import the parts."
        )


# --- Reading ------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM, else Latin-1 (Windows-1252) as exports often are."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data[:2] in {codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE}:
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(upload: Upload, kind: str) -> pd.DataFrame:
    """Every cell as text, blank lines dropped, `_row` holding the spreadsheet row number."""
    if kind == "xlsx":
        # check_upload has bounded the sheet from its cells, so the reader cannot be made to build
        # more than MAX_SHEET_CELLS; it expands no XML entity (an entity is an error).
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(upload.data))
            try:
                values = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
            finally:
                workbook.close()
            rows = [[_cell_text(v) for v in row] for row in values]
        except Exception as error:
            raise UploadRefused(
                f"{upload.name} could not be read as an Excel workbook ({type(error).__name__}). "
                "Open it in Excel and save it again, or save it as CSV."
            ) from error
    else:
        text = decode_text(upload.data)
        delimiter = _delimiter(text)
        fast = _read_csv_fast(text, delimiter)
        if fast is not None:
            return fast
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    # The header is the first non-blank line.
    start = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if start is None:
        return pd.DataFrame({ROW: pd.Series(dtype="int64")})
    header = _unique_headers(rows[start])
    width = len(header)
    body = []
    numbers = []
    for offset, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(c.strip() for c in row):
            continue
        body.append((row + [""] * width)[:width])
        numbers.append(offset)
    frame = pd.DataFrame(body, columns=header, dtype="object") if body else pd.DataFrame(columns=header)
    frame = frame.astype("object").fillna("")
    frame[ROW] = pd.Series(numbers, dtype="int64")
    return frame


def _delimiter(text: str) -> str:
    sample = text[:4096]
    return "\t" if sample.count("\t") > sample.count(",") else ","


def _read_csv_fast(text: str, delimiter: str) -> pd.DataFrame | None:
    """pandas' C parser for well-formed files; None sends ragged or quoted-newline files to csv."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip(delimiter + " \t\r\n")), None)
    if start is None or ('"' in text and "\n" in "".join(re.findall(r'"[^"]*"', text))):
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skiprows=start,
            header=0,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    frame.columns = _unique_headers(
        [str(c) if not str(c).startswith("Unnamed: ") else "" for c in frame.columns]
    )
    frame = frame.astype("object").fillna("")
    numbers = pd.Series(np.arange(len(frame), dtype="int64") + start + 2, index=frame.index)
    blank = (frame.apply(lambda column: column.str.strip() == "")).all(axis=1) if len(frame.columns) else None
    frame[ROW] = numbers
    if blank is not None:
        frame = frame[~blank].reset_index(drop=True)
    return frame


def per_unique(values: pd.Series, convert: Any) -> pd.Series:
    """Apply `convert` to each distinct value once: files repeat schools, grades and dates."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    converted = convert(pd.Series(uniques, dtype="object"))
    return pd.Series(converted.to_numpy()[codes], index=values.index)


def _unique_headers(row: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    headers = []
    for index, cell in enumerate(row):
        name = cell.strip().lstrip("\ufeff") or f"Column {index + 1}"
        seen[name] += 1
        headers.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return headers


def header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


# --- Formats ------------------------------------------------------------------------------------

GROUP_ALIASES = {
    "ethnicity": ["studentethnicgroup", "ethnicity", "raceethnicity", "race", "ethnicgroup"],
    "gender": ["studentgender", "gender", "sex"],
    "English learners": ["englishlanguagelearner", "englishlearner", "ell", "el", "lep"],
    "Students with disabilities": ["specialeducation", "studentswithdisabilities", "iep", "swd", "sped"],
    "Economically disadvantaged": ["economicallydisadvantaged", "frl", "freereducedlunch", "ecodis"],
}
GENDERS = {"f": "Female", "female": "Female", "m": "Male", "male": "Male"}
YES = {"y", "yes", "true", "1", "x"}


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    aliases: Mapping[str, tuple[str, ...]]
    measure: str = ""
    subject: str = ""


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


# --- Converting values --------------------------------------------------------------------------

SUBJECTS = {
    "reading": "reading",
    "read": "reading",
    "ela": "reading",
    "englishlanguagearts": "reading",
    "literacy": "reading",
    "earlyreading": "reading",
    "areading": "reading",
    "cbmreading": "reading",
    "readingcomposite": "reading",
    "math": "math",
    "maths": "math",
    "mathematics": "math",
    "amath": "math",
    "earlymath": "math",
    "cbmmath": "math",
    "languageusage": "language",
    "language": "language",
    "science": "science",
    "generalscience": "science",
    "writing": "writing",
}
WINDOW_WORDS = {
    "fall": "fall",
    "autumn": "fall",
    "boy": "fall",
    "beginning": "fall",
    "beginningofyear": "fall",
    "winter": "winter",
    "moy": "winter",
    "middle": "winter",
    "middleofyear": "winter",
    "spring": "spring",
    "eoy": "spring",
    "end": "spring",
    "endofyear": "spring",
}
GRADE_WORDS = {"k": "K", "kg": "K", "kindergarten": "K", "0": "K", "00": "K", "pk": "PK", "prek": "PK"}
YEAR_PATTERN = re.compile(r"(?<!\d)(\d{4})(?:\s*[-/]\s*(\d{2,4}))?(?!\d)")


def normalise_subject(values: pd.Series) -> pd.Series:
    keys = values.map(header_key)
    direct = keys.map(SUBJECTS)
    guessed = keys.map(lambda k: "math" if "math" in k else ("reading" if "read" in k else np.nan))
    return direct.astype("object").fillna(guessed.astype("object"))


def normalise_grade(values: pd.Series) -> pd.Series:
    cleaned = values.str.strip().str.casefold().str.replace(r"^grade\s*", "", regex=True)
    cleaned = cleaned.str.replace(r"(st|nd|rd|th)$", "", regex=True).str.replace(r"\.0+$", "", regex=True)
    words = cleaned.map(GRADE_WORDS)
    numbers = pd.to_numeric(cleaned, errors="coerce")
    numeric = numbers.where((numbers >= 1) & (numbers <= 13) & (numbers == numbers.round()))
    as_text = numeric.map(lambda n: str(int(n)) if pd.notna(n) else np.nan)
    return words.astype("object").fillna(as_text.astype("object"))


def window_and_year(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """'Fall 2013-2014', 'BOY', 'Winter' → ('fall', 2013), ('fall', NaN), ('winter', NaN)."""
    words = values.str.casefold().str.extract(r"([a-z]+(?:\s+of\s+year)?)", expand=False).fillna("")
    window = words.str.replace(r"\s+", "", regex=True).map(WINDOW_WORDS)
    return window, school_year_from_text(values)


def school_year_from_text(values: pd.Series) -> pd.Series:
    """'2013-2014', '2013-14' and '2013' all mean the school year starting in 2013."""
    found = values.str.extract(YEAR_PATTERN)
    return pd.to_numeric(found[0], errors="coerce")


def parse_dates(values: pd.Series) -> pd.Series:
    stripped = values.str.strip().str.split(" ").str[0].fillna("")
    result = pd.to_datetime(stripped, format="%m/%d/%Y", errors="coerce")
    for fmt in ("%Y-%m-%d", "%m/%d/%y", "%m-%d-%Y", "%Y/%m/%d"):
        missing = result.isna() & (stripped != "")
        if not missing.any():
            break
        result = result.fillna(pd.to_datetime(stripped.where(missing, ""), format=fmt, errors="coerce"))
    return result


def window_from_dates(dates: pd.Series) -> pd.Series:
    """August to November is fall, December to February winter, March to July spring."""
    month = dates.dt.month
    window = pd.Series(np.nan, index=dates.index, dtype="object")
    window[month.isin([8, 9, 10, 11])] = "fall"
    window[month.isin([12, 1, 2])] = "winter"
    window[month.isin([3, 4, 5, 6, 7])] = "spring"
    return window


def school_year_from_dates(dates: pd.Series) -> pd.Series:
    return (dates.dt.year - (dates.dt.month < 7).astype("float64")).astype("float64")


def parse_numbers(values: pd.Series) -> pd.Series:
    cleaned = values.str.strip().str.rstrip("%").str.replace(",", "", regex=False)
    return pd.to_numeric(cleaned, errors="coerce")


class SchoolIndex:
    """Finds a school id from a name or code as an export spells it (and saved mappings)."""

    def __init__(
        self, schools: list[tuple[int, str, str]], mappings: Mapping[str, int] | None = None
    ) -> None:
        self.names = {pk: name for pk, name, _code in schools}
        self.lookup: dict[str, int] = {}
        for pk, name, code in schools:
            self.lookup[school_key(name)] = pk
            if code:
                self.lookup[school_key(code)] = pk
        for source, pk in (mappings or {}).items():
            self.lookup[school_key(source)] = pk

    def match(self, values: pd.Series) -> pd.Series:
        return values.map(lambda v: self.lookup.get(school_key(v), np.nan))

    def suggest(self, names: list[str]) -> dict[str, int]:
        """The likely school for each name that matched nothing, where one stands out."""
        choices = {pk: school_words(name) for pk, name in self.names.items()}
        suggestions: dict[str, int] = {}
        for name in names:
            found = process.extract(
                school_words(name), choices, scorer=fuzz.token_sort_ratio, score_cutoff=SUGGEST_SCORE, limit=2
            )
            # Two schools as close as each other: the coordinator chooses, nothing is pre-selected.
            if found and (len(found) == 1 or found[0][1] > found[1][1]):
                suggestions[name] = int(found[0][2])
        return suggestions


SCHOOL_UNMATCHED = "This school matches no school in the district."
STUDENT_ID_MISSING = "The student ID is missing."


# Exports and rosters spell the same school differently: these words count as the same.
SCHOOL_WORD_FORMS = (
    (re.compile(r"\belementary school\b|\belementary\b|\belem\b"), "es"),
    # A name ending in Middle or High ("Mount Hood High") names the school, as "... High School" does.
    (re.compile(r"\bmiddle school\b|\bmiddle$"), "ms"),
    (re.compile(r"\bhigh school\b|\bhigh$"), "hs"),
    (re.compile(r"\bsaint\b"), "st"),
    (re.compile(r"\bmount\b"), "mt"),
)
SUGGEST_SCORE = 85


def school_words(value: str) -> str:
    """A school name with punctuation dropped and its common words in one form: "Mt. Hood High
    School" and "Mount Hood HS" both read "mt hood hs"."""
    words = " ".join(re.sub(r"[^\w\s]", " ", str(value).casefold()).split())
    for pattern, form in SCHOOL_WORD_FORMS:
        words = pattern.sub(form, words)
    # "Elementary ES" and the like say the kind of school twice.
    return re.sub(r"\b(es|ms|hs)( \1)+\b", r"\1", words)


def school_key(value: str) -> str:
    return " ".join(str(value).split()).casefold()


# --- The pipeline -------------------------------------------------------------------------------


def _problems(frame: pd.DataFrame, mask: pd.Series, column: str, values: pd.Series, reason: str) -> list:
    if not mask.any():
        return []
    rows = frame.loc[mask, ROW].tolist()
    shown = values[mask].astype(str).str.slice(0, 80).tolist()
    return [Problem(int(r), column, v, reason) for r, v in zip(rows, shown, strict=True)]


def group_problems(problems: list[Problem]) -> list[dict[str, Any]]:
    """One entry per kind of problem (per school name for schools that match nothing), the most
    frequent first, each with its number of rows and its first rows as examples."""
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for problem in sorted(problems, key=lambda p: (p.row, p.column)):
        value = problem.value if problem.reason == SCHOOL_UNMATCHED else ""
        group = groups.get((problem.column, problem.reason, value))
        if group is None:
            label = f"School “{value}” matched nothing" if value else problem.reason.rstrip(".")
            group = groups[(problem.column, problem.reason, value)] = {
                "column": problem.column,
                "reason": problem.reason,
                "value": value,
                "label": label,
                "rows": 0,
                "examples": [],
            }
        group["rows"] += 1
        if len(group["examples"]) < EXAMPLE_ROWS:
            group["examples"].append(problem.row)
    ordered = sorted(groups.values(), key=lambda g: (-g["rows"], g["examples"][0]))
    return ordered[:MAX_PROBLEM_GROUPS]


def _finish_problems(result: Preview, problems: list[Problem]) -> set[int]:
    """Keep the counts, the groups and the first rows of the report; return the rows with problems."""
    problems.sort(key=lambda p: (p.row, p.column))
    bad_rows = {p.row for p in problems}
    result.problem_count = len(problems)
    result.problem_rows = len(bad_rows)
    result.problem_groups = group_problems(problems)
    result.problems = problems[:MAX_PROBLEMS_KEPT]
    return bad_rows


def _groups(frame: pd.DataFrame, extra: pd.DataFrame | None) -> pd.Series:
    """A list of student-group labels for each row from whatever demographic columns exist."""
    source = frame
    if extra is not None:
        source = extra
    columns = {header_key(c): c for c in source.columns if c != ROW}
    parts: list[pd.Series] = []
    for label, aliases in GROUP_ALIASES.items():
        column = next((columns[a] for a in aliases if a in columns), None)
        if column is None:
            continue
        values = source[column].astype(str).str.strip()
        if label == "ethnicity":
            parts.append(values.where(values != "", None))
        elif label == "gender":
            parts.append(values.str.casefold().map(GENDERS))
        else:
            parts.append(
                pd.Series(np.where(values.str.casefold().isin(YES), label, None), index=values.index)
            )
    if not parts:
        return pd.Series([[] for _ in range(len(frame))], index=frame.index, dtype="object")
    stacked = pd.concat(parts, axis=1)
    return pd.Series(
        [[g for g in row if isinstance(g, str) and g] for row in stacked.itertuples(index=False)],
        index=frame.index,
        dtype="object",
    )


def _attach_roster(frame: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """NWEA: take grade and demographics from StudentsBySchool by student id (and term)."""
    keys = {header_key(c): c for c in roster.columns}
    sid = keys.get("studentid")
    if sid is None:
        return frame
    roster = roster.rename(columns={sid: "_sid"})
    join = ["_sid"]
    term = keys.get("termname")
    frame_term = next((c for c in frame.columns if header_key(c) == "termname"), None)
    if term and frame_term:
        roster = roster.rename(columns={term: "_term"})
        frame = frame.assign(_term=frame[frame_term])
        join.append("_term")
    roster = roster.drop(columns=[ROW]).drop_duplicates(join, keep="last")
    frame_sid = next(c for c in frame.columns if header_key(c) == "studentid")
    frame = frame.assign(_sid=frame[frame_sid])
    keep = [
        c for c in roster.columns if c in join or header_key(c) not in {header_key(x) for x in frame.columns}
    ]
    merged = frame.merge(roster[keep], on=join, how="left").fillna("")
    return merged.drop(columns=[c for c in ("_sid", "_term") if c in merged.columns])


def preview(
    uploads: list[Upload],
    *,
    file_format: str,
    schools: SchoolIndex,
    mapping: Mapping[str, str] | None = None,
    max_bytes: int,
    rules: list[Any] | None = None,
) -> Preview:
    """Read and check the uploaded file(s); raise UploadRefused for files that cannot be opened."""
    kinds = [check_upload(u, max_bytes=max_bytes) for u in uploads]
    tables = [read_table(u, k) for u, k in zip(uploads, kinds, strict=True)]
    if file_format in {"behaviour", "attendance"}:
        return _measure_preview(tables[0], file_format=file_format, schools=schools, mapping=mapping)
    fmt = FORMATS[file_format]
    table = tables[0]
    roster = None
    if len(tables) > 1:
        # Either file may be first: StudentsBySchool has no test score column.
        if any(header_key(c) == "testritscore" for c in tables[1].columns):
            table, roster = tables[1], tables[0]
        else:
            roster = tables[1]
        table = _attach_roster(table, roster)
    return _score_preview(
        table, fmt=fmt, schools=schools, mapping=mapping, file_name=uploads[0].name, rules=rules
    )


def _empty_scores() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            ROW,
            "school_id",
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
            "official",
            "student_groups",
            "tier",
        ]
    )


def _score_preview(
    table: pd.DataFrame,
    *,
    fmt: Format,
    schools: SchoolIndex,
    mapping: Mapping[str, str] | None,
    file_name: str,
    rules: list[Any] | None,
) -> Preview:
    from data_reviews.scores.analysis import compute_tiers

    columns = [c for c in table.columns if c != ROW]
    found = find_columns(columns, fmt.aliases, mapping if fmt.key == "generic" or mapping else None)
    result = Preview(frame=_empty_scores(), rows_read=len(table), columns=columns)
    subject_from_measure = "subject" not in found and "measure" in found and not fmt.subject
    missing = [
        f
        for f in SCORE_REQUIRED
        if f not in found and not (f == "subject" and (fmt.subject or subject_from_measure))
    ]
    if fmt.key == "iready" and "subject" not in found:
        guessed = normalise_subject(pd.Series([file_name]))[0]
        if isinstance(guessed, str):
            missing = [f for f in missing if f != "subject"]
    if not ({"window", "test_date"} & set(found)):
        missing.append("window")
    if not ({"score", "percentile", "benchmark_category"} & set(found)):
        missing.append("percentile")
    result.missing_fields = missing
    if missing or table.empty:
        return result

    def text(name: str) -> pd.Series:
        if name in found:
            return per_unique(table[found[name]].astype(str), lambda u: u.str.strip()).astype("object")
        return pd.Series("", index=table.index, dtype="object")

    problems: list[Problem] = []
    out = pd.DataFrame({ROW: table[ROW]})
    student = text("student_id").str.replace(r"\.0$", "", regex=True)
    no_student = student == ""
    problems += _problems(table, no_student, FIELDS["student_id"], student, STUDENT_ID_MISSING)
    out["student_id"] = student.str.slice(0, 64)

    school_text = text("school")
    school_ids = per_unique(school_text, schools.match).astype("float64")
    unmatched = school_ids.isna()
    problems += _problems(table, unmatched, FIELDS["school"], school_text, SCHOOL_UNMATCHED)
    out["school_id"] = school_ids
    unmatched_names = Counter(school_text[unmatched].tolist())

    grade_text = text("grade")
    grade = per_unique(grade_text, normalise_grade)
    # Without a student id the roster cannot give the row its grade: the missing id is the problem.
    bad_grade = grade.isna() & ~(no_student & (grade_text == ""))
    problems += _problems(
        table, bad_grade, FIELDS["grade"], grade_text, "The grade is not K or a number from 1 to 13."
    )
    out["grade"] = grade

    if "subject" in found or subject_from_measure:
        subject_text = text("subject" if "subject" in found else "measure")
        subject = per_unique(subject_text, normalise_subject)
    else:
        fixed = fmt.subject or normalise_subject(pd.Series([file_name]))[0]
        subject_text = pd.Series(fixed, index=table.index)
        subject = pd.Series(fixed, index=table.index, dtype="object")
    problems += _problems(
        table,
        subject.isna(),
        FIELDS["subject"],
        subject_text,
        "The subject is not reading, math, language usage, science or writing.",
    )
    out["subject"] = subject

    date_text = text("test_date")
    dates = pd.to_datetime(per_unique(date_text, parse_dates))
    bad_dates = (date_text != "") & dates.isna()
    problems += _problems(
        table, bad_dates, FIELDS["test_date"], date_text, "The date is not like 9/16/2013 or 2013-09-16."
    )
    out["test_date"] = dates

    window_text = text("window")
    window, year_in_window = (
        (
            per_unique(window_text, lambda u: window_and_year(u)[0]),
            per_unique(window_text, school_year_from_text).astype("float64"),
        )
        if "window" in found
        else (
            pd.Series(np.nan, index=table.index, dtype="object"),
            pd.Series(np.nan, index=table.index, dtype="float64"),
        )
    )
    # A term the file names but that is no screening window (e.g. "Summer 2013-2014") is refused:
    # its test date would otherwise put it in a window it was never part of.
    unknown_term = window.isna() & window_text.str.contains(r"[A-Za-z]", regex=True)
    for term, rows in window_text[unknown_term].groupby(window_text[unknown_term]).groups.items():
        problems += _problems(
            table,
            window_text.index.isin(rows),
            FIELDS["window"],
            window_text,
            f"The term “{str(term)[:80]}” is not a fall, winter or spring window, so its rows cannot be "
            "imported. Export only the fall, winter and spring terms, or delete these rows.",
        )
    window = window.fillna(window_from_dates(dates))
    problems += _problems(
        table,
        window.isna() & ~unknown_term,
        FIELDS["window"],
        window_text.where(window_text != "", date_text),
        "The window is not fall, winter or spring (and no test date says which).",
    )
    out["window"] = window
    year = (
        per_unique(text("school_year"), school_year_from_text).astype("float64")
        if "school_year" in found
        else year_in_window
    )
    year = year.fillna(year_in_window).fillna(school_year_from_dates(dates))
    problems += _problems(
        table,
        year.isna() | (year < 1990) | (year > 2100),
        FIELDS["school_year"],
        text("school_year"),
        "The school year is missing; add a school year such as 2025-2026 or a test date.",
    )
    out["school_year"] = year

    for name, low, high in (("score", -1e9, 1e9), ("percentile", 0, 100)):
        raw = text(name)
        numbers = parse_numbers(raw)
        bad = (raw != "") & (numbers.isna() | (numbers < low) | (numbers > high))
        reason = (
            "The percentile is not a number from 0 to 100."
            if name == "percentile"
            else ("The score is not a number.")
        )
        problems += _problems(table, bad, FIELDS[name], raw, reason)
        out[name] = numbers.where(~bad)
    out["benchmark_category"] = text("benchmark_category").str.slice(0, 80)
    measure = text("measure")
    if fmt.key == "acadience" and any("dibels" in header_key(c) for c in columns):
        default_measure = "DIBELS 8"
    else:
        default_measure = fmt.measure
    out["measure"] = measure.where(measure != "", default_measure).str.slice(0, 80)
    out["official"] = text("official").str.casefold().isin(YES)
    out["student_groups"] = _groups(table, None)

    bad_rows = _finish_problems(result, problems)
    result.unmatched_schools = dict(sorted(unmatched_names.items()))
    result.school_suggestions = schools.suggest(list(result.unmatched_schools))
    good = out[~out[ROW].isin(bad_rows)].copy()
    good["school_id"] = good["school_id"].astype("int64")
    good["school_year"] = good["school_year"].astype("int64")
    good, result.set_aside = keep_one_per_window(good)
    good["tier"] = compute_tiers(good, rules or []) if not good.empty else pd.Series(dtype="float64")
    result.frame = good.reset_index(drop=True)
    return result


def keep_one_per_window(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """One result per student, subject and window: the vendor's official measure, else the latest."""
    key = ["student_id", "subject", "school_year", "window"]
    if frame.empty:
        return frame, {}
    ordered = frame.sort_values(
        ["official", "test_date", ROW], ascending=[False, False, False], na_position="last"
    )
    duplicated = ordered.duplicated(key, keep="first")
    if not duplicated.any():
        return frame, {}
    kept = ordered[~duplicated]
    dropped = ordered[duplicated]
    official_keys = kept.loc[kept["official"], key]
    dropped_with_official = dropped.merge(official_keys, on=key, how="left", indicator=True)
    not_official = int(
        ((dropped_with_official["_merge"] == "both") & ~dropped_with_official["official"]).sum()
    )
    reasons: dict[str, int] = {}
    if not_official:
        reasons["not the vendor's official (growth) measure for the window"] = not_official
    if len(dropped) - not_official:
        reasons["an earlier test by the same student in the same subject and window"] = (
            len(dropped) - not_official
        )
    return kept.sort_values(ROW), reasons


def _measure_preview(
    table: pd.DataFrame, *, file_format: str, schools: SchoolIndex, mapping: Mapping[str, str] | None
) -> Preview:
    columns = [c for c in table.columns if c != ROW]
    found = find_columns(columns, MEASURE_ALIASES, mapping)
    frame = pd.DataFrame(columns=[ROW, "school_id", "month", "value"])
    result = Preview(frame=frame, rows_read=len(table), columns=columns, kind=file_format)
    result.missing_fields = [f for f in MEASURE_ALIASES if f not in found]
    if result.missing_fields or table.empty:
        return result
    problems: list[Problem] = []
    school_text = table[found["school"]].astype(str).str.strip()
    school_ids = schools.match(school_text)
    unmatched = school_ids.isna()
    problems += _problems(
        table,
        unmatched,
        MEASURE_FIELDS["school"],
        school_text,
        SCHOOL_UNMATCHED,
    )
    month_text = table[found["month"]].astype(str).str.strip()
    months = parse_dates(month_text)
    for fmt in ("%Y-%m", "%B %Y", "%b %Y", "%m/%Y"):
        months = months.fillna(
            pd.to_datetime(month_text.where(months.isna(), ""), format=fmt, errors="coerce")
        )
    problems += _problems(
        table,
        months.isna(),
        MEASURE_FIELDS["month"],
        month_text,
        "The month is not like 2025-09 or 9/1/2025.",
    )
    value_text = table[found["value"]].astype(str).str.strip()
    values = parse_numbers(value_text)
    if file_format == "attendance":
        values = values.where(values > 1, values * 100)
        bad = values.isna() | (values < 0) | (values > 100)
        reason = "The attendance rate is not a percentage from 0 to 100."
    else:
        bad = values.isna() | (values < 0) | (values != values.round())
        reason = "The number of referrals is not a whole number."
    problems += _problems(table, bad, MEASURE_FIELDS["value"], value_text, reason)
    bad_rows = _finish_problems(result, problems)
    result.unmatched_schools = dict(sorted(Counter(school_text[unmatched].tolist()).items()))
    result.school_suggestions = schools.suggest(list(result.unmatched_schools))
    keep = ~table[ROW].isin(bad_rows)
    good = pd.DataFrame(
        {
            ROW: table.loc[keep, ROW],
            "school_id": school_ids[keep].astype("int64"),
            "month": months[keep].dt.to_period("M").dt.to_timestamp().dt.date,
            "value": values[keep],
        }
    )
    before = len(good)
    good = good.drop_duplicates(["school_id", "month"], keep="last")
    if before - len(good):
        result.set_aside = {"an earlier row for the same school and month": before - len(good)}
    result.frame = good.reset_index(drop=True)
    return result
