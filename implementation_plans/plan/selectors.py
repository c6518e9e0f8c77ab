"""Reads for the plan, capacity assessments, barriers, initiatives and practices, scoped to the member.

Who may do what:
- coordinators read and change everything in their district;
- executive leaders and DIT members read everything district-wide; leaders decide escalated barriers;
  a DIT member adds progress updates to the activities they own;
- site admins read the practice library and their own schools' Tiered Fidelity Inventories, nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from coordinators.models import Membership
from implementation_plans.models import (
    AssessmentItem,
    Barrier,
    CapacityAssessment,
    CommunicationProtocol,
    Initiative,
    PlanActivity,
    PlanGoal,
    Practice,
    PracticeFile,
    ProgressUpdate,
)
from mtss.access import get_scoped_or_404

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class AssessmentTotals(TypedDict):
    """What `assessments_for` adds to each administration: its items, those scored, their points."""

    item_count: int
    scored: int
    points: int


type ScoredAssessment = WithAnnotations[CapacityAssessment, AssessmentTotals]


def district_today(member: Membership) -> date:
    return timezone.now().astimezone(member.district.tz).date()


def _coordinator(member: Membership, _obj: object = None) -> bool:
    return member.is_coordinator


# --- Plan ---------------------------------------------------------------------------------------


def goals_for(member: Membership) -> QuerySet[PlanGoal]:
    if not member.sees_whole_district:
        return PlanGoal.objects.none()
    return PlanGoal.objects.filter(district=member.district)


def get_goal_for_user(member: Membership, pk: object, *, write: bool = False) -> PlanGoal:
    return get_scoped_or_404(goals_for(member), pk, member, write=write, can_write=_coordinator)


def _activities_with_progress(member: Membership) -> QuerySet[PlanActivity]:
    """The district's activities, each with its highest percent complete."""
    if not member.sees_whole_district:
        return PlanActivity.objects.none()
    # A correlated subquery, not Max() over a join: the aggregate would GROUP BY every selected
    # table and cost more than the rest of the page.
    return PlanActivity.objects.filter(district=member.district).annotate(
        percent=Subquery(
            ProgressUpdate.objects.filter(activity=OuterRef("pk"))
            .order_by("-percent_complete")
            .values("percent_complete")[:1]
        )
    )


def activities_for(member: Membership) -> QuerySet[PlanActivity]:
    """Activities with everything an activity page links to."""
    return _activities_with_progress(member).select_related(
        "goal", "owner", "practice", "capacity_item__assessment", "barrier", "problem_statement"
    )


def get_activity_for_user(member: Membership, pk: object, *, write: bool = False) -> PlanActivity:
    return get_scoped_or_404(activities_for(member), pk, member, write=write, can_write=_coordinator)


def can_add_progress(member: Membership, activity: PlanActivity) -> bool:
    return member.is_coordinator or (member.is_member and activity.owner_id == member.user_id)


def get_activity_for_progress(member: Membership, pk: object) -> PlanActivity:
    return get_scoped_or_404(activities_for(member), pk, member, write=True, can_write=can_add_progress)


def progress_history(activity: PlanActivity) -> QuerySet[ProgressUpdate]:
    return activity.updates.select_related("author")


@dataclass
class PlanFilters:
    owner: int | None = None
    status: str = ""
    overdue: bool = False


def filtered_activities(member: Membership, filters: PlanFilters, today: date) -> QuerySet[PlanActivity]:
    # The plan table shows only the owner and the practice; every extra join costs planning time.
    activities = _activities_with_progress(member).select_related("owner", "practice")
    if filters.owner:
        activities = activities.filter(owner_id=filters.owner)
    if filters.status:
        activities = activities.filter(status=filters.status)
    if filters.overdue:
        activities = activities.filter(status__in=PlanActivity.OPEN_STATUSES, due_date__lt=today)
    return activities


@dataclass
class GoalGroup:
    goal: PlanGoal
    activities: list[PlanActivity] = field(default_factory=list)


def group_by_goal(member: Membership, activities: QuerySet[PlanActivity]) -> list[GoalGroup]:
    groups = {goal.pk: GoalGroup(goal) for goal in goals_for(member)}
    for activity in activities:
        groups[activity.goal_id].activities.append(activity)
    return list(groups.values())


def is_overdue(activity: PlanActivity, today: date) -> bool:
    return activity.is_open and activity.due_date < today


def timeline_payload(activities: Iterable[PlanActivity], today: date) -> dict[str, Any]:
    """What the timeline chart draws: one bar per activity, today's date, overdue ones marked."""
    rows = []
    for activity in activities:
        rows.append(
            {
                "id": activity.pk,
                "title": activity.title,
                "goal": activity.goal.title,
                "owner": activity.owner.get_full_name() if activity.owner else "",
                "start": activity.start_date.isoformat(),
                "due": activity.due_date.isoformat(),
                "due_label": activity.due_date.strftime("%b %-d, %Y"),
                "status": activity.get_status_display(),
                "on_track": activity.on_track,
                "overdue": is_overdue(activity, today),
            }
        )
    return {"today": today.isoformat(), "activities": rows}


def open_activities_owned_by(member: Membership) -> QuerySet[PlanActivity]:
    return (
        activities_for(member)
        .filter(owner_id=member.user_id, status__in=PlanActivity.OPEN_STATUSES)
        .order_by("due_date", "id")
    )


def overdue_activities(member: Membership, today: date) -> QuerySet[PlanActivity]:
    return (
        activities_for(member)
        .filter(status__in=PlanActivity.OPEN_STATUSES, due_date__lt=today)
        .order_by("due_date", "id")
    )


# --- Capacity assessments -----------------------------------------------------------------------


def assessments_for(member: Membership) -> QuerySet[ScoredAssessment]:
    """The district's assessments; a site admin sees their schools' fidelity inventories only;
    school staff none."""
    if member.is_school_staff:
        return CapacityAssessment.objects.none()  # type: ignore[return-value]
    assessments = CapacityAssessment.objects.filter(district=member.district)
    if member.is_site_admin:
        assessments = assessments.filter(
            instrument=CapacityAssessment.Instrument.TFI, school__site_admins=member
        )
    return assessments.select_related("school", "facilitator").annotate(
        item_count=Count("items"),
        scored=Count("items", filter=Q(items__score__isnull=False)),
        points=Coalesce(Sum("items__score"), Value(0)),
    )


def with_percents(assessments: list[ScoredAssessment]) -> list[tuple[ScoredAssessment, int | None]]:
    """Each administration with its total percentage, for the tables that list them."""
    return [(a, percent(a.points, a.scored)) for a in assessments]


def get_assessment_for_user(member: Membership, pk: object, *, write: bool = False) -> ScoredAssessment:
    return get_scoped_or_404(assessments_for(member), pk, member, write=write, can_write=_coordinator)


def get_item_for_user(member: Membership, pk: object, *, write: bool = False) -> AssessmentItem:
    items = AssessmentItem.objects.filter(assessment__in=assessments_for(member).values("pk")).select_related(
        "assessment"
    )
    return get_scoped_or_404(items, pk, member, write=write, can_write=_coordinator)


def percent(points: int, scored_items: int) -> int | None:
    if not scored_items:
        return None
    return round(100 * points / (2 * scored_items))


@dataclass
class Subscale:
    name: str
    points: int
    scored: int

    @property
    def percent(self) -> int | None:
        return percent(self.points, self.scored)


def subscales(items: list[AssessmentItem]) -> list[Subscale]:
    found: dict[str, Subscale] = {}
    for item in items:
        entry = found.setdefault(item.subscale, Subscale(item.subscale, 0, 0))
        if item.score is not None:
            entry.points += item.score
            entry.scored += 1
    return list(found.values())


def trend(assessments: list[ScoredAssessment]) -> list[dict[str, Any]]:
    """Total percentage of each administration, oldest first, for the trend chart and its table."""
    return [
        {
            "label": f"{a.get_window_display()} {a.administered_on:%b %Y}",
            "date": a.administered_on.isoformat(),
            "percent": percent(a.points, a.scored),
            "target": a.target,
            "series": a.school.name if a.school is not None else "District",
        }
        for a in sorted(assessments, key=lambda a: (a.administered_on, a.pk))
    ]


# --- Barriers and communication -----------------------------------------------------------------


def barriers_for(member: Membership) -> QuerySet[Barrier]:
    if not member.sees_whole_district:
        return Barrier.objects.none()
    return Barrier.objects.filter(district=member.district).select_related(
        "raised_by", "school", "escalated_by", "decided_by"
    )


def get_barrier_for_user(member: Membership, pk: object, *, write: bool = False) -> Barrier:
    return get_scoped_or_404(barriers_for(member), pk, member, write=write, can_write=_coordinator)


def can_decide(member: Membership, barrier: Barrier) -> bool:
    return member.is_leader and barrier.status == Barrier.Status.ESCALATED


def get_barrier_to_decide(member: Membership, pk: object) -> Barrier:
    return get_scoped_or_404(barriers_for(member), pk, member, write=True, can_write=can_decide)


def escalated_barriers(member: Membership) -> QuerySet[Barrier]:
    return barriers_for(member).filter(status=Barrier.Status.ESCALATED).order_by("escalated_on", "id")


def protocols_for(member: Membership) -> QuerySet[CommunicationProtocol]:
    if not member.sees_whole_district:
        return CommunicationProtocol.objects.none()
    return CommunicationProtocol.objects.filter(district=member.district).select_related("designee")


# --- Initiatives --------------------------------------------------------------------------------


def initiatives_for(member: Membership) -> QuerySet[Initiative]:
    if not member.sees_whole_district:
        return Initiative.objects.none()
    return Initiative.objects.filter(district=member.district).select_related("goal")


def get_initiative_for_user(member: Membership, pk: object, *, write: bool = False) -> Initiative:
    return get_scoped_or_404(initiatives_for(member), pk, member, write=write, can_write=_coordinator)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def overlaps(initiatives: list[Initiative]) -> dict[int, list[tuple[Initiative, str]]]:
    """For each initiative, the others it overlaps and why.

    Two initiatives overlap when they share outcome measure and target group, or when most of the
    staff of the smaller one also work on the other.
    """
    found: dict[int, list[tuple[Initiative, str]]] = defaultdict(list)
    live = [i for i in initiatives if i.decision != Initiative.Decision.DROP]
    for n, a in enumerate(live):
        for b in live[n + 1 :]:
            reason = ""
            if (
                a.outcome_measure
                and a.target_group
                and _norm(a.outcome_measure) == _norm(b.outcome_measure)
                and _norm(a.target_group) == _norm(b.target_group)
            ):
                reason = "Same outcome measure and target group"
            else:
                sa, sb = a.staff_set, b.staff_set
                smaller = min(len(sa), len(sb))
                if smaller and len(sa & sb) * 2 > smaller:
                    reason = "Most staff shared"
            if reason:
                found[a.pk].append((b, reason))
                found[b.pk].append((a, reason))
    return found


# --- Practices ----------------------------------------------------------------------------------


def practices_for(member: Membership) -> QuerySet[Practice]:
    """The district's practice library; not open to school staff yet (mtss/access.py)."""
    if member.is_school_staff:
        return Practice.objects.none()
    return Practice.objects.filter(district=member.district)


def get_practice_for_user(member: Membership, pk: object, *, write: bool = False) -> Practice:
    return get_scoped_or_404(practices_for(member), pk, member, write=write, can_write=_coordinator)


def practice_files_for(member: Membership) -> QuerySet[PracticeFile]:
    if member.is_school_staff:
        return PracticeFile.objects.none()
    return PracticeFile.objects.filter(practice__district=member.district).select_related("practice")


def get_practice_file_for_user(member: Membership, pk: object, *, write: bool = False) -> PracticeFile:
    return get_scoped_or_404(practice_files_for(member), pk, member, write=write, can_write=_coordinator)


PRACTICE_DOMAINS = {"academic": "academic", "behaviour": "behaviour", "sel": "sel"}
PRACTICE_TIERS = {"1": "tier1", "2": "tier2", "3": "tier3"}


def search_practices(
    member: Membership, *, text: str = "", domain: str = "", tier: str = "", grouping: str = ""
) -> QuerySet[Practice]:
    practices = practices_for(member)
    if text:
        practices = practices.filter(Q(name__icontains=text) | Q(description__icontains=text))
    if domain in PRACTICE_DOMAINS:
        practices = practices.filter(**{PRACTICE_DOMAINS[domain]: True})
    if tier in PRACTICE_TIERS:
        practices = practices.filter(**{PRACTICE_TIERS[tier]: True})
    if grouping:
        practices = practices.filter(grouping=grouping)
    return practices
