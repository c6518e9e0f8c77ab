"""Reading a OneRoster 1.1 CSV zip into typed records and row-level problems.

Pure: bytes in, a `Roster` out, nothing touches the database. The zip is bounded before any member
is read (its size, its members, their unpacked size and packing ratio), and each CSV before it is
parsed (lines and columns, by the screener import's own check), so no file can make the reader
build more than those bounds allow, whatever its directory claims.

Row numbers are the CSV's records with the header as row 1 (a quoted line break does not start a
new row), as a spreadsheet would show them. Columns are found by their OneRoster names in any case;
a vendor's extra columns are ignored, except the program flags districts add to demographics.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from data_reviews.scores.importing.files import Upload, UploadRefused, check_upload, decode_text, delimiter_of
from data_reviews.scores.importing.formats import GROUP_ALIASES, YES
from data_reviews.scores.importing.normalise import normalise_grade
from data_reviews.scores.importing.reading import header_key

# A OneRoster zip has at most 13 CSV files (and a folder entry or two); hundreds mean something else.
MAX_MEMBERS = 40
# The sum of the members' unpacked sizes. A district of 30,000 students with one class each unpacks
# to about 6 MB; ten classes each, about 30 MB. The rows read from it take several times the text in
# memory, so the bound stays well under what an import worker may use.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# CSV packs about 3-10 to 1; far more is a zip bomb.
MAX_PACKING_RATIO = 100

FILES = ("orgs", "academicSessions", "users", "courses", "classes", "enrollments", "demographics")
MODES = ("bulk", "delta", "absent")
STATUSES = ("active", "tobedeleted")
ORG_TYPES = ("department", "school", "district", "local", "state", "national")
USER_ROLES = ("administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher")
STAFF_ROLES = ("administrator", "aide", "proctor", "teacher")
ENROLLMENT_ROLES = ("administrator", "aide", "proctor", "student", "teacher")
SESSION_TYPES = ("gradingPeriod", "semester", "schoolYear", "term")
# Grades OneRoster 1.1 names (CEDS codes) that the app has no grade for: kept blank, not a problem.
GRADES_WITHOUT_APP_GRADE = frozenset({"it", "pr", "ps", "tk", "ug", "other"})

# The columns of each file (OneRoster 1.1 CSV binding), and those a row must fill.
COLUMNS: dict[str, tuple[str, ...]] = {
    "orgs": ("sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"),
    "academicSessions": (
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "type",
        "startDate",
        "endDate",
        "parentSourcedId",
        "schoolYear",
    ),
    "users": (
        "sourcedId",
        "status",
        "dateLastModified",
        "enabledUser",
        "orgSourcedIds",
        "role",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password",
    ),
    "courses": (
        "sourcedId",
        "status",
        "dateLastModified",
        "schoolYearSourcedId",
        "title",
        "courseCode",
        "grades",
        "orgSourcedId",
        "subjects",
        "subjectCodes",
    ),
    "classes": (
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "grades",
        "courseSourcedId",
        "classCode",
        "classType",
        "location",
        "schoolSourcedId",
        "termSourcedIds",
        "subjects",
        "subjectCodes",
        "periods",
    ),
    "enrollments": (
        "sourcedId",
        "status",
        "dateLastModified",
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate",
    ),
    "demographics": (
        "sourcedId",
        "status",
        "dateLastModified",
        "birthDate",
        "sex",
        "americanIndianOrAlaskaNative",
        "asian",
        "blackOrAfricanAmerican",
        "nativeHawaiianOrOtherPacificIslander",
        "white",
        "demographicRaceTwoOrMoreRaces",
        "hispanicOrLatinoEthnicity",
        "countryOfBirthCode",
        "stateOfBirthAbbreviation",
        "cityOfBirth",
        "publicSchoolResidenceStatus",
    ),
}
# Columns a file must have for the import to read it (the others may be left out by a vendor).
NEEDED_COLUMNS: dict[str, tuple[str, ...]] = {
    "orgs": ("sourcedId", "name", "type"),
    "academicSessions": ("sourcedId", "title"),
    "users": ("sourcedId", "role", "givenName", "familyName"),
    "courses": ("sourcedId", "title"),
    "classes": ("sourcedId", "title"),
    "enrollments": ("sourcedId", "classSourcedId", "userSourcedId", "role"),
    "demographics": ("sourcedId",),
}

# The race flags, in the order the label is chosen, and the labels the dashboards already use
# (the screener files' ethnicity column and the demo give these).
RACE_FLAGS = (
    ("americanIndianOrAlaskaNative", "American Indian or Alaska Native"),
    ("asian", "Asian"),
    ("blackOrAfricanAmerican", "Black or African American"),
    ("nativeHawaiianOrOtherPacificIslander", "Native Hawaiian or Other Pacific Islander"),
    ("white", "White"),
)
HISPANIC = "Hispanic or Latino"
TWO_OR_MORE = "Two or more races"
SEXES = {"female": "Female", "f": "Female", "male": "Male", "m": "Male", "other": "Other", "x": "Other"}
# Extension columns for the program flags, as header keys (lower case, letters and digits); a
# "metadata." prefix, as OneRoster names extensions, is dropped before matching.
FLAG_COLUMNS = {
    "english_learner": (*GROUP_ALIASES["English learners"], "englishlearnerstatus", "ellstatus"),
    "special_education": (*GROUP_ALIASES["Students with disabilities"], "specialeducationstatus"),
    "economically_disadvantaged": (
        *GROUP_ALIASES["Economically disadvantaged"],
        "freeandreducedlunch",
        "freereducedlunchstatus",
        "frlstatus",
        "lunchstatus",
    ),
}
FLAG_YES = YES | {"free", "reduced", "f", "r"}
TRUE = frozenset({"true", "1", "yes", "y", "t"})
FALSE = frozenset({"false", "0", "no", "n", "f", ""})
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RosterRefused(UploadRefused):
    """The zip was refused before its rows were read; the message says why and what to do."""


@dataclass(frozen=True)
class RosterProblem:
    file: str
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Org:
    row: int
    sourced_id: str
    status: str
    name: str
    type: str
    identifier: str
    parent_sourced_id: str


@dataclass(frozen=True)
class Session:
    row: int
    sourced_id: str
    status: str
    title: str
    type: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    school_year: str


@dataclass(frozen=True)
class RosterUser:
    row: int
    sourced_id: str
    status: str
    enabled: bool
    org_sourced_ids: tuple[str, ...]
    role: str
    username: str
    given_name: str
    family_name: str
    middle_name: str
    identifier: str
    email: str
    grades: tuple[str, ...]

    @property
    def student_number(self) -> str:
        """The district's own student id: the identifier, else the roster's id."""
        return self.identifier or self.sourced_id


@dataclass(frozen=True)
class Course:
    row: int
    sourced_id: str
    status: str
    title: str
    course_code: str
    org_sourced_id: str


@dataclass(frozen=True)
class RosterClassRow:
    row: int
    sourced_id: str
    status: str
    title: str
    course_sourced_id: str
    class_code: str
    school_sourced_id: str
    grades: tuple[str, ...]
    subjects: str


@dataclass(frozen=True)
class EnrollmentRow:
    row: int
    sourced_id: str
    status: str
    class_sourced_id: str
    school_sourced_id: str
    user_sourced_id: str
    role: str
    primary: bool
    begin_date: datetime.date | None
    end_date: datetime.date | None


@dataclass(frozen=True)
class Demographic:
    row: int
    sourced_id: str
    status: str
    birth_date: datetime.date | None
    sex: str
    race_ethnicity: str
    # None: the file has no column for the flag (keep what is stored).
    english_learner: bool | None
    special_education: bool | None
    economically_disadvantaged: bool | None


@dataclass
class Roster:
    """A OneRoster zip as records. `modes` says, per file, bulk (the whole roster of that kind),
    delta (only changes) or absent (not sent: keep what is stored)."""

    modes: dict[str, str] = field(default_factory=dict)
    orgs: list[Org] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    users: list[RosterUser] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    classes: list[RosterClassRow] = field(default_factory=list)
    enrollments: list[EnrollmentRow] = field(default_factory=list)
    demographics: list[Demographic] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    # Every sourcedId each file lists, its rows with problems included (so a row that names one
    # of them is not a second problem).
    listed: dict[str, set[str]] = field(default_factory=dict)

    def mode(self, name: str) -> str:
        return self.modes.get(name, "absent")

    @property
    def ok(self) -> bool:
        return not self.problems


# --- The zip -------------------------------------------------------------------------------------


def read_roster(upload: Upload, *, max_bytes: int) -> Roster:
    """The zip's records and problems; raise RosterRefused when the zip cannot be opened safely."""
    members = _members(upload, max_bytes=max_bytes)
    roster = Roster()
    manifest = members.get("manifest")
    if manifest is None:
        raise RosterRefused(
            f"{upload.name} has no manifest.csv, so it is not a OneRoster 1.1 CSV export. Export the "
            "roster again as OneRoster 1.1 CSV (a zip with manifest.csv, orgs.csv, users.csv...)."
        )
    _read_manifest(roster, manifest)
    for name in FILES:
        mode = roster.mode(name)
        if mode == "absent":
            continue
        rows = members.get(name)
        if rows is None:
            roster.problems.append(
                RosterProblem(
                    "manifest.csv",
                    0,
                    f"file.{name}",
                    mode,
                    f"The manifest says {name}.csv is sent ({mode}) but the zip has no {name}.csv.",
                )
            )
            continue
        READERS[name](roster, rows)
    _check_references(roster)
    return roster


Table = tuple[list[str], list[tuple[int, list[str]]]]


def check_roster_upload(upload: Upload, *, max_bytes: int) -> Upload:
    """The upload with its kind ("zip") once its size and the zip's directory pass their bounds;
    raise RosterRefused otherwise. Reads no member."""
    _open(upload, max_bytes=max_bytes)
    return Upload(upload.name, upload.data, "zip")


def _open(upload: Upload, *, max_bytes: int) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    size = len(upload.data)
    if size > max_bytes:
        raise RosterRefused(
            f"{upload.name} is {size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB. "
            "Export the roster without resources and results (or one school at a time) and import the parts."
        )
    if upload.data[:4] != b"PK\x03\x04":
        raise RosterRefused(
            f"{upload.name} is not a zip file. A OneRoster 1.1 CSV export is a zip of CSV files."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise RosterRefused(
            f"{upload.name} is damaged and cannot be opened as a zip. Export it again."
        ) from error
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if len(infos) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_PACKING_RATIO:
        raise RosterRefused(
            f"{upload.name} unpacks to far more than a roster holds ({len(infos)} files); it was not opened. "
            "Export the roster again as OneRoster 1.1 CSV."
        )
    return archive, infos


def _members(upload: Upload, *, max_bytes: int) -> dict[str, Table]:
    """Each known CSV member as its header and numbered rows, after the zip's and each file's bounds."""
    archive, infos = _open(upload, max_bytes=max_bytes)
    found: dict[str, Table] = {}
    known = {name.casefold(): name for name in (*FILES, "manifest")}
    budget = MAX_UNPACKED_BYTES
    for info in infos:
        base = info.filename.rsplit("/", 1)[-1]
        if info.is_dir() or not base.casefold().endswith(".csv"):
            continue
        name = known.get(base[:-4].casefold())
        if name is None or name in found:
            continue
        try:
            with archive.open(info) as stream:
                # Read no more than the bound, whatever the directory says the member's size is.
                data = stream.read(budget + 1)
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            RuntimeError,
            NotImplementedError,
        ) as error:
            raise RosterRefused(
                f"{base} in {upload.name} is damaged or encrypted and cannot be read. "
                "Export the roster again."
            ) from error
        budget -= len(data)
        if budget < 0:
            raise RosterRefused(f"{upload.name} unpacks to far more than a roster holds; it was not opened.")
        if data:
            # The screener import's bounds on a CSV's lines and columns, before the parser sees it.
            try:
                check_upload(Upload(base, data), max_bytes=MAX_UNPACKED_BYTES)
            except UploadRefused as refusal:
                raise RosterRefused(f"In {upload.name}: {refusal}") from refusal
        found[name] = _table(data)
    return found


def _table(data: bytes) -> Table:
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text) if text else ",")
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, record in enumerate(reader, start=1):
            if number == 1:
                header = [cell.strip().lstrip("\ufeff") for cell in record]
            elif any(cell.strip() for cell in record):
                rows.append((number, record))
    except csv.Error:
        # A stray NUL or an unclosed quote at the very end: the rows read so far are kept and the
        # rest reads as a problem on the next row.
        rows.append((len(rows) + 2, ["\x00"]))
    return header, rows


def _read_manifest(roster: Roster, table: Table) -> None:
    header, rows = table
    keys = [header_key(h) for h in header]
    name_at = keys.index("propertyname") if "propertyname" in keys else 0
    value_at = keys.index("value") if "value" in keys else 1
    properties: dict[str, tuple[int, str]] = {}
    for number, record in rows:
        cells = [*record, "", ""]
        properties[cells[name_at].strip().casefold()] = (number, cells[value_at].strip())
    number, version = properties.get("oneroster.version", (0, ""))
    if version not in {"1.1", "1.1.0"}:
        roster.problems.append(
            RosterProblem(
                "manifest.csv",
                number,
                "oneroster.version",
                version,
                "Only OneRoster 1.1 CSV can be imported; export the roster as version 1.1.",
            )
        )
    for name in FILES:
        number, mode = properties.get(f"file.{name.casefold()}", (0, "absent"))
        mode = mode.casefold() or "absent"
        if mode not in MODES:
            roster.problems.append(
                RosterProblem(
                    "manifest.csv", number, f"file.{name}", mode, "The mode is not bulk, delta or absent."
                )
            )
            mode = "absent"
        roster.modes[name] = mode


# --- The rows ------------------------------------------------------------------------------------


class _Rows:
    """A file's rows with their cells by OneRoster column name, and a problem list to add to."""

    def __init__(self, roster: Roster, name: str, table: Table) -> None:
        self.roster, self.name, self.file = roster, name, f"{name}.csv"
        header, self.rows = table
        self.columns = {header_key(h): i for i, h in reversed(list(enumerate(header)))}
        self.extension_columns = {
            re.sub(r"^metadata", "", header_key(h)): i for i, h in reversed(list(enumerate(header)))
        }
        self.missing = [c for c in NEEDED_COLUMNS[name] if header_key(c) not in self.columns]
        for column in self.missing:
            self.problem(1, column, "", f"The column {column} is missing from {self.file}.")
        self.seen: set[str] = roster.listed.setdefault(name, set())

    def problem(self, row: int, column: str, value: str, reason: str) -> None:
        self.roster.problems.append(RosterProblem(self.file, row, column, value[:80], reason))

    def __iter__(self) -> Iterator[tuple[int, dict[str, str], list[str]]]:
        if self.missing:
            return
        # Where each OneRoster column is (-1: not in the file), worked out once for every row.
        places = [(column, self.columns.get(header_key(column), -1)) for column in COLUMNS[self.name]]
        for number, record in self.rows:
            width = len(record)
            cells = {column: record[at].strip() if 0 <= at < width else "" for column, at in places}
            if "\x00" in "".join(record):
                self.problem(
                    number, "", "", "The row is damaged (it holds a NUL character or an unclosed quote)."
                )
                continue
            sourced_id = cells["sourcedId"]
            if not sourced_id:
                self.problem(number, "sourcedId", "", "The sourcedId is missing.")
                continue
            if sourced_id in self.seen:
                self.problem(
                    number, "sourcedId", sourced_id, f"This sourcedId is on another row of {self.file}."
                )
                continue
            if len(sourced_id) > 255:
                self.problem(number, "sourcedId", sourced_id, "The sourcedId is longer than 255 characters.")
                continue
            self.seen.add(sourced_id)
            status = cells["status"].casefold()
            if status not in ("", *STATUSES):
                self.problem(number, "status", cells["status"], "The status is not active or tobedeleted.")
                continue
            if not status and self.roster.mode(self.name) == "delta":
                self.problem(
                    number,
                    "status",
                    "",
                    "A delta file says on every row whether it is active or tobedeleted.",
                )
                continue
            cells["status"] = status or "active"
            yield number, cells, record

    def extension(self, record: list[str], aliases: tuple[str, ...]) -> str | None:
        """The value of the first extension column named by `aliases`; None when there is none."""
        for alias in aliases:
            at = self.extension_columns.get(alias)
            if at is not None:
                return record[at].strip() if at < len(record) else ""
        return None

    def boolean(self, number: int, column: str, value: str, *, default: bool) -> bool | None:
        key = value.strip().casefold()
        if not key:
            return default
        if key in TRUE:
            return True
        if key in FALSE:
            return False
        self.problem(number, column, value, "The value is not true or false.")
        return None

    def date(self, number: int, column: str, value: str) -> tuple[bool, datetime.date | None]:
        if not value:
            return True, None
        text = value[:10] if len(value) > 10 and value[10] == "T" else value
        if DATE.match(text):
            try:
                return True, datetime.date.fromisoformat(text)
            except ValueError:
                pass
        self.problem(number, column, value, "The date is not a date written YYYY-MM-DD.")
        return False, None

    def choice(self, number: int, column: str, value: str, choices: tuple[str, ...]) -> str | None:
        by_key = {c.casefold(): c for c in choices}
        found = by_key.get(value.casefold())
        if found is None:
            self.problem(number, column, value, f"The {column} is not one of: {', '.join(choices)}.")
        return found

    def grades(self, number: int, value: str) -> tuple[str, ...] | None:
        items = [g.strip() for g in value.split(",") if g.strip()]
        if not items:
            return ()
        known = [g for g in items if g.casefold() not in GRADES_WITHOUT_APP_GRADE]
        normalised = [_grade(g) for g in known]
        bad = [g for g, n in zip(known, normalised, strict=True) if n is None]
        if bad:
            self.problem(number, "grades", value, "The grade is not one of PK, KG, 01 to 12 or 13.")
            return None
        return tuple(dict.fromkeys(n for n in normalised if n is not None))


@functools.lru_cache(maxsize=256)
def _grade(code: str) -> str | None:
    """The app's grade for a roster's grade code, by the screener import's own rule. Rosters repeat
    a dozen codes on thousands of rows, so each is worked out once."""
    value = normalise_grade(pd.Series([code], dtype="object")).iloc[0]
    return value if isinstance(value, str) else None


def _ids(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))


def _read_orgs(roster: Roster, table: Table) -> None:
    rows = _Rows(roster, "orgs", table)
    for number, cells, _record in rows:
        kind = rows.choice(number, "type", cells["type"], ORG_TYPES)
        if not cells["name"]:
            rows.problem(number, "name", "", "The org has no name.")
            continue
        if kind is None:
            continue
        roster.orgs.append(
            Org(
                number,
                cells["sourcedId"],
                cells["status"],
                cells["name"][:200],
                kind,
                cells["identifier"][:64],
                cells["parentSourcedId"],
            )
        )


def _read_sessions(roster: Roster, table: Table) -> None:
    rows = _Rows(roster, "academicSessions", table)
    for number, cells, _record in rows:
        ok_start, start = rows.date(number, "startDate", cells["startDate"])
        ok_end, end = rows.date(number, "endDate", cells["endDate"])
        if ok_start and ok_end:
            roster.sessions.append(
                Session(
                    number,
                    cells["sourcedId"],
                    cells["status"],
                    cells["title"],
                    cells["type"],
                    start,
                    end,
                    cells["schoolYear"],
                )
            )


def _read_users(roster: Roster, table: Table) -> None:
    rows = _Rows(roster, "users", table)
    numbers: dict[str, int] = {}
    for number, cells, _record in rows:
        role = rows.choice(number, "role", cells["role"], USER_ROLES)
        enabled = rows.boolean(number, "enabledUser", cells["enabledUser"], default=True)
        grades = rows.grades(number, cells["grades"])
        if role is None or enabled is None or grades is None:
            continue
        user = RosterUser(
            number,
            cells["sourcedId"],
            cells["status"],
            enabled,
            _ids(cells["orgSourcedIds"]),
            role,
            cells["username"],
            cells["givenName"][:100],
            cells["familyName"][:100],
            cells["middleName"][:100],
            cells["identifier"],
            cells["email"][:254],
            grades,
        )
        if role == "student" and user.status == "active":
            if not (user.given_name and user.family_name):
                column = "givenName" if not user.given_name else "familyName"
                rows.problem(number, column, "", "A student needs a given name and a family name.")
                continue
            if len(user.student_number) > 64:
                rows.problem(
                    number, "identifier", user.student_number, "The student id is longer than 64 characters."
                )
                continue
            if user.student_number in numbers:
                rows.problem(
                    number,
                    "identifier",
                    user.student_number,
                    f"Another student (row {numbers[user.student_number]}) has this student id.",
                )
                continue
            numbers[user.student_number] = number
        roster.users.append(user)


def _read_courses(roster: Roster, table: Table) -> None:
    rows = _Rows(roster, "courses", table)
    for number, cells, _record in rows:
        roster.courses.append(
            Course(
                number,
                cells["sourcedId"],
                cells["status"],
                cells["title"][:200],
                cells["courseCode"],
                cells["orgSourcedId"],
            )
        )


def _read_classes(roster: Roster, table: Table) -> None:
    rows = _Rows(roster, "classes", table)
    for number, cells, _record in rows:
        grades = rows.grades(number, cells["grades"])
        if grades is None:
            continue
        if not cells["title"] and cells["status"] == "active":
            rows.problem(number, "title", "", "The class has no title.")
            continue
        roster.classes.append(
            RosterClassRow(
                number,
                cells["sourcedId"],
                cells["status"],
                cells["title"][:200],
                cells["courseSourcedId"],
                cells["classCode"][:64],
                cells["schoolSourcedId"],
                grades,
                ", ".join(_ids(cells["subjects"]))[:200],
            )
        )


def _read_enrollments(roster: Roster, table: Table) -> None:
    rows = _Rows(roster, "enrollments", table)
    for number, cells, _record in rows:
        role = rows.choice(number, "role", cells["role"], ENROLLMENT_ROLES)
        primary = rows.boolean(number, "primary", cells["primary"], default=False)
        ok_begin, begins = rows.date(number, "beginDate", cells["beginDate"])
        ok_end, ends = rows.date(number, "endDate", cells["endDate"])
        if role is None or primary is None or not (ok_begin and ok_end):
            continue
        for column in ("classSourcedId", "userSourcedId"):
            if not cells[column] and cells["status"] == "active":
                rows.problem(number, column, "", f"The {column} is missing.")
                break
        else:
            roster.enrollments.append(
                EnrollmentRow(
                    number,
                    cells["sourcedId"],
                    cells["status"],
                    cells["classSourcedId"],
                    cells["schoolSourcedId"],
                    cells["userSourcedId"],
                    role,
                    primary,
                    begins,
                    ends,
                )
            )


def _read_demographics(roster: Roster, table: Table) -> None:
    rows = _Rows(roster, "demographics", table)
    for number, cells, record in rows:
        ok, birth = rows.date(number, "birthDate", cells["birthDate"])
        sex = SEXES.get(cells["sex"].casefold(), "") if cells["sex"] else ""
        if cells["sex"] and not sex:
            rows.problem(number, "sex", cells["sex"], "The sex is not female, male or other.")
            ok = False
        flags: dict[str, bool] = {}
        for column in (
            *(c for c, _label in RACE_FLAGS),
            "demographicRaceTwoOrMoreRaces",
            "hispanicOrLatinoEthnicity",
        ):
            value = rows.boolean(number, column, cells[column], default=False)
            ok = ok and value is not None
            flags[column] = bool(value)
        programs: dict[str, bool | None] = {}
        for name, aliases in FLAG_COLUMNS.items():
            text = rows.extension(record, aliases)
            programs[name] = None if text is None else text.casefold() in FLAG_YES
        if not ok:
            continue
        roster.demographics.append(
            Demographic(
                number,
                cells["sourcedId"],
                cells["status"],
                birth,
                sex,
                race_ethnicity(flags),
                programs["english_learner"],
                programs["special_education"],
                programs["economically_disadvantaged"],
            )
        )


def race_ethnicity(flags: dict[str, bool]) -> str:
    """One label from the race flags, as federal reporting counts them: Hispanic or Latino first,
    then two or more races, then the one race flagged; blank when none is."""
    if flags.get("hispanicOrLatinoEthnicity"):
        return HISPANIC
    races = [label for column, label in RACE_FLAGS if flags.get(column)]
    if flags.get("demographicRaceTwoOrMoreRaces") or len(races) > 1:
        return TWO_OR_MORE
    return races[0] if races else ""


READERS = {
    "orgs": _read_orgs,
    "academicSessions": _read_sessions,
    "users": _read_users,
    "courses": _read_courses,
    "classes": _read_classes,
    "enrollments": _read_enrollments,
    "demographics": _read_demographics,
}


def _check_references(roster: Roster) -> None:
    """A row naming an org, class or user a bulk file of that kind does not list is a problem: the
    file is the whole roster of that kind. (References into delta or absent files are checked
    against the district's stored roster when the zip is imported.)"""
    orgs = roster.listed.get("orgs", set()) if roster.mode("orgs") == "bulk" else None
    users = roster.listed.get("users", set()) if roster.mode("users") == "bulk" else None
    classes = roster.listed.get("classes", set()) if roster.mode("classes") == "bulk" else None
    bad: list[RosterProblem] = []
    if orgs is not None:
        for user in roster.users:
            missing = [o for o in user.org_sourced_ids if o not in orgs]
            if missing and user.status == "active":
                bad.append(
                    RosterProblem(
                        "users.csv",
                        user.row,
                        "orgSourcedIds",
                        missing[0],
                        "No org in orgs.csv has this sourcedId.",
                    )
                )
        for klass in roster.classes:
            if klass.school_sourced_id and klass.school_sourced_id not in orgs and klass.status == "active":
                bad.append(
                    RosterProblem(
                        "classes.csv",
                        klass.row,
                        "schoolSourcedId",
                        klass.school_sourced_id,
                        "No org in orgs.csv has this sourcedId.",
                    )
                )
    for enrollment in roster.enrollments:
        if enrollment.status != "active":
            continue
        if classes is not None and enrollment.class_sourced_id not in classes:
            bad.append(
                RosterProblem(
                    "enrollments.csv",
                    enrollment.row,
                    "classSourcedId",
                    enrollment.class_sourced_id,
                    "No class in classes.csv has this sourcedId.",
                )
            )
        elif users is not None and enrollment.user_sourced_id not in users:
            bad.append(
                RosterProblem(
                    "enrollments.csv",
                    enrollment.row,
                    "userSourcedId",
                    enrollment.user_sourced_id,
                    "No user in users.csv has this sourcedId.",
                )
            )
    roster.problems.extend(bad)
