"""Reads for rostered students: who sees which students, the list behind a tier count, a profile.

Who sees which students (mtss/access.py says who opens which page):
- coordinators and executive leaders: every student of the district;
- site admins: the students of their schools;
- school staff: the students enrolled in the roster classes they teach, and no other;
- DIT members with no school role: none (the student pages answer them 403).

Results without a rostered student are counted on the dashboards but cannot be listed: the list
says how many of the count it cannot name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from coordinators.models import Enrollment, Membership, Role, RosterClass, School, Student
from coordinators.selectors import class_ids_taught_by
from data_reviews.models import StudentResult, Subject, Window
from data_reviews.scores.analysis import period_label, period_order
from mtss.access import get_scoped_or_404

# Roles that open the student pages; DIT members are left out on purpose (no student records).
STUDENT_ROLES = (Role.COORDINATOR, Role.LEADER, Role.SITE_ADMIN, Role.SCHOOL_STAFF)
STUDENTS_PER_PAGE = 100
TIERS = (1, 2, 3)


def taught_by(member: Membership) -> QuerySet[Enrollment]:
    """The active student enrollments of the active classes the member teaches (from the roster)."""
    return Enrollment.objects.filter(
        district=member.district,
        active=True,
        student__isnull=False,
        roster_class__active=True,
        roster_class_id__in=class_ids_taught_by(member),
    )


def students_for(member: Membership) -> QuerySet[Student]:
    """The district's students the member may see (the module docstring says who sees whom)."""
    students = Student.objects.filter(district=member.district)
    if member.role in (Role.COORDINATOR, Role.LEADER):
        return students
    if member.is_site_admin:
        return students.filter(school__in=School.objects.filter(district=member.district, site_admins=member))
    if member.is_school_staff:
        return students.filter(pk__in=taught_by(member).values("student_id"))
    return students.none()


def get_student_for_user(member: Membership, pk: object) -> Student:
    """One student the member may see; 404 (audited) for any other. Nobody edits students here."""
    return get_scoped_or_404(students_for(member).select_related("school"), pk, member)


def classes_for(member: Membership) -> QuerySet[RosterClass]:
    """The roster classes whose students the member may list by class: the ones they may see."""
    classes = RosterClass.objects.filter(district=member.district, active=True)
    if member.is_school_staff:
        return classes.filter(pk__in=taught_by(member).values("roster_class_id"))
    if member.is_site_admin:
        return classes.filter(school__in=School.objects.filter(district=member.district, site_admins=member))
    if member.role in (Role.COORDINATOR, Role.LEADER):
        return classes
    return classes.none()


# Student groups, in the dashboards' labels (Student.student_groups), as conditions on the roster.
FLAG_GROUPS = {
    "English learners": Q(english_learner=True),
    "Students with disabilities": Q(special_education=True),
    "Economically disadvantaged": Q(economically_disadvantaged=True),
    "Female": Q(sex="Female"),
    "Male": Q(sex="Male"),
}


def group_condition(label: str) -> Q:
    return FLAG_GROUPS.get(label, Q(race_ethnicity=label))


@dataclass(frozen=True)
class StudentFilters:
    """What the list is narrowed to; every value as checked, never as typed."""

    subject: str = Subject.READING
    school: int | None = None
    grade: str = ""
    group: str = ""
    tier: int | None = None
    year: int | None = None
    window: str = ""
    roster_class: int | None = None

    @property
    def period(self) -> tuple[int, str] | None:
        return (self.year, self.window) if self.year is not None and self.window else None

    @property
    def period_label(self) -> str:
        return period_label(*self.period) if self.period else ""

    def query(self, **changes: Any) -> dict[str, str]:
        """The filters as query parameters (for links and the export), with `changes` applied."""
        values = {
            "subject": self.subject,
            "school": self.school,
            "grade": self.grade,
            "group": self.group,
            "tier": self.tier,
            "year": self.year,
            "window": self.window,
            "class": self.roster_class,
        } | changes
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def parse_filters(params: Any) -> StudentFilters:
    subject = params.get("subject", "")
    window = params.get("window", "")
    tier = _int(params.get("tier"))
    return StudentFilters(
        subject=subject if subject in Subject.values else Subject.READING,
        school=_int(params.get("school")),
        grade=params.get("grade", "")[:4],
        group=params.get("group", "")[:64],
        tier=tier if tier in TIERS else None,
        year=_int(params.get("year")),
        window=window if window in Window.values else "",
        roster_class=_int(params.get("class")),
    )


def filtered_students(member: Membership, filters: StudentFilters) -> QuerySet[Student]:
    """The member's students narrowed by the filters, by name.

    The tier applies to the chosen window's result in the subject (the latest window the student
    has when none is chosen is not a filter: a tier needs its window, as on the dashboard).
    """
    students = students_for(member).filter(active=True).select_related("school")
    if filters.school is not None:
        students = students.filter(school_id=filters.school)
    if filters.grade:
        students = students.filter(grade=filters.grade)
    if filters.group:
        students = students.filter(group_condition(filters.group))
    if filters.roster_class is not None:
        students = students.filter(
            pk__in=Enrollment.objects.filter(
                district=member.district,
                active=True,
                roster_class_id__in=classes_for(member).filter(pk=filters.roster_class).values("pk"),
            ).values("student_id")
        )
    if filters.period is not None:
        year, window = filters.period
        in_window = StudentResult.objects.filter(
            district=member.district, subject=filters.subject, school_year=year, window=window
        )
        if filters.school is not None:
            in_window = in_window.filter(school_id=filters.school)
        if filters.grade:
            in_window = in_window.filter(grade=filters.grade)
        if filters.tier is not None:
            in_window = in_window.filter(tier=filters.tier)
        students = students.filter(pk__in=in_window.values("rostered_student_id"))
    return students.order_by("last_name", "first_name", "student_number", "pk")


def unrostered_count(member: Membership, filters: StudentFilters) -> int | None:
    """How many results behind the dashboard's count name no rostered student (so cannot be listed).

    Only for a count the member sees on a dashboard: a tier in a window at a school they see whole.
    """
    if filters.period is None or filters.tier is None or member.is_school_staff:
        return None
    if member.role not in (Role.COORDINATOR, Role.LEADER, Role.SITE_ADMIN):
        return None
    year, window = filters.period
    results = StudentResult.objects.filter(
        district=member.district,
        subject=filters.subject,
        school_year=year,
        window=window,
        tier=filters.tier,
        rostered_student__isnull=True,
    )
    if member.is_site_admin:
        results = results.filter(
            school__in=School.objects.filter(district=member.district, site_admins=member)
        )
    if filters.school is not None:
        results = results.filter(school_id=filters.school)
    if filters.grade:
        results = results.filter(grade=filters.grade)
    return results.count()


@dataclass
class ResultCell:
    period: str
    order: int
    subject: str
    score: float | None
    percentile: float | None
    tier: int | None
    measure: str
    school_year: int
    window: str

    @property
    def short_period(self) -> str:
        return f"{self.window[:1].upper()}{self.school_year % 100:02d}"

    @property
    def tier_label(self) -> str:
        return f"Tier {self.tier}" if self.tier else "No tier"

    @property
    def score_text(self) -> str:
        parts = []
        if self.score is not None:
            parts.append(f"{self.score:g}")
        if self.percentile is not None:
            parts.append(f"{self.percentile:g}th percentile")
        return ", ".join(parts) or "No score"


@dataclass
class StudentRow:
    student: Student
    results: list[ResultCell] = field(default_factory=list)

    @property
    def shown(self) -> ResultCell | None:
        return self.results[-1] if self.results else None


def _cells(results: QuerySet[StudentResult]) -> dict[int, list[ResultCell]]:
    by_student: dict[int, list[ResultCell]] = defaultdict(list)
    for r in results.values_list(
        "rostered_student_id", "subject", "school_year", "window", "score", "percentile", "tier", "measure"
    ):
        student_id, subject, year, window, score, percentile, tier, measure = r
        by_student[student_id].append(
            ResultCell(
                period=period_label(year, window),
                order=period_order(year, window),
                subject=subject,
                score=score,
                percentile=percentile,
                tier=tier,
                measure=measure,
                school_year=year,
                window=window,
            )
        )
    for cells in by_student.values():
        cells.sort(key=lambda c: (c.order, c.subject))
    return by_student


def student_rows(students: list[Student], filters: StudentFilters) -> list[StudentRow]:
    """Each student with their results in the subject across windows, in one query for the page.

    The shown result is the chosen window's when one is chosen, else the latest.
    """
    results = StudentResult.objects.filter(
        rostered_student_id__in=[s.pk for s in students], subject=filters.subject
    )
    if filters.period is not None:
        upto = period_order(*filters.period)
    cells = _cells(results)
    rows = []
    for student in students:
        history = cells.get(student.pk, [])
        if filters.period is not None:
            history = [c for c in history if c.order <= upto]
        rows.append(StudentRow(student=student, results=history))
    return rows


EXPORT_COLUMNS = [
    "Student",
    "Student id",
    "Grade",
    "School",
    "Window",
    "Score",
    "Percentile",
    "Tier",
    "Tier history",
]


def export_rows(rows: list[StudentRow]) -> list[list[Any]]:
    table: list[list[Any]] = []
    for row in rows:
        shown = row.shown
        table.append(
            [
                row.student.full_name,
                row.student.student_number,
                row.student.grade,
                row.student.school.name if row.student.school else "",
                shown.period if shown else "",
                shown.score if shown else "",
                shown.percentile if shown else "",
                shown.tier if shown and shown.tier else "",
                "; ".join(f"{c.period}: {c.tier_label}" for c in row.results),
            ]
        )
    return table


@dataclass
class ClassTaught:
    roster_class: RosterClass
    teachers: list[str]


def profile_classes(student: Student) -> list[ClassTaught]:
    """The student's active classes from the roster, with their teachers (two queries)."""
    classes = list(
        RosterClass.objects.filter(
            active=True,
            pk__in=Enrollment.objects.filter(student=student, active=True).values("roster_class_id"),
        )
        .select_related("school")
        .order_by("title", "pk")
    )
    teachers: dict[int, list[str]] = defaultdict(list)
    for class_id, given, family in (
        Enrollment.objects.filter(roster_class__in=classes, active=True, staff__isnull=False)
        .order_by("staff__family_name", "staff__given_name")
        .values_list("roster_class_id", "staff__given_name", "staff__family_name")
    ):
        teachers[class_id].append(f"{given} {family}".strip())
    return [ClassTaught(roster_class=c, teachers=teachers.get(c.pk, [])) for c in classes]


def screening_history(student: Student) -> list[ResultCell]:
    """Every screening result of the student, oldest window first, subjects in order (one query)."""
    return _cells(StudentResult.objects.filter(rostered_student=student)).get(student.pk, [])


def subject_label(subject: str) -> str:
    return dict(Subject.choices).get(subject, subject)
