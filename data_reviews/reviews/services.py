"""Writes for data reviews: each operation is one transaction, notifications inside it."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse

from coordinators.models import Membership, School, User
from data_reviews.models import (
    ContributingFactor,
    DataReview,
    DataSource,
    ProblemCheck,
    ProblemStatement,
    SolutionAction,
    Success,
)
from data_reviews.scores import dashboards
from data_reviews.scores import selectors as score_selectors
from meetings.services import action_item_create
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record
from mtss.notifications.kinds import Kind
from mtss.notifications.services import notify


class ProblemNotInReview(Exception):
    """The problem is neither raised at nor carried forward to that review."""


def review_create(
    *,
    member: Membership,
    school: School | None,
    title: str,
    held_on: date,
    facilitator: User | None,
    meeting_label: str = "",
    meeting_url: str = "",
    notes: str = "",
) -> DataReview:
    district = member.district
    if school is not None and school.district_id != district.pk:
        raise ValueError("The school is not in this district.")
    with transaction.atomic():
        review = DataReview.objects.create(
            district=district,
            school=school,
            title=title,
            held_on=held_on,
            facilitator=facilitator,
            meeting_label=meeting_label,
            meeting_url=meeting_url,
            notes=notes,
            created_by=member.user,
        )
        audit_record(
            action=AuditAction.CREATE_DATA_REVIEW, actor=member.user, district=district, target=review
        )
    return review


def review_update(*, review: DataReview, **fields: object) -> DataReview:
    allowed = {"title", "held_on", "facilitator", "meeting_label", "meeting_url", "notes"}
    with transaction.atomic():
        for name, value in fields.items():
            if name not in allowed:
                raise TypeError(f"{name} cannot be changed here.")
            setattr(review, name, value)
        review.save()
    return review


def source_add(*, review: DataReview, title: str, link: str, as_of: date, summary: str) -> DataSource:
    with transaction.atomic():
        position = review.sources.count()
        return DataSource.objects.create(
            review=review, title=title, link=link, as_of=as_of, summary=summary, position=position
        )


def source_from_dashboard(
    *, review: DataReview, subject: str | None, period: str | None, today: date
) -> DataSource:
    """Add the dashboard of the reviewed school (or district) for one window as a source.

    The text is written from the same snapshot rows and code as the dashboard and stored with
    the review, so the review keeps what the team saw even after later imports change the
    dashboard. Without a window, the newest with results.
    """
    snapshot_rows, schools = score_selectors.review_snapshots(district=review.district, school=review.school)
    if review.school is not None:
        context = dashboards.school_dashboard(
            school_name=review.school.name,
            snapshot_rows=snapshot_rows,
            measure_rows=[],
            subject=subject,
            period=period,
            today=today,
            min_group_size=review.district.min_group_size,
        )
        link = reverse("score_school_dashboard", args=[review.school_id])
        place = review.school.name
    else:
        context = dashboards.district_dashboard(
            district_name=review.district.name,
            snapshot_rows=snapshot_rows,
            measure_rows=[],
            schools=schools,
            school_url=lambda pk: reverse("score_school_dashboard", args=[pk]),
            subject=subject,
            period=period,
            sort=None,
            today=today,
        )
        link = reverse("score_district_dashboard")
        place = review.district.name
    if context["period"] is None:
        raise ValueError("The dashboard has no screening results to add yet.")
    title, summary = dashboards.review_source_text(context, place=place)
    link += f"?subject={context['subject']}&period={context['period_value']}"
    return source_add(review=review, title=title, link=link, as_of=today, summary=summary)


def success_add(*, review: DataReview, text: str) -> Success:
    with transaction.atomic():
        return Success.objects.create(review=review, text=text, position=review.successes.count())


def problem_create(
    *,
    review: DataReview,
    what: str,
    who: str,
    how_often: str,
    goal: str,
    where: str = "",
    when: str = "",
    goal_target: str = "",
    goal_date: date | None = None,
    factors: list[str] | None = None,
) -> ProblemStatement:
    with transaction.atomic():
        problem = ProblemStatement.objects.create(
            district_id=review.district_id,
            school_id=review.school_id,
            review=review,
            what=what,
            who=who,
            where=where,
            when=when,
            how_often=how_often,
            goal=goal,
            goal_target=goal_target,
            goal_date=goal_date,
        )
        factors_set(problem=problem, factors=factors or [])
    return problem


def problem_update(*, problem: ProblemStatement, factors: list[str], **fields: object) -> ProblemStatement:
    allowed = {"what", "who", "where", "when", "how_often", "goal", "goal_target", "goal_date"}
    with transaction.atomic():
        for name, value in fields.items():
            if name not in allowed:
                raise TypeError(f"{name} cannot be changed here.")
            setattr(problem, name, value)
        problem.save()
        factors_set(problem=problem, factors=factors)
    return problem


def factors_set(*, problem: ProblemStatement, factors: list[str]) -> None:
    """Replace the contributing factors with `factors` (blank lines dropped), in order."""
    cleaned = [text.strip() for text in factors if text.strip()]
    problem.factors.all().delete()
    ContributingFactor.objects.bulk_create(
        ContributingFactor(problem=problem, text=text[:500], position=i) for i, text in enumerate(cleaned)
    )


def _source_label(review: DataReview) -> str:
    return f"Data review: {review.title}, {review.scope_name}"[:300]


def action_create(
    *,
    member: Membership,
    review: DataReview,
    problem: ProblemStatement,
    description: str,
    owner: User | None,
    due_date: date | None,
) -> SolutionAction:
    """Add a solution action to the plan, track it as an action item and tell its owner."""
    if problem.district_id != review.district_id:
        raise ProblemNotInReview("The problem belongs to another district.")
    url = reverse("review_detail", args=[review.pk])
    with transaction.atomic():
        item = action_item_create(
            district=review.district,
            title=description,
            owner=owner,
            due_date=due_date,
            member=member,
            details=f"Problem: {problem.what} ({problem.who})",
            source_label=_source_label(review),
            source_url=url,
        )
        action = SolutionAction.objects.create(
            problem=problem,
            review=review,
            description=description,
            owner=owner,
            due_date=due_date,
            action_item=item,
        )
        if owner is not None and owner.pk != member.user_id:
            due = f" by {due_date:%B} {due_date.day}" if due_date else ""
            notify(
                district=review.district,
                recipients=[owner],
                kind=Kind.ASSIGNED,
                subject=f"New action for you{due}: {description}",
                body=f"{member.user.get_full_name()} assigned you an action at {_source_label(review)}.",
                url=url,
                key=f"review-action:{action.pk}:assigned",
            )
    return action


def check_record(
    *,
    member: Membership,
    review: DataReview,
    problem: ProblemStatement,
    fidelity: str,
    effectiveness: str,
    next_step: str,
    current_rate: str = "",
    notes: str = "",
    resolve: bool = False,
) -> ProblemCheck:
    """Record (or correct) this review's check of a problem raised earlier; resolve it if asked."""
    if problem.district_id != review.district_id or problem.school_id != review.school_id:
        raise ProblemNotInReview("That problem does not belong to this review's school or district.")
    if problem.review_id == review.pk or problem.review.held_on > review.held_on:
        raise ProblemNotInReview("A problem is checked at a later review than the one that raised it.")
    with transaction.atomic():
        check, _created = ProblemCheck.objects.update_or_create(
            problem=problem,
            review=review,
            defaults={
                "fidelity": fidelity,
                "effectiveness": effectiveness,
                "next_step": next_step,
                "current_rate": current_rate,
                "notes": notes,
                "recorded_by": member.user,
            },
        )
        if resolve:
            problem.status = ProblemStatement.Status.RESOLVED
            problem.resolved_on = review.held_on
            problem.resolved_review = review
        elif problem.resolved_review_id == review.pk:
            problem.status = ProblemStatement.Status.OPEN
            problem.resolved_on = None
            problem.resolved_review = None
        problem.save(update_fields=["status", "resolved_on", "resolved_review"])
    return check
