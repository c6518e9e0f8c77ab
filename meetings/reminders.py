"""Open action items with due dates, for the reminder sweep."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse

from meetings.models import ActionItem, ActionItemChange
from mtss.notifications.reminders import DueItem


def action_item_key(pk: int) -> str:
    """The start of every reminder key about one action item."""
    return f"action-item:{pk}"


def due_date_key(pk: int, due: date, *, moved: bool) -> str:
    """The reminders' key for one due date of an action item.

    An item whose due date was never moved keeps the key it always had. Once its date has been moved,
    the key names the date, so the new date gets its own due-soon and overdue reminders (the notices
    about the old date are settled when the date moves) and a date is still reminded of only once.
    """
    key = action_item_key(pk)
    return f"{key}:moved-to-{due.isoformat()}" if moved else key


def open_action_items(*, due_on_or_before: date) -> Iterator[DueItem]:
    moved = ActionItemChange.objects.filter(item=OuterRef("pk"), field=ActionItemChange.Field.DUE_DATE)
    rows = (
        ActionItem.objects.filter(
            status=ActionItem.Status.OPEN, due_date__isnull=False, due_date__lte=due_on_or_before
        )
        .annotate(moved=Exists(moved))
        .values_list("id", "district_id", "title", "owner_id", "due_date", "moved")
    )
    for pk, district_id, title, owner_id, due, was_moved in rows.iterator():
        if due is None:  # the filter leaves these out; the check is for the type checker
            continue
        yield DueItem(
            district_id=district_id,
            key=due_date_key(pk, due, moved=was_moved),
            kind_label="Action item",
            title=title,
            owner_id=owner_id,
            due_date=due,
            url=reverse("action_item_detail", args=[pk]),
        )


DUE_ITEM_SOURCES = [open_action_items]
