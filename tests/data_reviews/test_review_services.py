from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from data_reviews.models import ProblemCheck, ProblemStatement
from data_reviews.reviews import selectors, services
from meetings.models import ActionItem
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.data_reviews.review_factories import DataReviewFactory, ProblemStatementFactory

pytestmark = pytest.mark.django_db


def _review(side, held_on=dt.date(2026, 1, 20), school="school"):
    return services.review_create(
        school=getattr(side, school) if school else None,
        title="Winter reading review",
        held_on=held_on,
        facilitator=side.coordinator,
        member=side.membership(side.coordinator),
    )


def test_action_becomes_an_action_item_owned_and_linked_to_the_review(side_a):
    review = _review(side_a)
    problem = services.problem_create(
        review=review,
        what="Below benchmark in ORF",
        who="Grade 2",
        how_often="38%",
        goal="Fewer",
        factors=["a", " ", "b"],
    )
    action = services.action_create(
        review=review,
        problem=problem,
        description="Start small-group fluency intervention",
        owner=side_a.member,
        due_date=dt.date(2026, 2, 15),
        member=side_a.membership(side_a.coordinator),
    )
    item = ActionItem.objects.get()
    assert action.action_item == item
    assert item.owner == side_a.member
    assert item.due_date == dt.date(2026, 2, 15)
    assert item.district == side_a.district
    assert item.source_label == f"Data review: Winter reading review, {side_a.school.name}"
    assert item.source_url == f"/data/reviews/{review.pk}/"
    assert [f.text for f in problem.factors.all()] == ["a", "b"]


def test_owner_is_notified_once_when_assigned(side_a):
    review = _review(side_a)
    problem = ProblemStatementFactory(review=review)
    action = services.action_create(
        review=review,
        problem=problem,
        description="Coach teachers",
        owner=side_a.member,
        due_date=None,
        member=side_a.membership(side_a.coordinator),
    )
    note = Notification.objects.get(recipient=side_a.member)
    assert note.kind == Kind.ASSIGNED
    assert note.key == f"review-action:{action.pk}:assigned"
    assert note.url == f"/data/reviews/{review.pk}/"


def test_rolled_back_action_leaves_no_action_item_and_no_notification(side_a):
    review = _review(side_a)
    problem = ProblemStatementFactory(review=review)

    def create_then_fail() -> None:
        with transaction.atomic():
            services.action_create(
                review=review,
                problem=problem,
                description="Coach teachers",
                owner=side_a.member,
                due_date=None,
                member=side_a.membership(side_a.coordinator),
            )
            raise RuntimeError

    with pytest.raises(RuntimeError):
        create_then_fail()
    assert not ActionItem.objects.exists()
    assert not Notification.objects.exists()


def test_open_problem_carries_forward_to_next_review_of_same_school_only(side_a):
    fall = _review(side_a, held_on=dt.date(2025, 10, 1))
    problem = ProblemStatementFactory(review=fall)
    winter = _review(side_a, held_on=dt.date(2026, 1, 20))
    other_school = _review(side_a, held_on=dt.date(2026, 1, 21), school="other_school")
    district = _review(side_a, held_on=dt.date(2026, 1, 22), school=None)
    assert list(selectors.earlier_problems_in_scope(winter)) == [problem]
    assert list(selectors.earlier_problems_in_scope(fall)) == []
    assert list(selectors.earlier_problems_in_scope(other_school)) == []
    assert list(selectors.earlier_problems_in_scope(district)) == []


def test_check_records_fidelity_and_resolving_stops_carrying_forward(side_a):
    fall = _review(side_a, held_on=dt.date(2025, 10, 1))
    problem = ProblemStatementFactory(review=fall)
    winter = _review(side_a, held_on=dt.date(2026, 1, 20))
    services.check_record(
        review=winter,
        problem=problem,
        fidelity=ProblemCheck.Fidelity.PARTIAL,
        effectiveness=ProblemCheck.Effectiveness.IMPROVED,
        next_step=ProblemCheck.NextStep.CONTINUE,
        member=side_a.membership(side_a.coordinator),
    )
    spring = _review(side_a, held_on=dt.date(2026, 4, 20))
    assert list(selectors.earlier_problems_in_scope(spring)) == [problem]
    services.check_record(
        review=spring,
        problem=problem,
        fidelity=ProblemCheck.Fidelity.WITH_FIDELITY,
        effectiveness=ProblemCheck.Effectiveness.GOAL_MET,
        next_step=ProblemCheck.NextStep.DISCONTINUE,
        member=side_a.membership(side_a.coordinator),
        resolve=True,
    )
    problem.refresh_from_db()
    assert problem.status == ProblemStatement.Status.RESOLVED
    assert problem.resolved_review == spring
    # Still shown (with its check) at the review that resolved it, gone from any later one.
    assert list(selectors.earlier_problems_in_scope(spring)) == [problem]
    assert list(selectors.earlier_problems_in_scope(winter)) == [problem]
    summer = _review(side_a, held_on=dt.date(2026, 6, 1))
    assert list(selectors.earlier_problems_in_scope(summer)) == []


def test_recording_again_corrects_the_check_instead_of_adding_one(side_a):
    fall = _review(side_a, held_on=dt.date(2025, 10, 1))
    problem = ProblemStatementFactory(review=fall)
    winter = _review(side_a)
    for fidelity in (ProblemCheck.Fidelity.NOT_STARTED, ProblemCheck.Fidelity.PARTIAL):
        services.check_record(
            review=winter,
            problem=problem,
            fidelity=fidelity,
            effectiveness=ProblemCheck.Effectiveness.NO_CHANGE,
            next_step=ProblemCheck.NextStep.MODIFY,
            member=side_a.membership(side_a.coordinator),
        )
    assert ProblemCheck.objects.get().fidelity == ProblemCheck.Fidelity.PARTIAL


def test_a_problem_cannot_be_checked_at_the_review_that_raised_it(side_a):
    review = _review(side_a)
    problem = ProblemStatementFactory(review=review)
    with pytest.raises(services.ProblemNotInReview):
        services.check_record(
            review=review,
            problem=problem,
            fidelity="partial",
            effectiveness="worse",
            next_step="modify",
            member=side_a.membership(side_a.coordinator),
        )
    assert not ProblemCheck.objects.exists()


def test_review_for_another_districts_school_is_refused(side_a, side_b):
    with pytest.raises(ValueError, match="not in this district"):
        services.review_create(
            school=side_b.school,
            title="x",
            held_on=dt.date(2026, 1, 1),
            facilitator=None,
            member=side_a.membership(side_a.coordinator),
        )


def test_site_admin_sees_only_problems_of_their_schools(side_a):
    mine = ProblemStatementFactory(review=DataReviewFactory(district=side_a.district, school=side_a.school))
    ProblemStatementFactory(review=DataReviewFactory(district=side_a.district, school=side_a.other_school))
    ProblemStatementFactory(review=DataReviewFactory(district=side_a.district, school=None))
    assert list(selectors.problems_for(side_a.membership(side_a.site_admin))) == [mine]
    assert selectors.problems_for(side_a.membership(side_a.coordinator)).count() == 3
