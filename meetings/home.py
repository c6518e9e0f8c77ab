"""Home panel: the person's open action items, whatever they came from."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from meetings.selectors import my_action_items
from mtss.navigation import HomePanel

HOME_ACTION_ITEM_LIMIT = 8


def home_panels(request: HttpRequest) -> list[HomePanel]:
    items = list(my_action_items(request.membership)[: HOME_ACTION_ITEM_LIMIT + 1])
    return [
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
