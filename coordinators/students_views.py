"""The student list (from a tier count, a class, or the member's own students) and a student's profile."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from coordinators import services, students
from coordinators.models import Role
from data_reviews.models import Subject
from data_reviews.scores.exports import table_response
from mtss.access import MemberRequest, member_required


@member_required(*students.STUDENT_ROLES)
def student_list(request: MemberRequest) -> HttpResponse:
    member = request.membership
    filters = students.parse_filters(request.GET)
    found = students.filtered_students(member, filters)
    kind = request.GET.get("export")
    if kind in {"csv", "xlsx"}:
        rows = students.student_rows(list(found), filters)
        return table_response(
            name=f"students-{filters.subject}-{filters.period_label}",
            columns=students.EXPORT_COLUMNS,
            rows=students.export_rows(rows),
            kind=kind,
        )
    page = Paginator(found, students.STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "rows": students.student_rows(list(page.object_list), filters),
        "unrostered": students.unrostered_count(member, filters),
        "subjects": Subject.choices,
        "subject_label": students.subject_label(filters.subject),
        "groups": list(students.FLAG_GROUPS),
        "tiers": students.TIERS,
        "query": urlencode(filters.query()),
        "own_list": member.role == Role.SCHOOL_STAFF,
    }
    return render(request, "coordinators/student_list.html", context)


@member_required(*students.STUDENT_ROLES)
def student_detail(request: MemberRequest, pk: int) -> HttpResponse:
    member = request.membership
    student = students.get_student_for_user(member, pk)
    services.student_record_open(member=member, student=student, request=request)
    history = students.screening_history(student)
    context = {
        "student": student,
        "history": history,
        "subject_labels": dict(Subject.choices),
        "classes": students.profile_classes(student),
    }
    return render(request, "coordinators/student_detail.html", context)
