from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from data_reviews.models import DataReview, ProblemCheck, ProblemStatement, SolutionAction, Success
from data_reviews.reviews import services
from meetings.models import ActionItem
from tests.data_reviews.review_factories import (
    DataReviewFactory,
    DataSourceFactory,
    ProblemStatementFactory,
    SuccessFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_review(side_a):
    return DataReviewFactory(
        district=side_a.district,
        school=side_a.school,
        title="Winter reading review",
        held_on=dt.date(2026, 1, 20),
    )


def _with_content(review, n):
    DataSourceFactory(review=review)
    SuccessFactory(review=review)
    for i in range(n):
        problem = ProblemStatementFactory(review=review)
        problem.factors.create(text=f"Factor {i}")
        SolutionAction.objects.create(
            problem=problem,
            review=review,
            description=f"Action {i}",
            action_item=ActionItem.objects.create(district=review.district, title=f"Action {i}"),
        )


def test_coordinator_creates_a_school_review(coordinator_a, side_a):
    response = coordinator_a.post(
        reverse("review_create"),
        {
            "school": side_a.school.pk,
            "title": "Winter reading review",
            "held_on": "2026-01-20",
            "facilitator": side_a.coordinator.pk,
            "meeting_label": "DIT meeting, January 20",
            "meeting_url": "",
        },
    )
    review = DataReview.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("review_detail", args=[review.pk])
    assert review.school == side_a.school
    assert review.created_by == side_a.coordinator


def test_meeting_link_must_stay_inside_the_app(coordinator_a, side_a):
    response = coordinator_a.post(
        reverse("review_create"),
        {"title": "x", "held_on": "2026-01-20", "meeting_url": "https://evil.example/"},
    )
    assert response.status_code == 200
    assert "starts with /" in response.content.decode()
    assert not DataReview.objects.exists()


def test_member_adds_success_problem_and_action(member_a, side_a, school_review):
    url = reverse("review_success_add", args=[school_review.pk])
    assert member_a.post(url, {"text": "Attendance up 3 points."}).status_code == 302
    response = member_a.post(
        reverse("review_problem_add", args=[school_review.pk]),
        {
            "what": "Below benchmark in ORF",
            "who": "Grade 2",
            "how_often": "38% below benchmark",
            "goal": "Reduce below benchmark",
            "goal_target": "25%",
            "goal_date": "2026-05-29",
            "factors": "Core fluency practice is short\nNo small-group time",
        },
    )
    assert response.status_code == 302
    problem = ProblemStatement.objects.get()
    assert problem.factors.count() == 2
    response = member_a.post(
        reverse("review_action_add", args=[school_review.pk, problem.pk]),
        {
            "description": "Schedule a 30-minute WIN block",
            "owner": side_a.member.pk,
            "due_date": "2026-02-15",
        },
    )
    assert response.status_code == 302
    assert ActionItem.objects.get().owner == side_a.member
    assert Success.objects.get().text == "Attendance up 3 points."


def test_detail_lays_out_the_facilitation_sections(coordinator_a, school_review):
    _with_content(school_review, 1)
    body = coordinator_a.get(reverse("review_detail", args=[school_review.pk])).content.decode()
    order = ["The data we looked at", "Successes", "Precise problem statements", "Problems carried forward"]
    positions = [body.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "Factor 0" in body
    assert "Action 0" in body


def test_carried_forward_problem_is_checked_at_later_review(coordinator_a, side_a, school_review):
    problem = ProblemStatementFactory(review=school_review)
    later = DataReviewFactory(district=side_a.district, school=side_a.school, held_on=dt.date(2026, 4, 20))
    body = coordinator_a.get(reverse("review_detail", args=[later.pk])).content.decode()
    assert problem.what in body
    assert "Record check" in body
    response = coordinator_a.post(
        reverse("review_check_record", args=[later.pk, problem.pk]),
        {"fidelity": "partial", "effectiveness": "improved", "next_step": "continue", "current_rate": "31%"},
    )
    assert response.status_code == 302
    check = ProblemCheck.objects.get()
    assert (check.review, check.next_step) == (later, "continue")


def test_checking_at_the_raising_review_is_404(coordinator_a, school_review):
    problem = ProblemStatementFactory(review=school_review)
    url = reverse("review_check_record", args=[school_review.pk, problem.pk])
    response = coordinator_a.post(
        url, {"fidelity": "partial", "effectiveness": "worse", "next_step": "modify"}
    )
    assert response.status_code == 404
    assert not ProblemCheck.objects.exists()


def test_problem_page_shows_history_across_reviews(coordinator_a, side_a, school_review):
    problem = ProblemStatementFactory(review=school_review)
    later = DataReviewFactory(
        district=side_a.district,
        school=side_a.school,
        title="Spring reading review",
        held_on=dt.date(2026, 4, 20),
    )
    services.check_record(
        review=later,
        problem=problem,
        fidelity="partial",
        effectiveness="improved",
        next_step="continue",
        current_rate="31% below benchmark",
        member=side_a.membership(side_a.coordinator),
    )
    body = coordinator_a.get(reverse("problem_detail", args=[problem.pk])).content.decode()
    assert "Spring reading review" in body
    assert "Improved but not to goal" in body
    assert "31% below benchmark" in body


def test_printable_summary_and_docx_export(coordinator_a, school_review):
    _with_content(school_review, 2)
    printed = coordinator_a.get(reverse("review_print", args=[school_review.pk]))
    assert printed.status_code == 200
    assert "review_print.js" in printed.content.decode()
    assert "Add problem statement" not in printed.content.decode()
    response = coordinator_a.get(reverse("review_export", args=[school_review.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "winter-reading-review" in response["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Successes" in text
    assert "Action 1" in text


def test_list_filters_by_school_and_date(coordinator_a, side_a, school_review):
    DataReviewFactory(district=side_a.district, school=side_a.other_school, title="Hilltop attendance review")
    DataReviewFactory(
        district=side_a.district,
        school=side_a.school,
        title="Fall reading review",
        held_on=dt.date(2025, 10, 1),
    )
    body = coordinator_a.get(
        reverse("review_list"), {"school": side_a.school.pk, "held_from": "2026-01-01"}
    ).content.decode()
    assert "Winter reading review" in body
    assert "Hilltop attendance review" not in body
    assert "Fall reading review" not in body


@pytest.mark.parametrize("n", [5, 50])
def test_list_query_count_does_not_grow(coordinator_a, side_a, n, django_assert_num_queries):
    for i in range(n):
        review = DataReviewFactory(
            district=side_a.district, school=side_a.school if i % 2 else None, facilitator=side_a.coordinator
        )
        ProblemStatementFactory(review=review)
    with django_assert_num_queries(LIST_QUERIES):
        response = coordinator_a.get(reverse("review_list"))
    assert response.content.decode().count("/data/reviews/") >= n


@pytest.mark.parametrize("n", [5, 50])
def test_detail_query_count_does_not_grow(coordinator_a, side_a, school_review, n, django_assert_num_queries):
    _with_content(school_review, n)
    later = DataReviewFactory(district=side_a.district, school=side_a.school, held_on=dt.date(2026, 4, 1))
    _with_content(later, n)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = coordinator_a.get(reverse("review_detail", args=[later.pk]))
    assert response.content.decode().count('class="card mb-3 problem"') == 2 * n


LIST_QUERIES = 5
DETAIL_QUERIES = 14
