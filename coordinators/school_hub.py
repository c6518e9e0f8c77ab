"""What a school's page gathers from every app: its dashboard, fidelity inventories, data reviews,
the barriers and plan activities that name it, its open action items and its people.

Each list comes through its own app's selector for the member, so the school page shows only
what the viewer may see elsewhere (a site admin gets no barriers or plan activities).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from coordinators.models import Membership, School
from coordinators.selectors import school_open_action_items, school_people
from data_reviews.models import ProblemStatement
from data_reviews.reviews.selectors import problems_for, reviews_for
from data_reviews.scores import dashboards
from data_reviews.scores import selectors as score_selectors
from implementation_plans.models import Barrier, CapacityAssessment, PlanActivity
from implementation_plans.plan import selectors as plan_selectors

HUB_LIST_LIMIT = 5


def school_dashboard_snapshot(school: School) -> dict[str, Any]:
    """The school dashboard as it opens (newest window), cached under the dashboard page's own key."""
    snapshot_rows = score_selectors.school_snapshots(school)
    measure_rows = score_selectors.school_measures(school)
    today = timezone.localdate()
    context = dashboards.cached(
        ("school", school.pk, school.name, None, None, today, snapshot_rows, measure_rows),
        lambda: dashboards.school_dashboard(
            school_name=school.name,
            snapshot_rows=snapshot_rows,
            measure_rows=measure_rows,
            subject=None,
            period=None,
            today=today,
        ),
    )
    triangle = next((t for t in context["tables"] if t.key == "triangle"), None)
    return {"school": school, "dash": context, "triangle": triangle}


def _limited(queryset: Any) -> tuple[list[Any], bool]:
    rows = list(queryset[: HUB_LIST_LIMIT + 1])
    return rows[:HUB_LIST_LIMIT], len(rows) > HUB_LIST_LIMIT


def school_hub(member: Membership, school: School) -> dict[str, Any]:
    today = plan_selectors.district_today(member)
    inventories = list(
        plan_selectors.assessments_for(member)
        .filter(instrument=CapacityAssessment.Instrument.TFI, school=school)
        .order_by("-administered_on", "-id")[:HUB_LIST_LIMIT]
    )
    reviews, more_reviews = _limited(reviews_for(member).filter(school=school).order_by("-held_on", "-id"))
    open_problems = problems_for(member).filter(school=school, status=ProblemStatement.Status.OPEN).count()
    barriers, more_barriers = _limited(
        plan_selectors.barriers_for(member)
        .filter(school=school)
        .exclude(status=Barrier.Status.RESOLVED)
        .order_by("-raised_on", "-id")
    )
    activities, more_activities = _limited(
        plan_selectors.activities_for(member)
        .filter(
            Q(capacity_item__assessment__school=school)
            | Q(barrier__school=school)
            | Q(problem_statement__school=school)
        )
        .filter(status__in=PlanActivity.OPEN_STATUSES)
        .order_by("due_date", "id")
    )
    for activity in activities:
        activity.overdue = plan_selectors.is_overdue(activity, today)
    items, more_items = _limited(school_open_action_items(member, school))
    return {
        "snapshot": school_dashboard_snapshot(school),
        "inventories": plan_selectors.with_percents(inventories),
        "reviews": reviews,
        "more_reviews": more_reviews,
        "open_problems": open_problems,
        "barriers": barriers,
        "more_barriers": more_barriers,
        "sees_plan": member.sees_whole_district,
        "activities": activities,
        "more_activities": more_activities,
        "action_items": items,
        "more_action_items": more_items,
        "site_admins": list(school_people(school)),
        "today": today,
    }
