"""Demo screening data: believable, complete for the dashboards, and idempotent."""

from __future__ import annotations

import datetime

from data_reviews.models import SchoolMeasure, StudentResult, TierSnapshot
from data_reviews.scores.demo import periods_until, seed_school
from data_reviews.scores.services import snapshots_recompute

TODAY = datetime.date(2026, 11, 20)


def test_periods_cover_two_full_years_and_this_year_so_far() -> None:
    assert periods_until(TODAY) == [
        (2024, "fall"), (2024, "winter"), (2024, "spring"),
        (2025, "fall"), (2025, "winter"), (2025, "spring"),
        (2026, "fall"),
    ]  # fmt: skip


def test_seeding_a_school_twice_changes_nothing(side_a) -> None:
    assert seed_school(side_a.school, today=TODAY, students=40)
    snapshots_recompute(district_id=side_a.district.pk)
    results = StudentResult.objects.filter(school=side_a.school)
    assert results.count() == 40 * 2 * 7
    assert set(results.values_list("subject", flat=True)) == {"reading", "math"}
    assert set(results.values_list("grade", flat=True)) == {"K", "1", "2", "3", "4", "5"}
    assert SchoolMeasure.objects.filter(school=side_a.school, kind="attendance").exists()
    before = (results.count(), SchoolMeasure.objects.count(), TierSnapshot.objects.count())
    assert not seed_school(side_a.school, today=TODAY, students=40)
    assert (results.count(), SchoolMeasure.objects.count(), TierSnapshot.objects.count()) == before


def test_seeded_school_has_a_dashboard_summary(side_a, coordinator_a) -> None:
    from django.urls import reverse

    seed_school(side_a.school, today=TODAY, students=60)
    snapshots_recompute(district_id=side_a.district.pk)
    response = coordinator_a.get(reverse("score_school_dashboard", args=[side_a.school.pk]))
    assert response.context["period_label"] == "Fall 2026-27"
    assert "students were at Tier 1 in reading" in response.context["summary"]


def test_district_scale_adds_schools_up_to_the_benchmark_count(side_a, monkeypatch) -> None:
    from types import SimpleNamespace

    from coordinators.models import School
    from data_reviews.scores import demo

    monkeypatch.setattr(demo, "DISTRICT_SCALE_SCHOOLS", 4)
    monkeypatch.setattr(demo, "DISTRICT_SCALE_STUDENTS", 10)
    ctx = SimpleNamespace(district=side_a.district, today=TODAY, schools=[], scale="district")
    demo.seed_demo(ctx)
    assert School.objects.filter(district=side_a.district).count() == 4
    benchmark = School.objects.filter(district=side_a.district, code__startswith="8")
    assert StudentResult.objects.filter(school__in=benchmark).count() == 2 * 10 * 4 * 3
    assert TierSnapshot.objects.filter(school__in=benchmark, subject="science").exists()


def test_the_month_under_way_has_only_the_referrals_of_its_days_so_far(side_a) -> None:
    first_of_december = datetime.date(2026, 12, 1)
    seed_school(side_a.school, today=first_of_december, students=20)
    odr = dict(SchoolMeasure.objects.filter(school=side_a.school, kind="odr").values_list("month", "value"))
    november, december = odr[datetime.date(2026, 11, 1)], odr[first_of_december]
    assert december <= november / 5  # one school day of about twenty
