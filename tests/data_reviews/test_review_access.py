"""Who may see and change data reviews: outsiders 404, leaders read-only, site admins their schools."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from data_reviews.models import DataReview, ProblemCheck, ProblemStatement, Success
from meetings.models import ActionItem
from mtss.audit.models import AuditEvent
from tests.data_reviews.review_factories import DataReviewFactory, ProblemStatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviews(side_a):
    """A fall review with a problem and a later winter review of the site admin's school."""
    fall = DataReviewFactory(district=side_a.district, school=side_a.school, held_on=dt.date(2025, 10, 1))
    problem = ProblemStatementFactory(review=fall)
    winter = DataReviewFactory(district=side_a.district, school=side_a.school, held_on=dt.date(2026, 1, 20))
    return fall, problem, winter


def _write_requests(fall, problem, winter, owner_pk):
    return [
        (reverse("review_edit", args=[winter.pk]), {"title": "Changed", "held_on": "2026-01-21"}),
        (
            reverse("review_source_add", args=[winter.pk]),
            {"title": "t", "as_of": "2026-01-01", "summary": "s"},
        ),
        (reverse("review_success_add", args=[winter.pk]), {"text": "A success"}),
        (
            reverse("review_problem_add", args=[winter.pk]),
            {"what": "w", "who": "w", "how_often": "1", "goal": "g"},
        ),
        (
            reverse("problem_edit", args=[problem.pk]),
            {"what": "w", "who": "w", "how_often": "1", "goal": "g"},
        ),
        (
            reverse("review_action_add", args=[fall.pk, problem.pk]),
            {"description": "d", "owner": owner_pk, "due_date": "2026-02-01"},
        ),
        (
            reverse("review_check_record", args=[winter.pk, problem.pk]),
            {"fidelity": "partial", "effectiveness": "worse", "next_step": "modify"},
        ),
    ]


def _read_urls(fall, problem, winter):
    return [
        reverse("review_detail", args=[winter.pk]),
        reverse("review_print", args=[winter.pk]),
        reverse("review_export", args=[winter.pk]),
        reverse("problem_detail", args=[problem.pk]),
    ]


def _snapshot():
    return (
        list(DataReview.objects.values_list("id", "title", "held_on")),
        list(ProblemStatement.objects.values_list("id", "what", "status")),
        Success.objects.count(),
        ActionItem.objects.count(),
        ProblemCheck.objects.count(),
    )


def test_outsider_gets_404_on_every_page_and_nothing_changes(coordinator_b, side_a, side_b, reviews):
    fall, problem, winter = reviews
    before = _snapshot()
    for url in _read_urls(*reviews):
        assert coordinator_b.get(url).status_code == 404, url
    for url, data in _write_requests(fall, problem, winter, side_b.member.pk):
        assert coordinator_b.get(url).status_code == 404, url
        assert coordinator_b.post(url, data).status_code == 404, url
    assert _snapshot() == before
    assert AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED, actor=side_b.coordinator).exists()


def test_outsider_list_shows_none_of_district_a(coordinator_b, reviews):
    body = coordinator_b.get(reverse("review_list")).content.decode()
    assert reviews[2].title not in body


def test_leader_reads_but_gets_403_on_every_write(leader_a, side_a, reviews):
    fall, problem, winter = reviews
    before = _snapshot()
    for url in _read_urls(*reviews):
        assert leader_a.get(url).status_code == 200, url
    assert leader_a.post(reverse("review_create"), {"title": "x", "held_on": "2026-01-01"}).status_code == 403
    for url, data in _write_requests(fall, problem, winter, side_a.member.pk):
        assert leader_a.post(url, data).status_code == 403, url
    assert _snapshot() == before
    assert (
        "Add problem statement"
        not in leader_a.get(reverse("review_detail", args=[winter.pk])).content.decode()
    )


def test_member_cannot_create_a_review(member_a):
    assert member_a.post(reverse("review_create"), {"title": "x", "held_on": "2026-01-01"}).status_code == 403
    assert not DataReview.objects.exists()


def test_site_admin_reads_own_school_review_and_cannot_change_it(site_admin_a, side_a, reviews):
    fall, problem, winter = reviews
    before = _snapshot()
    for url in _read_urls(*reviews):
        assert site_admin_a.get(url).status_code == 200, url
    for url, data in _write_requests(fall, problem, winter, side_a.member.pk):
        assert site_admin_a.post(url, data).status_code == 403, url
    assert _snapshot() == before


def test_site_admin_gets_404_for_other_school_and_district_reviews(site_admin_a, side_a):
    other = DataReviewFactory(district=side_a.district, school=side_a.other_school, title="Hilltop review")
    district = DataReviewFactory(district=side_a.district, school=None, title="Whole-district review")
    problem = ProblemStatementFactory(review=other)
    for review in (other, district):
        assert site_admin_a.get(reverse("review_detail", args=[review.pk])).status_code == 404
        assert site_admin_a.get(reverse("review_export", args=[review.pk])).status_code == 404
    assert site_admin_a.get(reverse("problem_detail", args=[problem.pk])).status_code == 404
    body = site_admin_a.get(reverse("review_list")).content.decode()
    assert "Hilltop review" not in body
    assert "Whole-district review" not in body


def test_action_on_a_problem_of_another_school_is_404(member_a, side_a):
    review = DataReviewFactory(district=side_a.district, school=side_a.school)
    problem = ProblemStatementFactory(
        review=DataReviewFactory(district=side_a.district, school=side_a.other_school)
    )
    url = reverse("review_action_add", args=[review.pk, problem.pk])
    response = member_a.post(url, {"description": "d", "owner": side_a.member.pk, "due_date": "2026-02-01"})
    assert response.status_code == 404
    assert not ActionItem.objects.exists()


def test_action_owner_must_be_in_the_district(member_a, side_a, side_b):
    review = DataReviewFactory(district=side_a.district, school=side_a.school)
    problem = ProblemStatementFactory(review=review)
    url = reverse("review_action_add", args=[review.pk, problem.pk])
    response = member_a.post(url, {"description": "d", "owner": side_b.member.pk, "due_date": "2026-02-01"})
    assert response.status_code == 200
    assert not ActionItem.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, reviews):
    response = client.get(reverse("review_detail", args=[reviews[2].pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
