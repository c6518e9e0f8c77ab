from __future__ import annotations

import pytest
from django.urls import reverse

from data_reviews.models import ProblemStatement
from tests.data_reviews.review_factories import DataReviewFactory, ProblemStatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def problems(side_a):
    mine = ProblemStatementFactory(
        review=DataReviewFactory(district=side_a.district, school=side_a.school),
        what="Lakeside grade 2 fluency",
    )
    other = ProblemStatementFactory(
        review=DataReviewFactory(district=side_a.district, school=side_a.other_school),
        what="Hilltop absences",
    )
    ProblemStatementFactory(
        review=DataReviewFactory(district=side_a.district),
        what="Closed one",
        status=ProblemStatement.Status.RESOLVED,
    )
    return mine, other


def test_coordinator_and_member_see_open_problem_count_and_newest(coordinator_a, member_a, problems):
    for client in (coordinator_a, member_a):
        body = client.get(reverse("home")).content.decode()
        assert "Open problem statements" in body
        assert "<strong>2</strong> open problem statements" in body
        assert "Hilltop absences" in body
        assert "Closed one" not in body


def test_site_admin_sees_only_their_school_open_problems(site_admin_a, problems):
    body = site_admin_a.get(reverse("home")).content.decode()
    assert "<strong>1</strong> open problem statement at A Lakeside Elementary" in body
    assert "Lakeside grade 2 fluency" in body
    assert "Hilltop absences" not in body


def test_leader_has_no_problem_panel_but_has_the_nav_link(leader_a, problems):
    body = leader_a.get(reverse("home")).content.decode()
    assert "Open problem statements" not in body
    assert reverse("review_list") in body
