"""Student-group figures leave out groups under the district's own smallest group size (10 unless set)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from data_reviews.models import StudentResult, TierSnapshot
from data_reviews.scores import services
from tests.data_reviews.score_factories import TierSnapshotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve_learners(side_a):
    """Winter reading: 12 English learners, enough for the default size of 10."""
    school = side_a.school
    TierSnapshotFactory(school=school, window="winter", tier1=71, tier2=17, tier3=12)
    TierSnapshotFactory(
        school=school, window="winter", grade="", student_group="English learners", tier1=6, tier2=3, tier3=3
    )
    return school


def _dashboard(client, school) -> str:
    url = reverse("score_school_dashboard", args=[school.pk]) + "?subject=reading&period=2025-winter"
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def test_the_default_size_shows_a_group_of_twelve(twelve_learners, coordinator_a):
    page = _dashboard(coordinator_a, twelve_learners)
    assert "English learners" in page
    assert "groups under 10 students are hidden" in page


def test_a_larger_district_size_hides_the_group_at_once(side_a, twelve_learners, coordinator_a):
    side_a.district.min_group_size = 15
    side_a.district.save(update_fields=["min_group_size"])
    page = _dashboard(coordinator_a, twelve_learners)
    assert "English learners" not in page
    assert "groups under 15 students are hidden" in page


def _results(side, count: int, group: str) -> None:
    StudentResult.objects.bulk_create(
        StudentResult(
            district=side.district,
            school=side.school,
            student_id=f"S{n}",
            grade="3",
            subject="reading",
            school_year=2025,
            window="fall",
            tier=1,
            student_groups=[group],
        )
        for n in range(count)
    )


@pytest.mark.parametrize(("size", "kept"), [(10, False), (6, True)])
def test_snapshots_keep_groups_of_the_districts_size(side_a, size, kept):
    side_a.district.min_group_size = size
    side_a.district.save(update_fields=["min_group_size"])
    _results(side_a, 7, "English learners")
    services.snapshots_recompute(district_id=side_a.district.pk)
    groups = set(TierSnapshot.objects.exclude(student_group="").values_list("student_group", flat=True))
    assert (groups == {"English learners"}) is kept
    assert TierSnapshot.objects.filter(student_group="").exists()
