"""Reads for one action item's page: the item in the reader's scope, its thread and its history."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from coordinators.models import Membership
from meetings.models import ActionItem, ActionItemChange, ActionItemComment
from mtss.access import get_scoped_or_404

DISTRICT_LIST_LIMIT = 200


def action_items_in_view(member: Membership) -> QuerySet[ActionItem]:
    """The district's action items; a site admin sees their own and those of their schools' data reviews.

    This is the scope the meeting page's "Review of action items" uses for a site admin. School
    staff see none.
    """
    if member.is_school_staff:
        return ActionItem.objects.none()
    items = ActionItem.objects.filter(district=member.district)
    if member.is_site_admin:
        items = items.filter(
            Q(owner_id=member.user_id) | Q(solution_action__review__school__in=member.schools.all())
        )
    return items.select_related("district", "owner", "created_by", "meeting")


def may_change(member: Membership, item: ActionItem) -> bool:
    """The coordinator and the item's owner may change an item (which fields: see `editable_fields`)."""
    return member.is_coordinator or item.owner_id == member.user_id


def get_action_item_page(member: Membership, pk: object, *, write: bool = False) -> ActionItem:
    return get_scoped_or_404(action_items_in_view(member), pk, member, write=write, can_write=may_change)


def action_item_comments(item: ActionItem) -> list[ActionItemComment]:
    return list(item.comments.select_related("author").order_by("created_at", "id"))


def action_item_history(item: ActionItem) -> list[ActionItemChange]:
    return list(item.changes.select_related("changed_by").order_by("changed_at", "id"))


def district_open_action_items(member: Membership) -> list[ActionItem]:
    """Every open item in view, soonest due first, for the coordinator's follow-up."""
    items = action_items_in_view(member).filter(status=ActionItem.Status.OPEN)
    return list(items.order_by("due_date", "id")[:DISTRICT_LIST_LIMIT])
