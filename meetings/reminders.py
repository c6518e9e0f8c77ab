"""Open action items with due dates, for the reminder sweep."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.urls import reverse

from meetings.models import ActionItem
from mtss.notifications.reminders import DueItem


def action_item_key(pk: int) -> str:
    """The start of every reminder key about one action item."""
    return f"action-item:{pk}"


def open_action_items(*, due_on_or_before: date) -> Iterator[DueItem]:
    rows = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, due_date__isnull=False, due_date__lte=due_on_or_before
    ).values_list("id", "district_id", "title", "owner_id", "due_date")
    for pk, district_id, title, owner_id, due in rows.iterator():
        yield DueItem(
            district_id=district_id,
            key=action_item_key(pk),
            kind_label="Action item",
            title=title,
            owner_id=owner_id,
            due_date=due,
            url=reverse("action_item_detail", args=[pk]),
        )


DUE_ITEM_SOURCES = [open_action_items]
