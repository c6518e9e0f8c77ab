"""A data review's numbers come from the dashboard of the window it reviews, frozen with the review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from data_reviews.models import DataReview, TierSnapshot
from data_reviews.reviews import services
from tests.data_reviews.score_factories import TierSnapshotFactory

pytestmark = pytest.mark.django_db


def _review(side, school):
    return services.review_create(
        school=school,
        title="Winter reading review",
        held_on=dt.date(2026, 1, 20),
        facilitator=side.coordinator,
        member=side.membership(side.coordinator),
    )


def test_a_source_from_the_dashboard_says_what_the_dashboard_says_and_stays_as_it_was(
    side_a, coordinator_a
) -> None:
    school = side_a.school
    TierSnapshotFactory(school=school, window="fall", tier1=65, tier2=23, tier3=12)
    TierSnapshotFactory(school=school, window="winter", tier1=71, tier2=17, tier3=12, no_data=3)
    review = _review(side_a, school)
    source = services.source_from_dashboard(
        review=review, subject="reading", period="2025-winter", today=dt.date(2026, 1, 18)
    )
    url = reverse("score_school_dashboard", args=[school.pk])
    dashboard = coordinator_a.get(url + "?subject=reading&period=2025-winter").context
    assert source.title == f"{school.name}: reading tiers, Winter 2025-26"
    assert source.link == url + "?subject=reading&period=2025-winter"
    assert source.as_of == dt.date(2026, 1, 18)
    assert source.summary.startswith(dashboard["summary"])
    assert "Tier 1: 71 students (71%)" in source.summary
    TierSnapshot.objects.filter(school=school, window="winter").update(tier1=10)
    source.refresh_from_db()
    assert "Tier 1: 71 students (71%)" in source.summary


def test_a_district_review_freezes_the_district_dashboard_with_its_coverage(side_a) -> None:
    TierSnapshotFactory(school=side_a.school, window="fall", tier1=40, tier2=8, tier3=2)
    review = _review(side_a, None)
    source = services.source_from_dashboard(
        review=review, subject="reading", period=None, today=dt.date(2025, 10, 1)
    )
    assert source.link == reverse("score_district_dashboard") + "?subject=reading&period=2025-fall"
    assert "1 of 2 schools" in source.summary


def test_the_demo_reading_review_agrees_with_the_school_dashboard(settings, client) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    review = DataReview.objects.exclude(school=None).get()
    source = review.sources.get()
    client.force_login(review.facilitator)
    dashboard = client.get(source.link).context
    assert source.summary.startswith(dashboard["summary"])
    season = dashboard["period_label"].split()[0]
    assert review.title == f"{season} reading review"
    assert review.held_on >= source.as_of
    fall = DataReview.objects.get(school=None, title__startswith="Fall")
    winter = DataReview.objects.get(school=None, title__startswith="Winter")
    assert fall.held_on.month in {9, 10, 11, 12}
    assert winter.held_on.month in {1, 2, 3}
    assert fall.held_on < winter.held_on < review.held_on
    for district_review in (fall, winter):
        assert f"{district_review.held_on:%B}" in district_review.meeting_label


def test_the_team_adds_the_dashboard_of_a_window_from_the_review(
    side_a, coordinator_a, coordinator_b
) -> None:
    school = side_a.school
    TierSnapshotFactory(school=school, window="fall", tier1=65, tier2=23, tier3=12)
    TierSnapshotFactory(school=school, window="winter", tier1=71, tier2=17, tier3=12)
    review = _review(side_a, school)
    url = reverse("review_source_add", args=[review.pk])
    page = coordinator_a.get(url).content.decode()
    assert 'value="2025-fall"' in page
    assert 'value="2025-winter"' in page
    assert coordinator_b.post(url, {"subject": "reading", "period": "2025-fall"}).status_code == 404
    assert not review.sources.exists()
    response = coordinator_a.post(url, {"subject": "reading", "period": "2025-fall"})
    assert response.status_code == 302
    source = review.sources.get()
    assert source.title == f"{school.name}: reading tiers, Fall 2025-26"
    assert "Tier 1: 65 students (65%)" in source.summary


def test_the_demo_reading_problem_is_its_weakest_early_grade_with_a_goal_below_today(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    problem = DataReview.objects.exclude(school=None).get().problems.get()
    now = int(problem.how_often.split("%")[0])
    assert int(problem.goal_target.rstrip("%")) < now
    assert problem.who.lower() in problem.how_often
