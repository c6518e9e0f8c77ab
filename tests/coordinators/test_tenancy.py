from __future__ import annotations

import pytest
from django.urls import reverse

from coordinators.models import Membership
from mtss.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_outsider_gets_404_on_school_and_changes_nothing(side_a, side_b, coordinator_b):
    before = AuditEvent.objects.filter(outcome="denied").count()
    response = coordinator_b.get(reverse("school_detail", args=[side_a.school.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(outcome="denied").count() == before + 1
    side_a.school.refresh_from_db()
    assert side_a.school.name == "A Lakeside Elementary"


def test_outsider_gets_404_on_person(side_a, side_b, coordinator_b):
    membership = side_a.membership(side_a.member)
    response = coordinator_b.get(reverse("person_detail", args=[membership.pk]))
    assert response.status_code == 404


def test_school_list_shows_only_own_district(side_a, side_b, coordinator_a):
    response = coordinator_a.get(reverse("school_list"))
    assert response.status_code == 200
    assert side_a.school.name in response.text
    assert side_b.school.name not in response.text


def test_site_admin_sees_only_their_school(side_a, site_admin_a):
    assert site_admin_a.get(reverse("school_detail", args=[side_a.school.pk])).status_code == 200
    assert site_admin_a.get(reverse("school_detail", args=[side_a.other_school.pk])).status_code == 404
    listing = site_admin_a.get(reverse("school_list")).text
    assert side_a.school.name in listing
    assert side_a.other_school.name not in listing


def test_site_admin_cannot_open_people_directory(side_a, site_admin_a):
    assert site_admin_a.get(reverse("person_list")).status_code == 403


def test_member_cannot_invite(side_a, member_a):
    response = member_a.post(
        reverse("person_invite"), {"full_name": "X", "email": "x@example.org", "role": "member"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__email="x@example.org").exists()
