"""A site admin who attends a DIT meeting sees only their schools' action items and their own there."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from data_reviews.reviews import services as review_services
from meetings import services
from meetings.models import Attendance
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db


def _school_action(side, school, title):
    review = review_services.review_create(
        school=school,
        title=f"{school.name} winter review",
        held_on=date(2026, 11, 2),
        facilitator=side.coordinator,
        member=side.membership(side.coordinator),
    )
    problem = review_services.problem_create(
        review=review, what="Reading below benchmark", who="Grade 3", how_often="Weekly", goal="Up 10%"
    )
    return review_services.action_create(
        review=review,
        problem=problem,
        description=title,
        owner=side.member,
        due_date=date(2026, 11, 30),
        member=side.membership(side.coordinator),
    )


def test_site_admin_at_a_dit_meeting_sees_their_schools_items_and_their_own(
    side_a, site_admin_a, coordinator_a
):
    _school_action(side_a, side_a.school, "Own school: regroup Tier 2")
    _school_action(side_a, side_a.other_school, "Other school: staffing plan")
    for title, owner in (("Admin's own item", side_a.site_admin), ("District item", side_a.member)):
        services.action_item_create(
            district=side_a.district,
            title=title,
            owner=owner,
            due_date=None,
            member=side_a.membership(side_a.coordinator),
        )
    meeting = make_meeting(side_a.district, side_a.coordinator)
    Attendance.objects.create(meeting=meeting, person=side_a.site_admin)
    url = reverse("meeting_detail", args=[meeting.pk])
    page = site_admin_a.get(url).content.decode()
    assert "Own school: regroup Tier 2" in page
    assert "Admin&#x27;s own item" in page
    assert "Other school: staffing plan" not in page
    assert "District item" not in page
    everything = coordinator_a.get(url).content.decode()
    for title in ("Own school: regroup Tier 2", "Other school: staffing plan", "District item"):
        assert title in everything
