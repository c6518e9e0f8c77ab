"""Linking screener results to rostered students by the district's student id."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from coordinators.models import Student
from data_reviews.models import StudentResult


def results_link(*, district_id: int) -> int:
    """Link the district's unlinked screener results to the rostered student with their student id,
    in one UPDATE whatever the number of results; return how many were linked."""
    students = Student.objects.filter(district_id=district_id)
    return StudentResult.objects.filter(
        district_id=district_id,
        rostered_student__isnull=True,
        student_id__in=students.values("student_number"),
    ).update(
        rostered_student=Subquery(students.filter(student_number=OuterRef("student_id")).values("pk")[:1])
    )


def roster_student_numbers(*, district_id: int) -> frozenset[str] | None:
    """The student ids the district's roster lists, or None when it has no roster."""
    numbers = frozenset(
        Student.objects.filter(district_id=district_id).values_list("student_number", flat=True)
    )
    return numbers or None
