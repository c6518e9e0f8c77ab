from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordinators import updates
from coordinators.models import (
    District,
    Invitation,
    Membership,
    Role,
    RosterPerson,
    School,
    Student,
    TimeEntry,
    User,
)
from coordinators.onboarding import onboarding_for
from coordinators.selectors import classes_taught_by
from data_reviews.models import StudentResult
from data_reviews.scores.demo import current_students, school_year_of
from implementation_plans.models import Practice
from mtss.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label != "axes"
    }


def test_seed_demo_builds_the_demo_district_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first

    district = District.objects.get(slug="maple-valley")
    assert School.objects.filter(district=district).count() == 12
    assert set(School.objects.filter(district=district).values_list("level", flat=True)) == {
        "elementary",
        "middle",
        "high",
    }
    for email, role in [
        ("coordinator@demo.mtss", Role.COORDINATOR),
        ("leader@demo.mtss", Role.LEADER),
        ("member@demo.mtss", Role.MEMBER),
        ("principal@demo.mtss", Role.SITE_ADMIN),
        ("teacher@demo.mtss", Role.SCHOOL_STAFF),
    ]:
        membership = Membership.objects.get(user__email=email, district=district)
        assert membership.role == role
        assert membership.user.check_password(DEMO_PASSWORD)
    principal = Membership.objects.get(user__email="principal@demo.mtss")
    assert [s.level for s in principal.schools.all()] == ["elementary"]
    teacher = Membership.objects.get(user__email="teacher@demo.mtss")
    assert [s.name for s in teacher.schools.all()] == ["Three Sisters Elementary"]
    assert updates.updates_for(teacher).count() == 1
    assert User.objects.get(email="admin@demo.mtss").is_superuser
    other = Membership.objects.get(user__email="coordinator@other.mtss")
    assert other.district.slug == "cedar-ridge"


@pytest.fixture
def seeded(settings) -> District:
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    return District.objects.get(slug="maple-valley")


def test_seed_demo_rosters_the_students_of_this_years_results(seeded):
    schools = list(School.objects.filter(district=seeded).order_by("code"))
    today = timezone.localdate(timezone=seeded.tz)
    expected = {
        student.student_number: (school.pk, student.grade, sorted(student.groups))
        for school in schools
        for student in current_students(school, today=today)
    }
    students = Student.objects.filter(district=seeded)
    assert 3_500 < len(expected) < 4_500
    assert {
        s.student_number: (s.school_id, s.grade, sorted(s.student_groups())) for s in students
    } == expected
    this_year = StudentResult.objects.filter(district=seeded, school_year=school_year_of(today))
    assert this_year.count() > 7_000
    assert not this_year.filter(rostered_student__isnull=True).exists()
    assert not this_year.exclude(rostered_student__student_number=F("student_id")).exists()


def test_seed_demo_rosters_staff_linking_accounts_and_inviting_the_others(seeded):
    assert seeded.roster_roles == {"teacher": Role.SCHOOL_STAFF, "administrator": Role.SITE_ADMIN}
    staff = RosterPerson.objects.filter(district=seeded)
    principals = staff.filter(roster_role="administrator")
    assert principals.count() == 12
    assert set(principals.values_list("person__memberships__role", flat=True)) == {Role.SITE_ADMIN}
    assert principals.filter(person__email="principal@demo.mtss").exists()
    teacher = Membership.objects.get(user__email="teacher@demo.mtss", district=seeded)
    assert staff.get(person=teacher.user).roster_role == "teacher"
    assert teacher.role == Role.SCHOOL_STAFF
    # Every other teacher is invited as School staff of their school: an invitation, never an account
    # that signs in without their consent.
    others = staff.filter(roster_role="teacher").exclude(person=teacher.user)
    invitations = Invitation.objects.filter(district=seeded)
    assert invitations.count() == others.count() > 100
    assert set(invitations.values_list("status", "role").distinct()) == {
        (Invitation.Status.PENDING, Role.SCHOOL_STAFF)
    }
    assert not invitations.filter(email__in=["teacher@demo.mtss", "principal@demo.mtss"]).exists()
    assert not Membership.objects.filter(district=seeded, user__invitations__district=seeded).exists()
    assert not User.objects.filter(invitations__district=seeded).exclude(password__startswith="!").exists()


def test_seed_demo_teacher_has_her_rostered_homeroom_of_grade_2(seeded, client):
    teacher = Membership.objects.get(user__email="teacher@demo.mtss", district=seeded)
    classes = classes_taught_by(teacher)
    assert [c.title for c in classes] == ["Grade 2 Homeroom 1"]
    assert 20 <= classes[0].student_count <= 40
    students = Student.objects.filter(enrollments__roster_class=classes[0])
    assert set(students.values_list("grade", "school__name")) == {("2", "Three Sisters Elementary")}
    client.force_login(teacher.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Grade 2 Homeroom 1" in response.content.decode()


def test_seed_demo_operator_lands_on_the_operator_console(seeded, client):
    client.force_login(User.objects.get(email="admin@demo.mtss"))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("operator_districts")
    assert response.status_code == 200
    assert "Maple Valley Public Schools" in response.content.decode()


def test_seed_demo_second_district_has_half_its_first_steps_done(seeded, client):
    other = District.objects.get(slug="cedar-ridge")
    steps = {step.label: step.done for step in onboarding_for(other).steps}
    assert steps == {
        "Review the district settings": True,
        "Add your schools": True,
        "Invite your people or import a roster": True,
        "Import your first screener file": False,
        "Set up the monthly DIT meeting series": False,
        "Start the 8 district processes": False,
    }
    client.force_login(User.objects.get(email="coordinator@other.mtss"))
    page = client.get(reverse("home")).content.decode()
    assert "3 of 6 first steps done" in page
    # Its own data only: none of Maple Valley's students, results or roster.
    assert not Student.objects.filter(district=other).exists()
    assert not StudentResult.objects.filter(district=other).exists()
    assert "Three Sisters" not in page
    assert set(Invitation.objects.filter(district=other).values_list("email", flat=True)) == {
        "principal@other.mtss",
        "interventionist@other.mtss",
    }


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(email="coordinator@demo.mtss").exists()


# Writing the demo one row at a time (a model instance, a savepoint and a lookup per row) took
# more than 2,000 queries before the roster; bulk writes keep the demo near 1,700 and the roster
# import's own bulk writes (4,000 students and their enrollments) add about 200. Inviting the
# rostered teachers takes the invitation flow's few queries per person on top. The bound leaves
# room for new demo content, not for a return to per-row writes.
FIRST_RUN_QUERY_BOUND = 2_100
QUERIES_PER_INVITATION = 14
SECOND_RUN_QUERY_BOUND = 280


def test_seed_demo_writes_in_bulk_with_a_bounded_number_of_queries(settings):
    settings.DEBUG = True
    with CaptureQueriesContext(connection) as first:
        call_command("seed_demo", verbosity=0)
    district = District.objects.get(slug="maple-valley")
    invitations = Invitation.objects.filter(district=district).count()
    assert len(first) < FIRST_RUN_QUERY_BOUND + QUERIES_PER_INVITATION * invitations
    # The bulk writes still store every student's results and every plan record.
    assert StudentResult.objects.filter(district=district).count() > 50_000
    assert StudentResult.objects.filter(district=district, tier__isnull=False).exists()
    assert Practice.objects.filter(district=district).count() == 20
    assert TimeEntry.objects.filter(district=district, meeting__isnull=True).exists()
    with CaptureQueriesContext(connection) as second:
        call_command("seed_demo", verbosity=0)
    assert len(second) < SECOND_RUN_QUERY_BOUND
