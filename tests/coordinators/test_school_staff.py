"""School staff (teachers, interventionists, counselors): least privilege.

They open their home (their schools and their roster classes), their profile, notifications and
invitations, and the monthly updates sent to their school's staff; every other page answers 403,
and the selectors give them nothing district-wide or school-wide even if a page let them in.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators import updates
from coordinators.models import (
    CommunicationUpdate,
    Enrollment,
    Invitation,
    Membership,
    Role,
    RosterClass,
    RosterPerson,
    School,
    Student,
    UpdateAudience,
)
from coordinators.selectors import classes_taught_by, district_people, people_for, schools_for
from data_reviews.reviews import selectors as review_selectors
from data_reviews.scores import selectors as score_selectors
from implementation_plans.plan import selectors as plan_selectors
from implementation_plans.processes import selectors as process_selectors
from meetings import selectors as meeting_selectors
from mtss.audit.models import AuditEvent
from mtss.navigation import nav_items_for
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.conftest import Side
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.security_world import build_objects

pytestmark = pytest.mark.django_db

# The staff home once the session is warm: the same with 2 classes and with 12.
STAFF_HOME_QUERIES = 6

DISTRICT_PAGES = [
    "/processes/",
    "/plan/",
    "/barriers/",
    "/initiatives/",
    "/practices/",
    "/capacity/",
    "/meetings/",
    "/action-items/",
    "/data/",
    "/data/reviews/",
    "/people/",
    "/schools/",
    "/search/?q=reading",
    "/audit/",
    "/calendar/",
    "/notifications/email-problems/",
]


def _class(side: Side, teacher: RosterPerson, title: str, students: int, *, school: School | None = None):
    roster_class = RosterClass.objects.create(
        district=side.district,
        sourced_id=f"class-{title}",
        title=title,
        school=school or side.school,
        grades="2",
    )
    Enrollment.objects.create(
        district=side.district,
        sourced_id=f"class-{title}-teacher",
        roster_class=roster_class,
        staff=teacher,
        role="teacher",
    )
    for n in range(students):
        student = Student.objects.create(
            district=side.district,
            student_number=f"{title}-{n}",
            first_name=f"Student{n}",
            last_name=title,
            school=roster_class.school,
        )
        Enrollment.objects.create(
            district=side.district,
            sourced_id=f"class-{title}-{n}",
            roster_class=roster_class,
            student=student,
            role="student",
        )
    return roster_class


def _rostered(side: Side, user=None, sourced_id: str = "t-1") -> RosterPerson:
    return RosterPerson.objects.create(
        district=side.district, sourced_id=sourced_id, roster_role="teacher", person=user
    )


def _panel(page: str, title: str) -> str:
    start = page.index(f">{title}<")
    return page[start : page.index("</section>", start)]


# --- what they may not open ---------------------------------------------------------------------


def test_school_staff_cannot_read_district_pages_and_each_refusal_is_audited(side_a, school_staff_a):
    for path in DISTRICT_PAGES:
        assert school_staff_a.get(path).status_code == 403, path
    refusals = AuditEvent.objects.filter(actor=side_a.school_staff, outcome=AuditEvent.Outcome.DENIED)
    assert refusals.count() == len(DISTRICT_PAGES)


def test_school_staff_cannot_open_another_schools_hub_nor_their_own(side_a, school_staff_a):
    assert school_staff_a.get(reverse("school_detail", args=[side_a.other_school.pk])).status_code == 403
    assert school_staff_a.get(reverse("school_detail", args=[side_a.school.pk])).status_code == 403
    assert school_staff_a.get(reverse("score_school_dashboard", args=[side_a.school.pk])).status_code == 403


def test_selectors_give_school_staff_nothing_district_or_school_wide(side_a):
    build_objects(side_a)
    staff = side_a.membership(side_a.school_staff)
    reach = {
        "processes": process_selectors.processes_for(staff),
        "versions": process_selectors.versions_for(staff),
        "goals": plan_selectors.goals_for(staff),
        "activities": plan_selectors.activities_for(staff),
        "barriers": plan_selectors.barriers_for(staff),
        "protocols": plan_selectors.protocols_for(staff),
        "initiatives": plan_selectors.initiatives_for(staff),
        "assessments": plan_selectors.assessments_for(staff),
        "practices": plan_selectors.practices_for(staff),
        "meetings": meeting_selectors.meetings_in_view(staff),
        "action items": meeting_selectors.action_items_for(staff),
        "reviews": review_selectors.reviews_for(staff),
        "problems": review_selectors.problems_for(staff),
        "dashboards": score_selectors.dashboard_schools_for(staff),
        "people": people_for(staff),
    }
    assert {name: qs.count() for name, qs in reach.items() if qs.exists()} == {}
    assert plan_selectors.practices_for(side_a.membership(side_a.member)).exists()
    assert list(schools_for(staff)) == [side_a.school]
    assert not staff.sees_whole_district


def test_pickers_of_owners_and_attendees_leave_school_staff_out(side_a):
    assert side_a.school_staff not in district_people(side_a.district.pk)
    assert side_a.site_admin in district_people(side_a.district.pk)
    assert side_a.school_staff in district_people(side_a.district.pk, Role.SCHOOL_STAFF)


def test_navigation_offers_school_staff_only_pages_they_may_open(side_a, school_staff_a):
    names = [name for entry in nav_items_for(Role.SCHOOL_STAFF) for name in entry.url_names]
    assert names == ["home", "student_list", "update_list"]
    for path in (
        "/",
        "/students/",
        "/updates/",
        "/notifications/",
        "/notifications/preferences/",
        "/profile/",
        "/invitations/",
    ):
        assert school_staff_a.get(path).status_code == 200, path
    page = school_staff_a.get("/").content.decode()
    assert 'role="search"' not in page
    for label in (">Schools<", ">Meetings<", ">Plan<", ">Data<", ">Practices<"):
        assert label not in page


# --- their home -------------------------------------------------------------------------------------


def test_home_lists_their_classes_with_student_counts(side_a, side_b, school_staff_a):
    mine = _rostered(side_a, side_a.school_staff)
    reading = _class(side_a, mine, "Grade 2 Reading", 3)
    _class(side_a, mine, "Grade 2 Math", 2)
    # Not counted: an inactive student, an ended enrollment; not listed: an inactive class, a
    # colleague's class, and a class of district B.
    gone = Student.objects.create(
        district=side_a.district, student_number="gone", first_name="G", last_name="One"
    )
    Student.objects.filter(pk=gone.pk).update(active=False)
    Enrollment.objects.create(
        district=side_a.district, sourced_id="gone-e", roster_class=reading, student=gone, role="student"
    )
    moved = Student.objects.create(
        district=side_a.district, student_number="moved", first_name="M", last_name="Two"
    )
    Enrollment.objects.create(
        district=side_a.district,
        sourced_id="moved-e",
        roster_class=reading,
        student=moved,
        role="student",
        active=False,
    )
    old = _class(side_a, mine, "Last year's class", 4)
    RosterClass.objects.filter(pk=old.pk).update(active=False)
    _class(side_a, _rostered(side_a, side_a.site_admin, "t-2"), "Colleague's class", 5)
    _class(side_b, _rostered(side_b, side_b.school_staff, "t-1"), "District B class", 6)

    page = school_staff_a.get("/").content.decode()

    classes = _panel(page, "Your classes")
    assert "Grade 2 Math" in classes
    assert "Grade 2 Reading" in classes
    assert classes.index("Grade 2 Math") < classes.index("Grade 2 Reading")
    assert [
        (c.title, c.student_count) for c in classes_taught_by(side_a.membership(side_a.school_staff))
    ] == [
        ("Grade 2 Math", 2),
        ("Grade 2 Reading", 3),
    ]
    for other in ("Last year", "Colleague", "District B"):
        assert other not in page


def test_home_names_their_school_without_opening_it_and_shows_no_district_work(side_a, school_staff_a):
    page = school_staff_a.get("/").content.decode()
    school = _panel(page, "Your school")
    assert side_a.school.name in school
    assert reverse("school_detail", args=[side_a.school.pk]) not in page
    assert side_a.other_school.name not in page
    for panel in (
        "Your action items",
        "Open problem statements",
        "My plan activities",
        "how students are doing",
    ):
        assert panel not in page


def test_home_without_classes_says_what_will_show_there(school_staff_a):
    page = school_staff_a.get("/").content.decode()
    assert "No class on the district's roster lists you yet" in _panel(page, "Your classes")


def test_staff_home_query_count_does_not_grow_with_classes(side_a, school_staff_a):
    mine = _rostered(side_a, side_a.school_staff)
    for n in range(2):
        _class(side_a, mine, f"Class {n}", 3)
    school_staff_a.get("/")
    with CaptureQueriesContext(connection) as few:
        assert school_staff_a.get("/").status_code == 200
    for n in range(2, 12):
        _class(side_a, mine, f"Class {n}", 3)
    with CaptureQueriesContext(connection) as many:
        page = school_staff_a.get("/").content.decode()
    assert "Class 11" in page
    assert len(few) == len(many) == STAFF_HOME_QUERIES


# --- the monthly update reaches them ------------------------------------------------------------


def _sent(side: Side, title: str, audiences: list[str], schools: list[School]) -> CommunicationUpdate:
    member = side.membership(side.coordinator)
    update = updates.update_draft(member=member, month=updates.default_month(member))
    update.title, update.audiences = title, audiences
    update.save()
    update.schools.set(schools)
    updates.update_send(update=update, member=side.membership(side.coordinator))
    return update


def test_an_update_to_their_schools_staff_reaches_them_and_its_archive_shows_it(side_a, school_staff_a):
    sent = _sent(side_a, "November at Lakeside", [UpdateAudience.SCHOOL_STAFF], [side_a.school])

    note = Notification.objects.get(recipient=side_a.school_staff, kind=Kind.UPDATE)
    assert note.url == f"/updates/{sent.pk}/"
    assert "November at Lakeside" in school_staff_a.get("/updates/").content.decode()
    assert school_staff_a.get(f"/updates/{sent.pk}/").status_code == 200


def test_updates_sent_to_other_groups_or_schools_stay_out_of_their_reach(side_a, school_staff_a):
    principals = _sent(side_a, "For principals", [UpdateAudience.PRINCIPALS], [side_a.school])
    colleague = UserFactory(full_name="Hilltop Teacher")
    MembershipFactory(
        user=colleague, district=side_a.district, role=Role.SCHOOL_STAFF, schools=[side_a.other_school]
    )
    other = _sent(side_a, "For Hilltop staff", [UpdateAudience.SCHOOL_STAFF], [side_a.other_school])

    archive = school_staff_a.get("/updates/").content.decode()
    assert "For principals" not in archive
    assert "For Hilltop staff" not in archive
    assert "No update has been sent to your school" in archive
    assert school_staff_a.get(f"/updates/{principals.pk}/").status_code == 404
    assert school_staff_a.get(f"/updates/{other.pk}/").status_code == 404
    assert not Notification.objects.filter(recipient=side_a.school_staff).exists()
    assert Notification.objects.filter(recipient=colleague, kind=Kind.UPDATE).count() == 1


# --- inviting a person as School staff ------------------------------------------------------------


def test_coordinator_invites_school_staff_to_schools_and_no_leader_confirms_it(
    side_a, coordinator_a, login_as
):
    form = {"full_name": "Jo Teacher", "email": "jo@example.org", "role": Role.SCHOOL_STAFF}
    refused = coordinator_a.post(reverse("person_invite"), form)
    assert "Choose at least one school for School staff." in refused.content.decode()
    assert not Invitation.objects.filter(email="jo@example.org").exists()

    coordinator_a.post(reverse("person_invite"), {**form, "schools": [side_a.school.pk]})

    invitation = Invitation.objects.get(email="jo@example.org")
    assert invitation.status == Invitation.Status.PENDING
    assert list(invitation.schools.all()) == [side_a.school]
    assert not Notification.objects.filter(kind=Kind.ROLE_CONFIRMATION).exists()
    teacher = invitation.person
    teacher.set_password("a long demo password 1")
    teacher.save()
    login_as(teacher).post(reverse("invitation_accept", args=[invitation.pk]))
    membership = Membership.objects.get(user=teacher, district=side_a.district)
    assert membership.role == Role.SCHOOL_STAFF
    assert list(membership.schools.all()) == [side_a.school]


def test_people_pages_show_school_staff_with_their_schools(side_a, coordinator_a):
    extra = SchoolFactory(district=side_a.district, name="A Brookside Elementary", code="A03")
    teacher = UserFactory(full_name="Robin Reader")
    staff = MembershipFactory(
        user=teacher, district=side_a.district, role=Role.SCHOOL_STAFF, schools=[side_a.school, extra]
    )

    listing = coordinator_a.get(reverse("person_list")).content.decode()
    row = listing[listing.index("Robin Reader") : listing.index("</tr>", listing.index("Robin Reader"))]
    assert "School staff" in row
    assert "A Brookside Elementary, A Lakeside Elementary" in row
    detail = coordinator_a.get(reverse("person_detail", args=[staff.pk])).content.decode()
    assert "School staff" in detail
    assert "A Brookside Elementary" in detail
    assert "A Lakeside Elementary" in detail


def test_school_hub_lists_its_site_admins_not_its_school_staff(side_a, coordinator_a):
    page = coordinator_a.get(reverse("school_detail", args=[side_a.school.pk])).content.decode()
    people = page[page.index('id="hub-people"') :]
    assert side_a.site_admin.full_name in people
    assert side_a.school_staff.full_name not in people
