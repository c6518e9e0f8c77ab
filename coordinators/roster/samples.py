"""OneRoster 1.1 CSV zips built from the published column tables: for tests and for the demo.

`RosterFiles` holds each file's rows as dictionaries keyed by OneRoster column names (a key that
is not a OneRoster column becomes an extra vendor column) and writes them as a zip the way student
information systems do: every header present, blank cells where there is nothing to say.
`sample_roster` makes a whole district's roster, the same for the same seed.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from coordinators.roster.parsing import COLUMNS, FILES

FIRST_NAMES = (
    "Ava", "Liam", "Mia", "Noah", "Emma", "Elijah", "Sofia", "Mateo", "Aaliyah", "Kai", "Zoe", "Jayden",
    "Nora", "Luca", "Amara", "Diego", "Hana", "Omar", "Ivy", "Theo",
)  # fmt: skip
LAST_NAMES = (
    "Nguyen", "Garcia", "Smith", "Johnson", "Williams", "Brown", "Martinez", "Lee", "Patel", "Kim",
    "Lopez", "Clark", "Begay", "Okafor", "Rossi", "Haddad", "Sato", "Walker", "Young", "Rivera",
)  # fmt: skip
# Race flags in the proportions the demo's screener files use.
RACES = (
    ("white", 0.52),
    ("hispanicOrLatinoEthnicity", 0.22),
    ("blackOrAfricanAmerican", 0.12),
    ("asian", 0.06),
    ("demographicRaceTwoOrMoreRaces", 0.06),
    ("americanIndianOrAlaskaNative", 0.02),
)
GRADE_CODES = ("KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")


@dataclass
class RosterFiles:
    """A roster as rows per file, and the manifest's mode for each file (absent when not listed)."""

    modes: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=lambda: {name: [] for name in FILES})
    version: str = "1.1"
    bom: bool = False
    extra_manifest: dict[str, str] = field(default_factory=dict)

    def add(self, file: str, **cells: str) -> dict[str, str]:
        row = {k: str(v) for k, v in cells.items()}
        self.rows[file].append(row)
        self.modes.setdefault(file, "bulk")
        return row

    def csv_text(self, file: str) -> str:
        extra = [k for row in self.rows[file] for k in row if k not in COLUMNS[file]]
        header = [*COLUMNS[file], *dict.fromkeys(extra)]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in self.rows[file]:
            writer.writerow([row.get(column, "") for column in header])
        return out.getvalue()

    def manifest_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["propertyName", "value"])
        writer.writerow(["manifest.version", "1.0"])
        writer.writerow(["oneroster.version", self.version])
        for name in FILES:
            writer.writerow([f"file.{name}", self.modes.get(name, "absent")])
        for key, value in self.extra_manifest.items():
            writer.writerow([key, value])
        writer.writerow(["source.systemName", "Sample SIS"])
        return out.getvalue()

    def zip(self) -> bytes:
        buffer = io.BytesIO()
        prefix = "\ufeff" if self.bom else ""
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.csv", (prefix + self.manifest_text()).encode())
            for name in FILES:
                if self.modes.get(name, "absent") != "absent":
                    archive.writestr(f"{name}.csv", (prefix + self.csv_text(name)).encode())
        return buffer.getvalue()


def sample_roster(
    *,
    schools: int = 2,
    students_per_school: int = 20,
    teachers_per_school: int = 2,
    seed: int = 1,
    id_prefix: str = "",
    school_names: list[tuple[str, str]] | None = None,
    student_number: Callable[[str, int], str] | None = None,
) -> RosterFiles:
    """A bulk roster of a district: its schools, a principal and teachers in each, students with
    demographics and program flags, one class per teacher with its students enrolled.

    `school_names` gives (name, identifier) pairs so a demo roster matches existing schools by
    their code; ids are `<id_prefix>org-1`, `<id_prefix>stu-1-1`..., the same for the same seed.
    `student_number(school_code, n)` gives the n-th student's (from 1) district id, so a roster can
    name the students a district's screener files already name; by default they count from 100001.
    """
    rng = random.Random(seed)  # noqa: S311 (sample data, not secrets)
    roster = RosterFiles()
    p = id_prefix
    roster.add("orgs", sourcedId=f"{p}district", name="Sample District", type="district")
    roster.add(
        "academicSessions",
        sourcedId=f"{p}year",
        title="2025-2026",
        type="schoolYear",
        startDate="2025-08-15",
        endDate="2026-06-10",
        schoolYear="2026",
    )
    names = school_names or [(f"School {n}", f"S{n:02d}") for n in range(1, schools + 1)]
    counter = 100000
    for index, (school_name, code) in enumerate(names[:schools], start=1):
        org = f"{p}org-{index}"
        roster.add(
            "orgs",
            sourcedId=org,
            name=school_name,
            type="school",
            identifier=code,
            parentSourcedId=f"{p}district",
        )
        roster.add(
            "users",
            sourcedId=f"{p}adm-{index}",
            enabledUser="true",
            orgSourcedIds=org,
            role="administrator",
            username=f"principal{index}",
            givenName=rng.choice(FIRST_NAMES),
            familyName=rng.choice(LAST_NAMES),
            email=f"principal{index}@{p or 'sample'}.example.org".lower(),
            identifier=f"T{index:03d}00",
        )
        teachers = []
        for t in range(1, teachers_per_school + 1):
            teacher = f"{p}tch-{index}-{t}"
            teachers.append(teacher)
            roster.add(
                "users",
                sourcedId=teacher,
                enabledUser="true",
                orgSourcedIds=org,
                role="teacher",
                username=f"teacher{index}{t}",
                givenName=rng.choice(FIRST_NAMES),
                familyName=rng.choice(LAST_NAMES),
                email=f"teacher{index}-{t}@{p or 'sample'}.example.org".lower(),
                identifier=f"T{index:03d}{t:02d}",
            )
            course = f"{p}crs-{index}-{t}"
            roster.add(
                "courses", sourcedId=course, title=f"Homeroom {t}", courseCode=f"HR{t}", orgSourcedId=org
            )
            roster.add(
                "classes",
                sourcedId=f"{p}cls-{index}-{t}",
                title=f"Homeroom {t} ({school_name})",
                courseSourcedId=course,
                classCode=f"HR{t}",
                classType="homeroom",
                schoolSourcedId=org,
                termSourcedIds=f"{p}year",
                subjects="Homeroom",
            )
            roster.add(
                "enrollments",
                sourcedId=f"{p}enr-{teacher}",
                classSourcedId=f"{p}cls-{index}-{t}",
                schoolSourcedId=org,
                userSourcedId=teacher,
                role="teacher",
                primary="true",
            )
        for s in range(1, students_per_school + 1):
            counter += 1
            number = student_number(code, s) if student_number else str(counter)
            sourced = f"{p}stu-{index}-{s}"
            grade = rng.choice(GRADE_CODES)
            born = 2019 - GRADE_CODES.index(grade)
            roster.add(
                "users",
                sourcedId=sourced,
                enabledUser="true",
                orgSourcedIds=org,
                role="student",
                username=f"s{number}",
                givenName=rng.choice(FIRST_NAMES),
                familyName=rng.choice(LAST_NAMES),
                identifier=number,
                grades=grade,
            )
            race = rng.choices([r for r, _ in RACES], weights=[w for _, w in RACES])[0]
            roster.add(
                "demographics",
                sourcedId=sourced,
                birthDate=f"{born}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                sex=rng.choice(("female", "male")),
                **{race: "true"},
                englishLearner="Y" if rng.random() < 0.12 else "N",
                specialEducation="Y" if rng.random() < 0.14 else "N",
                freeReducedLunch="Y" if rng.random() < 0.42 else "N",
            )
            if teachers:
                klass = f"{p}cls-{index}-{(s % len(teachers)) + 1}"
                roster.add(
                    "enrollments",
                    sourcedId=f"{p}enr-{sourced}",
                    classSourcedId=klass,
                    schoolSourcedId=org,
                    userSourcedId=sourced,
                    role="student",
                    primary="false",
                )
    return roster
