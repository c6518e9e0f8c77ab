"""Home panels: my plan activities; escalated barriers and overdue activities (leaders, coordinators)."""

from __future__ import annotations

from implementation_plans.plan import selectors
from mtss.access import MemberRequest
from mtss.navigation import HomePanel

PANEL_LIMIT = 8


def home_panels(request: MemberRequest) -> list[HomePanel]:
    member = request.membership
    if not member.sees_whole_district:
        return []
    today = selectors.district_today(member)
    panels = []
    mine = list(selectors.open_activities_owned_by(member)[:PANEL_LIMIT])
    if mine or member.is_member:
        panels.append(
            HomePanel(
                title="My plan activities",
                template="implementation_plans/plan/_home_activities.html",
                context={
                    "activities": mine,
                    "overdue": {a.pk for a in mine if selectors.is_overdue(a, today)},
                },
                order=20,
                empty="" if mine else "No plan activities of yours are open.",
            )
        )
    if member.is_leader or member.is_coordinator:
        escalated = list(selectors.escalated_barriers(member)[:PANEL_LIMIT])
        panels.append(
            HomePanel(
                title="Escalated barriers",
                template="implementation_plans/plan/_home_barriers.html",
                context={"barriers": escalated},
                order=15 if member.is_leader else 40,
                empty="" if escalated else "No barrier is waiting for a decision.",
            )
        )
    if member.is_coordinator or member.is_leader:
        overdue = list(selectors.overdue_activities(member, today)[:PANEL_LIMIT])
        panels.append(
            HomePanel(
                title="Overdue plan activities",
                template="implementation_plans/plan/_home_overdue.html",
                context={"activities": overdue, "today": today},
                order=16 if member.is_leader else 25,
                empty="" if overdue else "Nothing in the plan is overdue.",
            )
        )
    return panels
