"""The demo district's roster: a OneRoster zip of its schools, imported the way a district imports one.

The zip is `sample_roster`'s, made to name exactly the students of the demo's screener results this
school year (same ids, grades and schools, demographics from their student groups), the demo's
principals and its teacher as staff, and a homeroom class per grade. It goes through the roster
import itself, which links the results to the students and invites the staff the district does not
count among its people yet. Imported once: a district that has the demo's students keeps them.
"""

from __future__ import annotations

import datetime

from coordinators.district_settings import district_settings_for, district_settings_update
from coordinators.models import Role, Student
from coordinators.roster.parsing import HISPANIC, RACE_FLAGS, TWO_OR_MORE
from coordinators.roster.samples import GRADE_CODES, RACES, RosterFiles, sample_roster
from coordinators.roster.services import roster_import
from data_reviews.scores.demo import DemoStudent, current_students, grades_of, school_year_of
from data_reviews.scores.importing import Upload
from mtss.demo import DemoContext

ID_PREFIX = "mv-"
ROSTER_FILE = "maple-valley-oneroster.zip"
# The roles the district gives the staff its roster lists.
ROSTER_ROLES = {"teacher": Role.SCHOOL_STAFF, "administrator": Role.SITE_ADMIN}
# Teachers per school, each with a homeroom: two per grade at an elementary school.
TEACHERS_PER_SCHOOL = 12
ROSTER_SEED = 2026
TEACHER_GRADE = "2"  # the demo teacher teaches grade 2 at the first school
RACE_COLUMNS = {
    **{label: column for column, label in RACE_FLAGS},
    HISPANIC: "hispanicOrLatinoEthnicity",
    TWO_OR_MORE: "demographicRaceTwoOrMoreRaces",
}
PROGRAM_COLUMNS = {
    "English learners": "englishLearner",
    "Students with disabilities": "specialEducation",
    "Economically disadvantaged": "freeReducedLunch",
}


def seed_demo(ctx: DemoContext) -> None:
    district = ctx.district
    if Student.objects.filter(district=district, sourced_id__startswith=ID_PREFIX).exists():
        return
    coordinator = ctx.membership(ctx.coordinator)
    if district.roster_roles != ROSTER_ROLES:
        current = district_settings_for(coordinator)
        district_settings_update(
            member=coordinator,
            data={"roster_roles": ROSTER_ROLES},
            windows=current.windows,
            time_targets=current.time_targets,
        )
    roster = demo_roster(ctx)
    # The coordinator's district is the row the settings were saved on: it has the roster's roles.
    report = roster_import(
        district=coordinator.district, upload=Upload(ROSTER_FILE, roster.zip()), member=coordinator
    )
    if not report.ok:
        raise RuntimeError(f"The demo roster did not import: {report.problems[:3]}")


def _grade_code(grade: str) -> str:
    return "KG" if grade == "K" else f"{int(grade):02d}"


def _homerooms(grades: list[str]) -> dict[str, list[int]]:
    """The teachers (from 1) of each grade's homerooms: the school's teachers shared out by grade."""
    rooms: dict[str, list[int]] = {grade: [] for grade in grades}
    for t in range(TEACHERS_PER_SCHOOL):
        rooms[grades[t * len(grades) // TEACHERS_PER_SCHOOL]].append(t + 1)
    return rooms


def demo_roster(ctx: DemoContext) -> RosterFiles:
    """The district's roster as its student information system would export it."""
    students = {school.code: current_students(school, today=ctx.today) for school in ctx.schools}
    largest = max(len(listed) for listed in students.values())

    def number(code: str, n: int) -> str:
        listed = students[code]
        # sample_roster lists as many students at every school: those past a school's own are dropped below.
        return listed[n - 1].student_number if n <= len(listed) else ""

    roster = sample_roster(
        schools=len(ctx.schools),
        students_per_school=largest,
        teachers_per_school=TEACHERS_PER_SCHOOL,
        seed=ROSTER_SEED,
        id_prefix=ID_PREFIX,
        school_names=[(school.name, school.code) for school in ctx.schools],
        student_number=number,
    )
    year = school_year_of(ctx.today)
    for row in roster.rows["orgs"]:
        if row["type"] == "district":
            row["name"] = ctx.district.name
    roster.rows["academicSessions"][0].update(
        title=f"{year}-{year + 1}",
        startDate=f"{year}-08-15",
        endDate=f"{year + 1}-06-10",
        schoolYear=str(year + 1),
    )
    demographics = {row["sourcedId"]: row for row in roster.rows["demographics"]}
    enrollments = {row["userSourcedId"]: row for row in roster.rows["enrollments"]}
    classes = {row["sourcedId"]: row for row in roster.rows["classes"]}
    users = {row["sourcedId"]: row for row in roster.rows["users"]}
    courses = {row["sourcedId"]: row for row in roster.rows["courses"]}
    gone: set[str] = set()
    for index, school in enumerate(ctx.schools, start=1):
        listed = students[school.code]
        grades = grades_of(school)
        rooms = _homerooms(grades)
        for grade, teachers in rooms.items():
            for room, t in enumerate(teachers, start=1):
                klass = classes[f"{ID_PREFIX}cls-{index}-{t}"]
                label = "Kindergarten" if grade == "K" else f"Grade {grade}"
                klass.update(
                    title=f"{label} Homeroom {room}" if len(teachers) > 1 else f"{label} Homeroom",
                    grades=_grade_code(grade),
                )
                courses[klass["courseSourcedId"]].update(title=f"{label} Homeroom", grades=_grade_code(grade))
        for t in range(1, TEACHERS_PER_SCHOOL + 1):
            staff = users[f"{ID_PREFIX}tch-{index}-{t}"]
            staff["email"] = f"{staff['givenName']}.{staff['familyName']}.{school.code}{t}@demo.mtss".lower()
        principal = ctx.principals[school.code]
        given, _, family = principal.full_name.partition(" ")
        users[f"{ID_PREFIX}adm-{index}"].update(givenName=given, familyName=family, email=principal.email)
        for n in range(1, largest + 1):
            sourced = f"{ID_PREFIX}stu-{index}-{n}"
            if n > len(listed):
                gone.add(sourced)
                continue
            student = listed[n - 1]
            users[sourced]["grades"] = _grade_code(student.grade)
            _demographics(demographics[sourced], student, year)
            teachers = rooms[student.grade]
            enrollments[sourced]["classSourcedId"] = (
                f"{ID_PREFIX}cls-{index}-{teachers[(n - 1) // len(grades) % len(teachers)]}"
            )
    first = ctx.schools[0]
    teacher = users[f"{ID_PREFIX}tch-1-{_homerooms(grades_of(first))[TEACHER_GRADE][0]}"]
    given, _, family = ctx.teacher.full_name.partition(" ")
    teacher.update(givenName=given, familyName=family, email=ctx.teacher.email)
    for file, column in (
        ("users", "sourcedId"),
        ("demographics", "sourcedId"),
        ("enrollments", "userSourcedId"),
    ):
        roster.rows[file] = [row for row in roster.rows[file] if row[column] not in gone]
    return roster


def _demographics(row: dict[str, str], student: DemoStudent, year: int) -> None:
    """The student's demographics row, said the way their results' student groups say it."""
    for column, _share in RACES:
        row.pop(column, None)
    for label in student.groups:
        if label in RACE_COLUMNS:
            row[RACE_COLUMNS[label]] = "true"
    for label, column in PROGRAM_COLUMNS.items():
        row[column] = "Y" if label in student.groups else "N"
    row["sex"] = "female" if "Female" in student.groups else "male"
    born = year - 5 - GRADE_CODES.index(_grade_code(student.grade))
    month, day = row["birthDate"].split("-")[1:]
    row["birthDate"] = datetime.date(born, int(month), int(day)).isoformat()
