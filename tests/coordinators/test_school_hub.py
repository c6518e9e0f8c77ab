"""The school page is a hub: its dashboard, fidelity, data reviews, barriers and plan work, its people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from data_reviews.models import SolutionAction
from implementation_plans.models import Barrier, CapacityAssessment
from meetings.services import action_item_create
from tests.data_reviews.review_factories import DataReviewFactory, ProblemStatementFactory
from tests.data_reviews.score_factories import TierSnapshotFactory
from tests.implementation_plans.plan_factories import (
    AssessmentItemFactory,
    BarrierFactory,
    CapacityAssessmentFactory,
    PlanActivityFactory,
    PlanGoalFactory,
    district_today,
)

pytestmark = pytest.mark.django_db
SCHOOL_HUB_QUERIES = 13


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def _tfi(side, school, scores: list[int]) -> CapacityAssessment:
    tfi = CapacityAssessmentFactory(
        district=side.district, instrument=CapacityAssessment.Instrument.TFI, school=school
    )
    for score in scores:
        AssessmentItemFactory(assessment=tfi, score=score, subscale="Tier 1")
    return tfi


def _school_world(side, school, label: str) -> None:
    """One of everything the hub lists, naming `school`."""
    TierSnapshotFactory(school=school, tier1=41, tier2=7, tier3=2)
    tfi = _tfi(side, school, [2, 1, 0, 1])  # 4 of 8 points: 50%
    review = DataReviewFactory(district=side.district, school=school, title=f"{label} winter review")
    problem = ProblemStatementFactory(review=review, what=f"{label} fluency problem")
    barrier = BarrierFactory(district=side.district, school=school, description=f"{label} substitute gap")
    BarrierFactory(
        district=side.district, school=school, description=f"{label} solved", status=Barrier.Status.RESOLVED
    )
    goal = PlanGoalFactory(district=side.district)
    PlanActivityFactory(goal=goal, title=f"{label} barrier activity", barrier=barrier)
    PlanActivityFactory(goal=goal, title=f"{label} problem activity", problem_statement=problem)
    PlanActivityFactory(goal=goal, title=f"{label} fidelity activity", capacity_item=tfi.items.first())
    item = action_item_create(
        district=side.district,
        title=f"{label} review task",
        owner=side.member,
        due_date=timezone.localdate() + timedelta(days=3),
        member=side.membership(side.coordinator),
    )
    SolutionAction.objects.create(problem=problem, review=review, description=item.title, action_item=item)


def test_coordinator_sees_everything_that_names_the_school_and_nothing_of_other_schools(
    side_a, side_b, coordinator_a
):
    _school_world(side_a, side_a.school, "Lakeside")
    _school_world(side_a, side_a.other_school, "Hilltop")
    _school_world(side_b, side_b.school, "Outsider")
    PlanActivityFactory(goal=PlanGoalFactory(district=side_a.district), title="District-wide activity")

    response = coordinator_a.get(reverse("school_detail", args=[side_a.school.pk]))

    assert response.status_code == 200
    page = response.text
    assert "Hilltop" not in page
    assert "Outsider" not in page
    dashboard = _section(page, "hub-dashboard")
    assert "82% of A Lakeside Elementary students were at Tier 1 in reading" in dashboard
    assert reverse("score_school_dashboard", args=[side_a.school.pk]) in dashboard
    assert "50%" in _section(page, "hub-tfi")
    reviews = _section(page, "hub-reviews")
    assert "Lakeside winter review" in reviews
    assert "<strong>1</strong> open problem statement" in reviews
    plan = _section(page, "hub-plan")
    assert "Lakeside substitute gap" in plan
    assert "Lakeside solved" not in plan
    for title in ("barrier activity", "problem activity", "fidelity activity"):
        assert f"Lakeside {title}" in plan
    assert "District-wide activity" not in plan
    assert "Lakeside review task" in _section(page, "hub-items")
    assert "Site Admin A" in _section(page, "hub-people")


def test_site_admin_gets_their_schools_hub_without_the_plan_and_no_other_school(side_a, site_admin_a):
    _school_world(side_a, side_a.school, "Lakeside")
    _school_world(side_a, side_a.other_school, "Hilltop")

    response = site_admin_a.get(reverse("school_detail", args=[side_a.school.pk]))

    assert response.status_code == 200
    page = response.text
    assert "Lakeside winter review" in page
    assert "50%" in _section(page, "hub-tfi")
    assert 'id="hub-plan"' not in page
    assert "Lakeside substitute gap" not in page
    assert "Lakeside barrier activity" not in page
    assert reverse("person_detail", args=[side_a.membership(side_a.site_admin).pk]) not in page
    assert site_admin_a.get(reverse("school_detail", args=[side_a.other_school.pk])).status_code == 404


def test_a_school_with_nothing_yet_says_so(side_a, coordinator_a):
    page = coordinator_a.get(reverse("school_detail", args=[side_a.other_school.pk])).text
    assert f"No screening results for {side_a.other_school.name} yet." in page
    assert f"No Tiered Fidelity Inventory for {side_a.other_school.name} yet." in page
    assert f"No data review of {side_a.other_school.name} yet." in page
    assert "None assigned" in page


def _hub_queries(client, school) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("school_detail", args=[school.pk]))
    assert response.status_code == 200
    return len(queries), response.text


def _more(side, school, n: int) -> None:
    goal = PlanGoalFactory(district=side.district)
    for k in range(n):
        review = DataReviewFactory(district=side.district, school=school, title=f"Review {k}")
        problem = ProblemStatementFactory(review=review)
        barrier = BarrierFactory(district=side.district, school=school)
        due = district_today() - timedelta(days=k + 1)
        PlanActivityFactory(goal=goal, barrier=barrier, start_date=due - timedelta(days=90), due_date=due)
        _tfi(side, school, [2])
        item = action_item_create(
            district=side.district,
            title=f"Task {k}",
            owner=side.site_admin,
            due_date=None,
            member=side.membership(side.coordinator),
        )
        SolutionAction.objects.create(
            problem=problem, review=review, description=item.title, action_item=item
        )


def test_school_hub_query_count_is_the_same_with_5_and_50_of_everything(side_a, coordinator_a):
    TierSnapshotFactory(school=side_a.school)
    _more(side_a, side_a.school, 5)
    small, page = _hub_queries(coordinator_a, side_a.school)
    assert "<strong>5</strong> open problem statements" in page
    _more(side_a, side_a.school, 45)
    large, page = _hub_queries(coordinator_a, side_a.school)
    assert "<strong>50</strong> open problem statements" in page
    assert "All data reviews of A Lakeside Elementary" in page
    assert large == small == SCHOOL_HUB_QUERIES
