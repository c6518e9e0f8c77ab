"""Reads for data reviews and problem statements, scoped to the member's district and schools."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from coordinators.models import Membership, Role, User
from coordinators.selectors import district_people
from data_reviews.models import (
    DataReview,
    ProblemCheck,
    ProblemStatement,
    SolutionAction,
)
from data_reviews.scores import dashboards
from data_reviews.scores import selectors as score_selectors
from data_reviews.scores.analysis import period_label, subject_label
from mtss.access import get_scoped_or_404

# Who may change a review's content: the coordinator who facilitates and the DIT members.
EDITOR_ROLES = frozenset({Role.COORDINATOR, Role.MEMBER})


def can_edit_reviews(member: Membership) -> bool:
    return member.role in EDITOR_ROLES


def reviews_for(member: Membership) -> QuerySet[DataReview]:
    """District reviews for district staff; a site admin sees only their own schools' reviews;
    school staff none."""
    if member.is_school_staff:
        return DataReview.objects.none()
    reviews = DataReview.objects.filter(district=member.district)
    if member.is_site_admin:
        reviews = reviews.filter(school__in=member.schools.all())
    return reviews


def get_review_for_user(member: Membership, pk: object, *, write: bool = False) -> DataReview:
    return get_scoped_or_404(
        reviews_for(member).select_related("school", "facilitator", "district"),
        pk,
        member,
        write=write,
        can_write=lambda m, _r: can_edit_reviews(m),
    )


def problems_for(member: Membership) -> QuerySet[ProblemStatement]:
    if member.is_school_staff:
        return ProblemStatement.objects.none()
    problems = ProblemStatement.objects.filter(district=member.district)
    if member.is_site_admin:
        problems = problems.filter(school__in=member.schools.all())
    return problems


def get_problem_for_user(member: Membership, pk: object, *, write: bool = False) -> ProblemStatement:
    return get_scoped_or_404(
        problems_for(member).select_related("school", "review", "resolved_review"),
        pk,
        member,
        write=write,
        can_write=lambda m, _p: can_edit_reviews(m),
    )


def review_list(
    member: Membership,
    *,
    school_id: int | None = None,
    district_only: bool = False,
    held_from: date | None = None,
    held_to: date | None = None,
) -> QuerySet[DataReview]:
    reviews = reviews_for(member).select_related("school", "facilitator")
    if district_only:
        reviews = reviews.filter(school__isnull=True)
    elif school_id is not None:
        reviews = reviews.filter(school_id=school_id)
    if held_from is not None:
        reviews = reviews.filter(held_on__gte=held_from)
    if held_to is not None:
        reviews = reviews.filter(held_on__lte=held_to)
    return reviews.annotate(
        problem_count=Count("problems", distinct=True),
        open_problem_count=Count(
            "problems", filter=Q(problems__status=ProblemStatement.Status.OPEN), distinct=True
        ),
        action_count=Count("actions", distinct=True),
    ).order_by("-held_on", "-id")


def _problem_prefetches() -> list[Prefetch]:
    return [
        Prefetch("factors"),
        Prefetch(
            "actions",
            queryset=SolutionAction.objects.select_related("owner", "action_item", "review").order_by(
                "due_date", "id"
            ),
        ),
        Prefetch(
            "checks", queryset=ProblemCheck.objects.select_related("review").order_by("review__held_on")
        ),
    ]


def earlier_problems_in_scope(review: DataReview) -> QuerySet[ProblemStatement]:
    """Problems raised at earlier reviews of the same scope that this review follows up.

    Open ones carry forward until resolved; one checked or resolved at this review stays on it.
    """
    return (
        ProblemStatement.objects.filter(district_id=review.district_id, school=review.school_id)
        .exclude(review=review)
        .filter(review__held_on__lte=review.held_on)
        .filter(Q(status=ProblemStatement.Status.OPEN) | Q(checks__review=review) | Q(resolved_review=review))
        .distinct()
        .select_related("review")
        .prefetch_related(*_problem_prefetches())
        .order_by("review__held_on", "id")
    )


def review_problems(review: DataReview) -> QuerySet[ProblemStatement]:
    """Problems raised at this review, with their factors, actions and checks."""
    return review.problems.select_related("review").prefetch_related(*_problem_prefetches()).order_by("id")


def problem_history(problem: ProblemStatement) -> list[ProblemCheck]:
    return list(problem.checks.select_related("review", "recorded_by").order_by("review__held_on", "id"))


def action_owners(district_id: int) -> QuerySet[User]:
    """People who may own a solution action: the district team and site admins."""
    return district_people(district_id)


def dashboard_windows(review: DataReview) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The subjects and windows (oldest first) the review's school or district dashboard has."""
    rows, _schools = score_selectors.review_snapshots(district=review.district, school=review.school)
    frame = dashboards.snapshot_frame(rows)
    _subject, subjects = dashboards.choose_subject(None, frame)
    periods = dashboards.periods_in(frame)
    return (
        [(s, subject_label(s)) for s in subjects],
        [(dashboards.period_key(p), period_label(*p)) for p in periods],
    )
