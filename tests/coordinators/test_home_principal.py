"""A site admin's home opens on their school: its dashboard summary and its open action items."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Role
from data_reviews.models import SolutionAction
from meetings.models import ActionItem
from meetings.services import action_item_create
from mtss.audit.models import AuditEvent
from tests.data_reviews.review_factories import DataReviewFactory, ProblemStatementFactory
from tests.data_reviews.score_factories import TierSnapshotFactory
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
PRINCIPAL_HOME_QUERIES = 12


def _panel(page: str, title: str) -> str:
    start = page.index(f">{title}<")
    return page[start : page.index("</section>", start)]


def _today(side):
    return timezone.localdate(timezone=side.district.tz)


def _item(side, title: str, owner, *, days: int = 5, school=None):
    item = action_item_create(
        district=side.district,
        title=title,
        owner=owner,
        due_date=_today(side) + timedelta(days=days),
        member=side.membership(side.coordinator),
    )
    if school is not None:
        review = DataReviewFactory(district=side.district, school=school)
        problem = ProblemStatementFactory(review=review)
        SolutionAction.objects.create(problem=problem, review=review, description=title, action_item=item)
    return item


def test_principal_home_shows_their_schools_dashboard_and_its_open_action_items(side_a, side_b, site_admin_a):
    TierSnapshotFactory(school=side_a.school, tier1=41, tier2=7, tier3=2)
    colleague = UserFactory(full_name="Assistant Principal A")
    MembershipFactory(user=colleague, district=side_a.district, role=Role.SITE_ADMIN, schools=[side_a.school])
    _item(side_a, "Mine and late", side_a.site_admin, days=-2)
    _item(side_a, "Colleague item", colleague)
    _item(side_a, "From our reading review", side_a.member, school=side_a.school)
    _item(side_a, "From the middle school's review", side_a.member, school=side_a.other_school)
    _item(side_a, "District office work", side_a.coordinator)
    done = _item(side_a, "Finished already", colleague)
    ActionItem.objects.filter(pk=done.pk).update(status=ActionItem.Status.DONE)
    _item(side_b, "Other district's", side_b.site_admin)

    response = site_admin_a.get(reverse("home"))

    assert response.status_code == 200
    page = response.text
    assert page.index(f">{side_a.school.name}: how students are doing<") < page.index(">Your action items<")
    assert "82% of A Lakeside Elementary students were at Tier 1 in reading" in page
    assert reverse("score_school_dashboard", args=[side_a.school.pk]) in page
    items = _panel(page, f"Open action items at {side_a.school.name}")
    assert "<strong>3</strong> open action items" in items
    assert "1 overdue" in items
    assert "1 of them yours" in items
    for shown in ("Mine and late", "Colleague item", "From our reading review"):
        assert shown in items
    for hidden in ("middle school", "District office work", "Finished already", "Other district"):
        assert hidden not in items
    assert items.index("Mine and late") < items.index("Colleague item")


def _two_schools(side):
    membership = side.membership(side.site_admin)
    membership.schools.add(side.other_school)


def test_a_site_admin_of_two_schools_picks_which_one_their_home_shows(side_a, site_admin_a):
    _two_schools(side_a)
    _item(side_a, "Hilltop hallway plan", side_a.member, school=side_a.other_school)

    # The first by name opens: A Hilltop Middle.
    first = site_admin_a.get(reverse("home")).text
    assert "Hilltop hallway plan" in _panel(first, f"Open action items at {side_a.other_school.name}")
    picker = _panel(first, "Your schools")
    assert f'href="/?school={side_a.school.pk}">{side_a.school.name}<' in picker
    assert f'aria-current="page" href="/?school={side_a.other_school.pk}"' in picker

    chosen = site_admin_a.get(reverse("home"), {"school": side_a.school.pk})
    assert chosen.status_code == 200
    assert "Hilltop hallway plan" not in chosen.text
    assert f">Open action items at {side_a.school.name}<" in chosen.text
    assert f">{side_a.school.name}: how students are doing<" in chosen.text


def test_a_site_admin_cannot_open_another_schools_home_and_the_refusal_is_audited(
    side_a, side_b, site_admin_a
):
    _item(side_a, "Hilltop hallway plan", side_a.member, school=side_a.other_school)
    for school in (side_a.other_school, side_b.school):
        before = AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED, actor=side_a.site_admin).count()
        response = site_admin_a.get(reverse("home"), {"school": school.pk})
        assert response.status_code == 404
        assert "Hilltop hallway plan" not in response.text
        after = AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED, actor=side_a.site_admin).count()
        assert after == before + 1


def test_district_staff_home_has_no_school_action_items_panel(side_a, coordinator_a, leader_a, member_a):
    _item(side_a, "From our reading review", side_a.member, school=side_a.school)
    for client in (coordinator_a, leader_a, member_a):
        response = client.get(reverse("home"))
        assert response.status_code == 200
        assert ">Open action items at" not in response.text


def _home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), response.text


def test_principal_home_query_count_is_the_same_with_5_and_50_school_items(side_a, site_admin_a):
    _two_schools(side_a)
    TierSnapshotFactory(school=side_a.school)
    for n in range(5):
        _item(side_a, f"School item {n}", side_a.site_admin, days=n - 2, school=side_a.school)
    small, page = _home_queries(site_admin_a)
    assert "<strong>5</strong> open action items" in page
    for n in range(45):
        _item(side_a, f"More item {n}", side_a.site_admin, school=side_a.school if n % 2 else None)
    large, page = _home_queries(site_admin_a)
    assert "<strong>50</strong> open action items" in page
    assert "The 8 due soonest are shown." in page
    assert large == small == PRINCIPAL_HOME_QUERIES
