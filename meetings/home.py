"""Home panels: the person's open action items; for coordinators, the next DIT meeting too;
for a site admin, the open action items of the school their home shows."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from coordinators.home import home_school
from coordinators.models import Membership, School
from coordinators.selectors import school_open_action_items
from meetings.selectors import my_action_items, next_dit_meeting, open_action_item_counts
from mtss.access import MemberRequest
from mtss.navigation import HomePanel

HOME_ACTION_ITEM_LIMIT = 8


def home_panels(request: MemberRequest) -> list[HomePanel]:
    member = request.membership
    if member.is_school_staff:
        # Meetings and action items are the district team's and principals' work (mtss/access.py).
        return []
    items = list(my_action_items(member)[: HOME_ACTION_ITEM_LIMIT + 1])
    panels = [
        HomePanel(
            title="Your action items",
            template="meetings/_home_action_items.html",
            context={
                "items": items[:HOME_ACTION_ITEM_LIMIT],
                "more": len(items) > HOME_ACTION_ITEM_LIMIT,
                "today": timezone.localdate(),
            },
            order=20,
            empty="" if items else "No open action items.",
        )
    ]
    school = home_school(request)
    if school is not None:
        panels.append(_school_items_panel(member, school))
    if member.is_coordinator:
        today = timezone.localdate(timezone=member.district.tz)
        meeting = next_dit_meeting(member, now=timezone.now())
        counts = open_action_item_counts(member, today=today)
        panels.append(
            HomePanel(
                title="Next DIT meeting",
                template="meetings/_home_next_meeting.html",
                context={"meeting": meeting, "counts": counts},
                order=5,
                empty="" if meeting or counts["open"] else "No DIT meeting is scheduled.",
            )
        )
    return panels


def _school_items_panel(member: Membership, school: School) -> HomePanel:
    today = timezone.localdate(timezone=member.district.tz)
    open_items = school_open_action_items(member, school)
    counts = open_items.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due_date__lt=today)),
        mine_overdue=Count("id", filter=Q(due_date__lt=today, owner_id=member.user_id)),
    )
    return HomePanel(
        title=f"Open action items at {school.name}",
        template="meetings/_home_school_items.html",
        context={
            "school": school,
            "items": list(open_items[:HOME_ACTION_ITEM_LIMIT]),
            "counts": counts,
            "today": today,
        },
        order=2,
    )
