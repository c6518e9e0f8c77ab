"""People and schools pages, invitations and the district switcher."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coordinators import services
from coordinators.models import Invitation, Membership, Role, User
from mtss.audit.models import AuditEvent
from mtss.notifications.models import Notification
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_coordinator_invites_a_site_admin_for_one_school(side_a, coordinator_a):
    response = coordinator_a.post(
        reverse("person_invite"),
        {
            "full_name": "Rosa Delgado",
            "email": "Rosa.Delgado@Example.org",
            "role": Role.SITE_ADMIN,
            "schools": [side_a.school.pk],
        },
    )
    invitation = Invitation.objects.get(email="rosa.delgado@example.org")
    assert response.status_code == 302
    assert response.url == reverse("person_list")
    assert invitation.district == side_a.district
    assert invitation.status == Invitation.Status.PENDING
    assert list(invitation.schools.all()) == [side_a.school]
    assert not invitation.person.has_usable_password()
    # Nothing is granted before the person accepts.
    assert not Membership.objects.filter(user=invitation.person).exists()
    notification = Notification.objects.get(recipient=invitation.person)
    assert notification.kind == "invitation"
    assert notification.url == reverse("invitation_list")
    assert AuditEvent.objects.filter(action="invite person", object_id=str(invitation.pk)).exists()
    services.invitation_accept(invitation=invitation, person=invitation.person)
    membership = Membership.objects.get(user=invitation.person)
    assert membership.district == side_a.district
    assert list(membership.schools.all()) == [side_a.school]


def test_invalid_invitation_keeps_what_was_typed(side_a, coordinator_a):
    response = coordinator_a.post(
        reverse("person_invite"),
        {"full_name": "Rosa Delgado", "email": "rosa@example.org", "role": "site_admin"},
    )
    assert response.status_code == 200
    assert "Choose at least one school for a Site Admin." in response.text
    assert 'value="Rosa Delgado"' in response.text
    assert 'value="rosa@example.org"' in response.text
    assert not User.objects.filter(email="rosa@example.org").exists()


def test_inviting_someone_already_in_the_district_says_so(side_a, coordinator_a):
    response = coordinator_a.post(
        reverse("person_invite"),
        {"full_name": "Again", "email": side_a.member.email, "role": Role.MEMBER},
    )
    assert response.status_code == 200
    assert "already has a role" in response.text


def test_inviting_a_person_from_another_district_offers_a_role_they_must_accept(
    side_a, side_b, coordinator_a
):
    coordinator_a.post(
        reverse("person_invite"),
        {"full_name": "B coordinator", "email": side_b.coordinator.email, "role": Role.MEMBER},
    )
    assert Membership.objects.filter(user=side_b.coordinator).count() == 1
    assert User.objects.filter(email=side_b.coordinator.email).count() == 1
    invitation = Invitation.objects.get(person=side_b.coordinator)
    services.invitation_accept(invitation=invitation, person=side_b.coordinator)
    assert Membership.objects.filter(user=side_b.coordinator).count() == 2


def test_school_from_another_district_cannot_be_given_to_a_site_admin(side_a, side_b, coordinator_a):
    response = coordinator_a.post(
        reverse("person_invite"),
        {"full_name": "X", "email": "x@example.org", "role": Role.SITE_ADMIN, "schools": [side_b.school.pk]},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.org").exists()


def test_person_list_query_count_does_not_grow_with_people(side_a, coordinator_a, django_assert_num_queries):
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert coordinator_a.get(reverse("person_list")).status_code == 200
        return len(captured)

    for _ in range(5):
        MembershipFactory(district=side_a.district, role=Role.SITE_ADMIN, schools=[side_a.school])
    with_five = count_queries()
    for _ in range(45):
        MembershipFactory(district=side_a.district, role=Role.SITE_ADMIN, schools=[side_a.school])
    assert count_queries() == with_five
    with django_assert_num_queries(with_five):
        coordinator_a.get(reverse("person_list"))


def test_school_list_query_count_is_pinned(side_a, coordinator_a, django_assert_num_queries):
    SchoolFactory.create_batch(50, district=side_a.district)
    with django_assert_num_queries(4):
        assert coordinator_a.get(reverse("school_list")).status_code == 200


def test_person_in_two_districts_switches_between_them(side_a, side_b, login_as):
    MembershipFactory(user=side_a.leader, district=side_b.district, role=Role.MEMBER)
    client = login_as(side_a.leader, district=side_a.district)
    page = client.get(reverse("school_list")).text
    assert side_a.school.name in page
    # The header's district switcher offers both districts.
    switcher = page[page.index(reverse("district_switch")) :]
    assert side_a.district.name in switcher
    assert side_b.district.name in switcher
    response = client.post(reverse("district_switch"), {"district": side_b.district.pk})
    assert response.status_code == 302
    listing = client.get(reverse("school_list")).text
    assert side_b.school.name in listing
    assert side_a.school.name not in listing


def test_switching_to_a_district_without_a_role_is_refused(side_a, side_b, coordinator_a):
    coordinator_a.post(reverse("district_switch"), {"district": side_b.district.pk})
    listing = coordinator_a.get(reverse("school_list")).text
    assert side_a.school.name in listing
    assert side_b.school.name not in listing


def test_person_without_a_district_sees_what_to_do(client, db):
    user = User.objects.create_user(email="new@example.org", password="x-long-password-1", full_name="New")
    client.force_login(user)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 403
    assert "don't have a role in a district yet" in response.text
