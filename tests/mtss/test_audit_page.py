"""Executive leaders and coordinators read their district's audit trail; nobody edits it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from coordinators.models import Role, User
from mtss.audit.models import AuditEvent
from mtss.audit.services import audit_record
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def _sign_in(user: User) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_leader_sees_own_district_events_and_sign_ins_but_not_another_districts(side_a, side_b, leader_a):
    audit_record(action="approve", actor=side_a.leader, district=side_a.district, target=side_a.school)
    _sign_in(side_a.member)
    audit_record(action="approve", actor=side_b.leader, district=side_b.district, target=side_b.school)
    _sign_in(side_b.member)
    page = leader_a.get(reverse("audit_list")).text
    assert side_a.school.name in page
    assert side_a.member.full_name in page
    assert side_b.school.name not in page
    assert side_b.member.full_name not in page


def test_sign_ins_show_only_in_the_district_the_person_signed_in_to(side_a, side_b, leader_a, leader_b):
    MembershipFactory(user=side_a.member, district=side_b.district, role=Role.MEMBER)
    _sign_in(side_a.member)  # starts in District A, the first by name
    login = AuditEvent.objects.get(action="login", actor=side_a.member)
    assert login.district == side_a.district
    assert side_a.member.full_name in leader_a.get(reverse("audit_list"), {"action": "login"}).text
    assert side_a.member.full_name not in leader_b.get(reverse("audit_list")).text


def test_events_without_a_district_show_in_no_district(side_a, side_b, leader_a):
    audit_record(action="login", actor=side_a.member)
    assert side_a.member.full_name not in leader_a.get(reverse("audit_list")).text


def test_filters_by_person_action_and_date(side_a, coordinator_a):
    audit_record(action="approve", actor=side_a.leader, district=side_a.district, target=side_a.school)
    audit_record(
        action="invite person", actor=side_a.coordinator, district=side_a.district, target=side_a.other_school
    )
    by_action = coordinator_a.get(reverse("audit_list"), {"action": "approve"}).text
    assert side_a.school.name in by_action
    assert side_a.other_school.name not in by_action
    by_person = coordinator_a.get(reverse("audit_list"), {"person": side_a.coordinator.full_name}).text
    assert side_a.other_school.name in by_person
    assert side_a.school.name not in by_person
    future = coordinator_a.get(reverse("audit_list"), {"since": "2099-01-01"}).text
    assert "No events match." in future


def test_members_and_site_admins_cannot_open_it(side_a, member_a, site_admin_a):
    assert member_a.get(reverse("audit_list")).status_code == 403
    assert site_admin_a.get(reverse("audit_list")).status_code == 403


def test_the_page_only_reads(side_a, leader_a):
    audit_record(action="approve", actor=side_a.leader, district=side_a.district, target=side_a.school)
    before = list(AuditEvent.objects.values_list("id", "action"))
    assert leader_a.post(reverse("audit_list"), {"action": "x"}).status_code == 405
    assert list(AuditEvent.objects.values_list("id", "action"))[: len(before)] == before


@pytest.mark.parametrize("rows", [5, 50])
def test_query_count_does_not_grow_with_events(side_a, leader_a, django_assert_num_queries, rows):
    for _ in range(rows):
        audit_record(action="approve", actor=side_a.leader, district=side_a.district, target=side_a.school)
    leader_a.get(reverse("audit_list"))
    with django_assert_num_queries(6):
        assert leader_a.get(reverse("audit_list")).status_code == 200
