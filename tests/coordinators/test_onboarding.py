"""A new district's checklist on its coordinators' home page: each step ticks itself once done, the
checklist goes once all are, it is read in one query, and an empty district shows no blank cards."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators import onboarding, services
from coordinators.models import Role, Student
from data_reviews.models import ImportBatch, ScreeningWindow
from implementation_plans.processes import services as process_services
from implementation_plans.processes.catalogue import STANDARD_PROCESSES
from meetings.models import MeetingKind, MeetingSeries
from mtss.audit.services import audit_record
from tests.factories import DistrictFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty():
    """A district with nothing but its first coordinator (invited by the installation's operator)."""
    district = DistrictFactory(name="Cedar Falls", slug="cedar-falls")
    user = UserFactory(email="cora@cedar.example.org", full_name="Cora Lind")
    member = MembershipFactory(user=user, district=district, role=Role.COORDINATOR)
    client = Client()
    client.force_login(user)
    return member, client


def done(member) -> list[bool]:
    return [step.done for step in onboarding.onboarding_for(member.district).steps]


def finish_everything(member) -> None:
    district = member.district
    ScreeningWindow.objects.create(
        district=district, window="fall", opens_month=8, opens_day=15, closes_month=10, closes_day=31
    )
    SchoolFactory(district=district)
    Student.objects.create(district=district, student_number="1001", first_name="Ana", last_name="Ruiz")
    ImportBatch.objects.create(
        district=district, file_name="fall.csv", file_format="generic", payload=b"", sha256="0",
        status=ImportBatch.Status.DONE,
    )  # fmt: skip
    MeetingSeries.objects.create(
        district=district, kind=MeetingKind.DIT, title="DIT", weekday=1, week_of_month=2,
        start_time=datetime.time(15, 30), end_time=datetime.time(17), first_date=datetime.date(2026, 9, 1),
        last_date=datetime.date(2027, 6, 1),
    )  # fmt: skip
    for standard in STANDARD_PROCESSES:
        process = process_services.process_start(member=member, slug=standard.slug)
        process_services.draft_save(member=member, process=process, texts={"x": "Started."})


def test_each_step_ticks_itself_when_done(empty):
    member, _client = empty
    district = member.district
    assert done(member) == [False] * 6
    audit_record(action="change district settings", actor=member.user, district=district)
    SchoolFactory(district=district)
    assert done(member) == [True, True, False, False, False, False]
    services.person_invite(
        member=member,
        email="sam@cedar.example.org",
        full_name="Sam",
        role=Role.MEMBER,
    )
    assert done(member)[2]
    finish_everything(member)
    assert done(member) == [True] * 6


def test_screening_windows_count_as_reviewed_settings_and_a_denied_look_does_not(empty):
    member, _client = empty
    audit_record(
        action="open district_settings", actor=member.user, district=member.district, outcome="denied"
    )
    assert not done(member)[0]
    ScreeningWindow.objects.create(
        district=member.district, window="fall", opens_month=8, opens_day=15, closes_month=10, closes_day=31
    )
    assert done(member)[0]


def test_the_operators_invitation_of_the_first_coordinator_does_not_count(empty):
    member, _client = empty
    operator = UserFactory(email="operator@example.org", is_superuser=True)
    services.district_invite(
        district=member.district, invited_by=operator, email="second@cedar.example.org", full_name="Second",
        role=Role.MEMBER,
    )  # fmt: skip
    assert not done(member)[2]


def test_seven_processes_are_not_the_eight(empty):
    member, _client = empty
    for standard in STANDARD_PROCESSES[:7]:
        process = process_services.process_start(member=member, slug=standard.slug)
        process_services.draft_save(member=member, process=process, texts={"x": "Started."})
    step = onboarding.onboarding_for(member.district).steps[5]
    assert not step.done
    assert step.note == "7 of 8 started."


def test_empty_district_home_shows_the_checklist_and_no_blank_cards(empty):
    _member, client = empty
    page = client.get(reverse("home")).text
    assert "Getting started" in page
    assert "0 of 6 first steps done" in page
    for link in ("school_add", "people_bulk", "score_import_list", "meeting_series_create", "process_board"):
        assert f'href="{reverse(link)}"' in page
    for blank in ("No drafts in progress.", "Nothing in the plan is overdue.", "No open action items.",
                  "No barrier is waiting", "No DIT meeting is scheduled.", "Your district"):  # fmt: skip
        assert blank not in page
    assert page.count('class="card h-100 shadow-sm"') == 1


def test_checklist_goes_once_everything_is_done(empty):
    member, client = empty
    finish_everything(member)
    audit_record(action="change district settings", actor=member.user, district=member.district)
    page = client.get(reverse("home")).text
    assert "Getting started" not in page
    # The panels with nothing to show are one line each, not cards.
    assert "Your action items:</strong> No open action items." in page


def test_a_done_step_shows_ticked_without_its_link(empty):
    member, client = empty
    SchoolFactory(district=member.district)
    page = client.get(reverse("home")).text
    assert "Done: </span>Add your schools" in page
    assert f'href="{reverse("school_add")}"' not in page
    assert "1 of 6 first steps done" in page


def test_only_coordinators_see_the_checklist(empty):
    member, _client = empty
    for role in (Role.LEADER, Role.MEMBER):
        user = UserFactory()
        MembershipFactory(user=user, district=member.district, role=role)
        client = Client()
        client.force_login(user)
        assert "Getting started" not in client.get(reverse("home")).text


def test_home_queries_stay_the_same_however_far_the_district_got(empty, django_assert_num_queries):
    member, client = empty

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    with django_assert_num_queries(15):
        response = client.get(reverse("home"))
    assert "0 of 6 first steps done" in response.text
    SchoolFactory.create_batch(5, district=member.district)
    with django_assert_num_queries(15):
        response = client.get(reverse("home"))
    assert "1 of 6 first steps done" in response.text
    SchoolFactory.create_batch(45, district=member.district)
    assert count() == 15


def test_the_people_step_offers_both_the_staff_file_and_the_roster_import(empty, django_assert_num_queries):
    _member, client = empty
    page = client.get(reverse("home")).text
    roster = f"{reverse('score_import_list')}?format=oneroster"
    assert f'href="{reverse("people_bulk")}">Invite people from a file</a>' in page
    assert f'href="{roster}">Import a roster</a>' in page
    with django_assert_num_queries(4):
        imports = client.get(roster)
    assert imports.status_code == 200
    assert '<option value="oneroster" selected>' in imports.text
    assert '<option value="oneroster" selected>' not in client.get(reverse("score_import_list")).text
    assert (
        '<option value="oneroster" selected>'
        not in client.get(reverse("score_import_list") + "?format=x").text
    )
