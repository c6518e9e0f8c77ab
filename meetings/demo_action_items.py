"""Follow-up on the demo's DIT action items: a moved due date, a new owner and a short thread.

Run after the meetings exist; safe to run twice (it does nothing once the district has comments).
"""

from __future__ import annotations

from datetime import timedelta

from coordinators.models import Membership, User
from meetings import action_items
from meetings.models import ActionItem, ActionItemComment
from mtss.demo import DemoContext


def _member(ctx: DemoContext, person: User) -> Membership:
    return Membership.objects.select_related("district").get(user=person, district=ctx.district)


def seed_action_item_follow_up(ctx: DemoContext) -> None:
    if ActionItemComment.objects.filter(item__district=ctx.district).exists():
        return
    overdue = list(
        ActionItem.objects.filter(
            district=ctx.district, status=ActionItem.Status.OPEN, due_date__lt=ctx.today, owner__isnull=False
        )
        .exclude(owner=ctx.coordinator)
        .order_by("-due_date", "id")[:2]
    )
    coordinator = _member(ctx, ctx.coordinator)
    moved = overdue[0] if overdue else None
    # The filter leaves out items without an owner; the check is for the type checker.
    if moved is not None and moved.owner is not None:
        owner = _member(ctx, moved.owner)
        action_items.action_item_comment_add(
            member=owner,
            item=moved,
            body="The screening window closed late at two schools; I need two more weeks for their data.",
        )
        action_items.action_item_update(
            member=owner, item=moved, changes={"due_date": ctx.today + timedelta(days=14)}
        )
        action_items.action_item_comment_add(
            member=coordinator, item=moved, body="Thanks. Bring what you have to the next DIT meeting."
        )
    if len(overdue) > 1 and overdue[1].owner_id != ctx.member.pk:
        handed = overdue[1]
        action_items.action_item_update(member=coordinator, item=handed, changes={"owner": ctx.member})
        action_items.action_item_comment_add(
            member=coordinator,
            item=handed,
            body="Moving this to you while the original owner is on leave; the date stays.",
        )
