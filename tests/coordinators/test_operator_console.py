"""The operator's console: districts with their size, a new district with its first coordinator,
suspending and reactivating a district. Only the operator reaches it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from coordinators import operator
from coordinators.models import District, Invitation, Membership, Role, Student, User
from data_reviews.models import ImportBatch
from mtss.audit.models import AuditEvent
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.factories import PASSWORD, DistrictFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_user() -> User:
    return User.objects.create_superuser("operator@example.org", PASSWORD, full_name="Olive Operator")


@pytest.fixture
def operator_client(operator_user: User) -> Client:
    client = Client()
    client.force_login(operator_user)
    return client


def _new_district(client: Client, **changes: str):
    data = {
        "name": "Cedar Falls Schools",
        "slug": "cedar-falls",
        "time_zone": "America/Denver",
        "coordinator_name": "Cora Lee",
        "coordinator_email": "Cora.Lee@cedar.example.org",
        **changes,
    }
    return client.post(reverse("operator_district_new"), data)


# --- The list of districts ------------------------------------------------------------------------


def _add_district(n: int) -> None:
    district = DistrictFactory(name=f"Extra {n}", slug=f"extra-{n}")
    SchoolFactory(district=district, name=f"Extra school {n}", code=f"X{n}")
    MembershipFactory(user=UserFactory(email=f"extra{n}@example.org"), district=district, role=Role.MEMBER)


@pytest.mark.parametrize("extra", [0, 4])
def test_console_shows_each_districts_size_in_constant_queries(
    side_a, side_b, operator_client, django_assert_num_queries, extra
):
    for n in range(extra):
        _add_district(n)
    Student.objects.create(district=side_a.district, student_number="S1", first_name="Ana", last_name="Ruiz")
    Student.objects.create(
        district=side_a.district, student_number="S2", first_name="Ben", last_name="Ode", active=False
    )
    ImportBatch.objects.create(
        district=side_a.district, file_format="generic", file_name="f.csv", payload=b""
    )
    Client().post(reverse("login"), {"username": side_a.leader.email, "password": PASSWORD})
    # session, user, the operator's memberships, the districts with their sizes, the latest exports
    with django_assert_num_queries(5):
        response = operator_client.get(reverse("operator_districts"))
    assert response.status_code == 200
    page = response.text
    row = page[page.index("District A") : page.index("District B")]
    # 2 schools, 5 people (the School staff persona among them), 1 active student
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:3]] == ["2", "5", "1"]
    assert "None yet" not in row
    assert "Nobody yet" not in row
    assert "Nobody yet" in page[page.index("District B") :]
    assert page.count("Suspend<") == 2 + extra
    assert "New district" in page


@pytest.mark.parametrize("page", ["operator_districts", "operator_district_new"])
def test_people_of_a_district_do_not_find_the_console(side_a, coordinator_a, page):
    assert coordinator_a.get(reverse(page)).status_code == 404


def test_a_coordinator_cannot_suspend_or_create_and_nothing_changes(side_a, coordinator_a):
    suspend = reverse("operator_district_suspend", args=[side_a.district.pk])
    assert coordinator_a.post(suspend).status_code == 404
    assert _new_district(coordinator_a).status_code == 404
    side_a.district.refresh_from_db()
    assert not side_a.district.is_suspended
    assert not District.objects.filter(slug="cedar-falls").exists()


def test_operator_lands_on_the_console_after_sign_in(side_a, operator_user):
    response = Client().post(
        reverse("login"), {"username": operator_user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("operator_districts")
    assert "New district" in response.text


# --- A new district ---------------------------------------------------------------------------


def test_operator_creates_a_district_and_invites_its_first_coordinator(operator_client, operator_user):
    response = _new_district(operator_client)
    assert response.status_code == 302
    district = District.objects.get(slug="cedar-falls")
    assert (district.name, district.time_zone) == ("Cedar Falls Schools", "America/Denver")
    invitation = Invitation.objects.get(district=district)
    # The operator's invitation is its own confirmation: it goes straight to the person.
    assert invitation.role == Role.COORDINATOR
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.confirmed_by == operator_user
    assert invitation.email == "cora.lee@cedar.example.org"
    assert Notification.objects.filter(recipient=invitation.person, kind=Kind.INVITATION).exists()
    assert not Membership.objects.filter(district=district).exists()
    actions = set(AuditEvent.objects.filter(district=district).values_list("action", flat=True))
    assert {"create district", "invite person"} <= actions
    followed = operator_client.get(reverse("operator_districts")).text
    assert "Cedar Falls Schools" in followed


def test_a_taken_short_name_is_refused_and_what_was_typed_stays(side_a, operator_client):
    response = _new_district(operator_client, slug=side_a.district.slug, name="Typed Name")
    assert response.status_code == 200
    assert "already has the short name" in response.text
    assert 'value="Typed Name"' in response.text
    assert 'value="Cora.Lee@cedar.example.org"' in response.text
    assert District.objects.filter(name="Typed Name").count() == 0


def test_creating_twice_gives_the_same_district_and_invitation(operator_user):
    details = {
        "name": "Birch Bay",
        "slug": "birch-bay",
        "time_zone": "America/Chicago",
        "coordinator_email": "first@birch.example.org",
        "coordinator_name": "First Coordinator",
    }
    first = operator.district_create(operator=operator_user, **details)
    second = operator.district_create(operator=operator_user, **details)
    assert first == second
    assert Invitation.objects.filter(district=first.district).count() == 1
    with pytest.raises(operator.DistrictSlugTaken):
        operator.district_create(operator=operator_user, **{**details, "name": "Another"})


def test_only_the_operator_creates_districts(side_a):
    with pytest.raises(operator.NotTheOperator):
        operator.district_create(
            operator=side_a.coordinator,
            name="X",
            slug="x",
            time_zone="America/Chicago",
            coordinator_email="x@example.org",
            coordinator_name="X",
        )
    with pytest.raises(operator.NotTheOperator):
        operator.district_suspend(operator=AnonymousUser(), district=side_a.district)


# --- Suspending and reactivating --------------------------------------------------------------


def test_suspending_asks_first_then_pauses_the_district_for_its_people(
    side_a, side_b, operator_client, coordinator_a, coordinator_b, settings
):
    settings.OPERATOR_CONTACT = "help@tac.example.org"
    url = reverse("operator_district_suspend", args=[side_a.district.pk])
    confirm = operator_client.get(url)
    assert confirm.status_code == 200
    assert "nothing is deleted" in confirm.text
    side_a.district.refresh_from_db()
    assert not side_a.district.is_suspended

    assert operator_client.post(url).status_code == 302
    assert operator_client.post(url).status_code == 302  # a double click changes nothing more
    side_a.district.refresh_from_db()
    assert side_a.district.is_suspended
    assert AuditEvent.objects.filter(action="suspend district", district=side_a.district).count() == 1

    for page in ("home", "meeting_list", "person_list"):
        response = coordinator_a.get(reverse(page))
        assert response.status_code == 403
        assert "Your district's access is paused" in response.text
        assert "help@tac.example.org" in response.text
    assert coordinator_b.get(reverse("home")).status_code == 200
    assert coordinator_a.post(reverse("logout")).status_code == 302
    # Nothing was deleted.
    assert Membership.objects.filter(district=side_a.district).count() == 5


def test_reactivating_gives_the_district_back_as_it_was(side_a, operator_client, coordinator_a):
    operator.district_suspend(operator=User.objects.get(is_superuser=True), district=side_a.district)
    response = operator_client.get(reverse("operator_districts"))
    assert "Suspended" in response.text
    assert "Reactivate" in response.text
    url = reverse("operator_district_reactivate", args=[side_a.district.pk])
    assert operator_client.get(url).status_code == 405
    assert operator_client.post(url).status_code == 302
    side_a.district.refresh_from_db()
    assert not side_a.district.is_suspended
    assert AuditEvent.objects.filter(action="reactivate district", district=side_a.district).exists()
    assert coordinator_a.get(reverse("home")).status_code == 200


def test_a_person_in_two_districts_works_in_the_one_not_suspended(side_a, side_b, operator_user):
    MembershipFactory(user=side_a.coordinator, district=side_b.district, role=Role.MEMBER)
    operator.district_suspend(operator=operator_user, district=side_a.district)
    client = Client()
    client.force_login(side_a.coordinator)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert side_b.district.name in response.text


def test_unknown_district_answers_404(operator_client):
    assert operator_client.get(reverse("operator_district_suspend", args=[999999])).status_code == 404
    assert operator_client.post(reverse("operator_district_reactivate", args=[999999])).status_code == 404


def test_districts_overview_last_sign_in_is_the_newest_login_of_the_district(side_a, side_b):
    signed_in = AuditEvent.objects.create(action="login", district=side_a.district)
    AuditEvent.objects.create(action="login", district=side_a.district, outcome=AuditEvent.Outcome.FAILURE)
    AuditEvent.objects.create(action="logout", district=side_a.district)
    rows = {d.slug: d for d in operator.districts_overview()}
    assert rows[side_a.district.slug].last_sign_in_at == signed_in.at
    assert rows[side_b.district.slug].last_sign_in_at is None


def test_an_operator_who_belongs_to_the_suspended_district_keeps_the_console(side_a, operator_user):
    MembershipFactory(user=operator_user, district=side_a.district, role=Role.MEMBER)
    operator.district_suspend(operator=operator_user, district=side_a.district)
    client = Client()
    client.force_login(operator_user)
    response = client.get(reverse("operator_districts"))
    assert response.status_code == 200
    assert "Reactivate" in response.text
