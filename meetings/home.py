"""Home panels: the person's open action items; for coordinators, the next DIT meeting too."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from meetings.selectors import my_action_items, next_dit_meeting, open_action_item_counts
from mtss.navigation import HomePanel

HOME_ACTION_ITEM_LIMIT = 8


def home_panels(request: HttpRequest) -> list[HomePanel]:
    member = request.membership
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
        )
    ]
    if member.is_coordinator:
        today = timezone.localdate(timezone=member.district.tz)
        panels.append(
            HomePanel(
                title="Next DIT meeting",
                template="meetings/_home_next_meeting.html",
                context={
                    "meeting": next_dit_meeting(member, now=timezone.now()),
                    "counts": open_action_item_counts(member, today=today),
                },
                order=5,
            )
        )
    return panels
