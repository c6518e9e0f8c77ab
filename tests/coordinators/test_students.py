"""Who sees which students, the list behind a tier count, and the audited student profile."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from coordinators import students
from coordinators.models import Enrollment, RosterClass, RosterPerson, School, Student
from data_reviews.models import StudentResult
from data_reviews.scores import services as score_services
from mtss.audit.models import AuditAction, AuditEvent
from tests.conftest import Side

pytestmark = pytest.mark.django_db


def _student(side: Side, number: str, *, school: School | None = None, **fields) -> Student:
    return Student.objects.create(
        district=side.district,
        student_number=number,
        first_name=fields.pop("first_name", f"First{number}"),
        last_name=fields.pop("last_name", f"Last{number}"),
        grade=fields.pop("grade", "3"),
        school=school or side.school,
        **fields,
    )


def _result(student: Student, *, tier: int, window: str = "fall", year: int = 2025, percentile=20.0):
    return StudentResult.objects.create(
        district=student.district,
        school=student.school,
        student_id=student.student_number,
        grade=student.grade,
        subject="reading",
        school_year=year,
        window=window,
        tier=tier,
        percentile=percentile,
        rostered_student=student,
    )


def _teach(side: Side, user, *students_taught: Student, title: str = "Room 12") -> RosterClass:
    teacher, _ = RosterPerson.objects.get_or_create(
        district=side.district, sourced_id=f"t-{user.pk}", defaults={"roster_role": "teacher", "person": user}
    )
    roster_class = RosterClass.objects.create(
        district=side.district, sourced_id=f"c-{title}", title=title, school=side.school
    )
    Enrollment.objects.create(
        district=side.district,
        sourced_id=f"c-{title}-t",
        roster_class=roster_class,
        staff=teacher,
        role="teacher",
    )
    for s in students_taught:
        Enrollment.objects.create(
            district=side.district,
            sourced_id=f"c-{title}-{s.pk}",
            roster_class=roster_class,
            student=s,
            role="student",
        )
    return roster_class


def _ids(side: Side, user) -> set[str]:
    return set(students.students_for(side.membership(user)).values_list("student_number", flat=True))


def test_each_role_sees_the_students_their_work_needs(side_a, side_b):
    mine = _student(side_a, "1")
    _student(side_a, "2")
    _student(side_a, "3", school=side_a.other_school)
    _student(side_b, "9", school=side_b.school)
    _teach(side_a, side_a.school_staff, mine)
    everyone = {"1", "2", "3"}
    assert _ids(side_a, side_a.coordinator) == everyone
    assert _ids(side_a, side_a.leader) == everyone
    assert _ids(side_a, side_a.site_admin) == {"1", "2"}
    assert _ids(side_a, side_a.school_staff) == {"1"}
    assert _ids(side_a, side_a.member) == set()
    assert _ids(side_b, side_b.school_staff) == set()


def test_a_teacher_opens_their_student_and_the_look_is_audited(side_a, login_as):
    mine = _student(side_a, "1", first_name="Maya")
    _teach(side_a, side_a.school_staff, mine)
    _result(mine, tier=3)
    response = login_as(side_a.school_staff).get(reverse("student_detail", args=[mine.pk]))
    assert response.status_code == 200
    assert "Maya" in response.text
    assert "Tier 3" in response.text
    assert "Room 12" in response.text
    looks = AuditEvent.objects.filter(action=AuditAction.VIEW_STUDENT, outcome=AuditEvent.Outcome.SUCCESS)
    assert [(e.actor_id, e.object_id) for e in looks] == [(side_a.school_staff.pk, str(mine.pk))]


def test_every_look_is_a_row(side_a, login_as):
    student = _student(side_a, "1")
    client = login_as(side_a.coordinator)
    client.get(reverse("student_detail", args=[student.pk]))
    client.get(reverse("student_detail", args=[student.pk]))
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_STUDENT, outcome="success").count() == 2


def test_a_teacher_gets_404_for_a_student_they_do_not_teach_and_it_is_audited(side_a, login_as):
    _teach(side_a, side_a.school_staff, _student(side_a, "1"))
    other = _student(side_a, "2")
    response = login_as(side_a.school_staff).get(reverse("student_detail", args=[other.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="view student", outcome=AuditEvent.Outcome.DENIED).count() == 1
    assert not AuditEvent.objects.filter(action="view student", outcome="success").exists()


def test_a_dit_member_gets_403_on_the_student_pages(side_a, login_as):
    student = _student(side_a, "1")
    client = login_as(side_a.member)
    assert client.get(reverse("student_list")).status_code == 403
    assert client.get(reverse("student_detail", args=[student.pk])).status_code == 403


def test_the_list_from_a_tier_count_shows_those_students_and_the_unrostered_ones(side_a, login_as):
    at_three = _student(side_a, "1", first_name="Theo")
    at_two = _student(side_a, "2", first_name="Twyla")
    _result(at_three, tier=2, window="fall")
    _result(at_three, tier=3, window="winter")
    _result(at_two, tier=2, window="winter")
    StudentResult.objects.create(
        district=side_a.district,
        school=side_a.school,
        student_id="NOT-ON-ROSTER",
        grade="3",
        subject="reading",
        school_year=2025,
        window="winter",
        tier=3,
    )
    query = {"school": side_a.school.pk, "subject": "reading", "year": 2025, "window": "winter", "tier": 3}
    response = login_as(side_a.site_admin).get(reverse("student_list"), query)
    assert response.status_code == 200
    assert "Theo" in response.text
    assert "Twyla" not in response.text
    assert "F25&nbsp;T2" in response.text
    assert "W25&nbsp;T3" in response.text
    assert "1 result in this count names no student on the district's roster" in response.text


def test_the_school_dashboard_links_each_tier_count_to_its_students(side_a, login_as):
    student = _student(side_a, "1")
    _result(student, tier=3, window="winter")
    score_services.snapshots_recompute(district_id=side_a.district.pk)
    page = login_as(side_a.site_admin).get(
        reverse("score_school_dashboard", args=[side_a.school.pk]), {"subject": "reading"}
    )
    assert page.status_code == 200
    expected = (
        f"/students/?subject=reading&amp;year=2025&amp;window=winter&amp;tier=3&amp;school={side_a.school.pk}"
    )
    assert expected in page.text


def test_a_dit_member_sees_the_counts_without_links(side_a, login_as):
    _result(_student(side_a, "1"), tier=3, window="winter")
    score_services.snapshots_recompute(district_id=side_a.district.pk)
    page = login_as(side_a.member).get(reverse("score_district_dashboard"), {"subject": "reading"})
    assert page.status_code == 200
    assert "/students/?" not in page.text
    page = login_as(side_a.coordinator).get(reverse("score_district_dashboard"), {"subject": "reading"})
    assert f"window=winter&amp;school={side_a.school.pk}&amp;tier=3" in page.text


def test_the_class_filter_lists_a_teachers_class_and_nothing_for_another(side_a, login_as):
    room = _teach(side_a, side_a.school_staff, _student(side_a, "1", first_name="Inna"))
    elsewhere = RosterClass.objects.create(
        district=side_a.district, sourced_id="x", title="X", school=side_a.school
    )
    Enrollment.objects.create(
        district=side_a.district,
        sourced_id="x-1",
        roster_class=elsewhere,
        student=_student(side_a, "2"),
        role="student",
    )
    client = login_as(side_a.school_staff)
    assert "Inna" in client.get(reverse("student_list"), {"class": room.pk}).text
    assert "No students match" in client.get(reverse("student_list"), {"class": elsewhere.pk}).text


def test_the_export_is_formula_safe(side_a, login_as):
    _result(_student(side_a, "1", first_name="=HYPERLINK(1)"), tier=3)
    response = login_as(side_a.coordinator).get(reverse("student_list"), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Student", "Student id", "Grade", "School"]
    assert rows[1][0].startswith("'=HYPERLINK")
    xlsx = login_as(side_a.coordinator).get(reverse("student_list"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_group_filter_uses_the_roster_flags(side_a, login_as):
    _student(side_a, "1", first_name="Elle", english_learner=True)
    _student(side_a, "2", first_name="Noel")
    page = login_as(side_a.coordinator).get(reverse("student_list"), {"group": "English learners"}).text
    assert "Elle" in page
    assert "Noel" not in page


@pytest.mark.parametrize("count", [5, 50])
def test_list_queries_stay_the_same_however_many_students(side_a, login_as, count, django_assert_num_queries):
    for n in range(count):
        student = _student(side_a, str(n))
        _result(student, tier=3, window="fall")
        _result(student, tier=2, window="winter")
    client = login_as(side_a.site_admin)
    query = {"subject": "reading", "year": 2025, "window": "winter", "tier": 2, "school": side_a.school.pk}
    # session, user, membership and district; the count, the page, its results, the unrostered count
    with django_assert_num_queries(7):
        response = client.get(reverse("student_list"), query)
    assert response.status_code == 200
    assert response.text.count("/students/") >= count


@pytest.mark.parametrize("count", [5, 50])
def test_profile_queries_stay_the_same_however_long_the_history(
    side_a, login_as, count, django_assert_num_queries
):
    student = _student(side_a, "1")
    _teach(side_a, side_a.school_staff, student)
    for year in range(2025 - count // 3, 2026):
        for window in ("fall", "winter", "spring"):
            _result(student, tier=2, window=window, year=year)
    client = login_as(side_a.school_staff)
    # session, user, membership and district; the student, the audit row (and its savepoint),
    # the classes, their teachers, the results
    with django_assert_num_queries(8):
        response = client.get(reverse("student_detail", args=[student.pk]))
    assert response.status_code == 200


def test_the_list_pages_at_a_hundred(side_a, login_as):
    for n in range(students.STUDENTS_PER_PAGE + 3):
        _student(side_a, f"{n:04d}")
    page = login_as(side_a.coordinator).get(reverse("student_list"))
    assert "Page 1 of 2" in page.text
    assert len(re.findall(r'href="/students/\d+/"', page.text)) == 100


def test_a_teachers_home_links_each_class_to_its_students(side_a, login_as):
    room = _teach(side_a, side_a.school_staff, _student(side_a, "1"))
    home = login_as(side_a.school_staff).get("/").text
    assert f'href="/students/?class={room.pk}"' in home


def test_an_outsider_naming_another_districts_school_lists_nothing(side_a, side_b, login_as):
    _result(_student(side_a, "1", first_name="Hidden"), tier=3, window="winter")
    StudentResult.objects.create(
        district=side_a.district,
        school=side_a.school,
        student_id="NOT-ON-ROSTER",
        grade="3",
        subject="reading",
        school_year=2025,
        window="winter",
        tier=3,
    )
    query = {"school": side_a.school.pk, "subject": "reading", "year": 2025, "window": "winter", "tier": 3}
    response = login_as(side_b.coordinator).get(reverse("student_list"), query)
    assert response.status_code == 200
    assert "Hidden" not in response.text
    assert response.context["unrostered"] == 0
