"""Changing an action item after the meeting: edits, Mark done and its undo, the comment thread.

Who may change what, as the item's page says: the coordinator changes every field; the owner moves
the due date. Both comment. Each change writes one history line per field (who, when, from, to), an
audit row, and tells the people concerned once, through the notification worker: the old and the new
owner, and the district's coordinators when an owner moved the date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Membership, User
from coordinators.selectors import coordinators_of, district_people
from meetings import services
from meetings.action_item_selectors import may_change
from meetings.models import ActionItem, ActionItemChange, ActionItemComment
from meetings.reminders import action_item_key
from mtss.access import deny
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record
from mtss.notifications.kinds import Kind
from mtss.notifications.services import notifications_resolve, notify

Field = ActionItemChange.Field
COORDINATOR_FIELDS = frozenset({Field.TITLE, Field.DETAILS, Field.OWNER, Field.DUE_DATE})
OWNER_FIELDS = frozenset({Field.DUE_DATE})
COMMENT_MAX_CHARS = 2000
# The same words from the same person this soon after are a second click, not a second comment.
COMMENT_REPEAT_WINDOW = timedelta(minutes=2)

CANCELLED_MESSAGE = (
    "This action item was cancelled when its line of the minutes was deleted; it no longer changes."
)


class ActionItemError(Exception):
    """The change cannot be made; the message says why, for the page."""


def editable_fields(member: Membership, item: ActionItem) -> frozenset[str]:
    if member.is_coordinator:
        return COORDINATOR_FIELDS
    if may_change(member, item):
        return OWNER_FIELDS
    return frozenset()


def person_words(person: User | None) -> str:
    return person.get_full_name() if person is not None else "Nobody"


def date_words(day: date | None) -> str:
    return f"{day:%b} {day.day}, {day.year}" if day is not None else "No date"


def _words(field: str, value: Any) -> str:
    if field == Field.OWNER:
        return person_words(value)
    if field == Field.DUE_DATE:
        return date_words(value)
    if field == Field.STATUS:
        return ActionItem.Status(value).label
    return value or ""


def _lock(item_id: int) -> ActionItem:
    """The item row, locked until the transaction ends: changes to one item take turns.

    Only the district is joined: a row that waited for the lock is read again on PostgreSQL, but
    the rows joined to it are not, so a joined owner could be the one from before the wait.
    """
    return ActionItem.objects.select_for_update(of=("self",)).select_related("district").get(pk=item_id)


def _lock_changeable(item_id: int) -> ActionItem:
    locked = _lock(item_id)
    if locked.status == ActionItem.Status.CANCELLED:
        raise ActionItemError(CANCELLED_MESSAGE)
    return locked


def _page(item: ActionItem) -> str:
    return reverse("action_item_detail", args=[item.pk])


def action_item_update(
    *, member: Membership, item: ActionItem, changes: dict[str, Any]
) -> list[ActionItemChange]:
    """Apply the fields in `changes` that differ from the item; return the history lines written.

    A repeated submission finds nothing different and writes, audits and notifies nothing.
    """
    refused = set(changes) - editable_fields(member, item)
    if refused:
        # Checked before the transaction so the refusal stays in the audit trail.
        deny(member, action=AuditAction.CHANGE_ACTION_ITEM, target=item, status=403)
    if Field.TITLE in changes and not str(changes[Field.TITLE]).strip():
        raise ActionItemError("Say what the action item is: it needs a title.")
    new_owner = changes.get(Field.OWNER)
    if Field.OWNER in changes and (
        new_owner is None or not district_people(item.district_id).filter(pk=new_owner.pk).exists()
    ):
        raise ActionItemError("Choose an owner who has a role in this district.")
    with transaction.atomic():
        locked = _lock_changeable(item.pk)
        old_owner = locked.owner
        lines = []
        for field in (Field.TITLE, Field.DETAILS, Field.OWNER, Field.DUE_DATE):
            if field not in changes:
                continue
            before, after = getattr(locked, field), changes[field]
            if isinstance(after, str):
                after = after.strip()
            if before == after:
                continue
            setattr(locked, field, after)
            lines.append(
                ActionItemChange(
                    item=locked,
                    changed_by=member.user,
                    field=field,
                    old_value=_words(field, before),
                    new_value=_words(field, after),
                )
            )
        if not lines:
            return []
        locked.save(update_fields=[*(line.field for line in lines), "updated_at"])
        ActionItemChange.objects.bulk_create(lines)
        changed = [line.field for line in lines]
        audit_record(
            action=AuditAction.CHANGE_ACTION_ITEM,
            actor=member.user,
            district=locked.district,
            target=locked,
            detail={"fields": changed},
        )
        if Field.DUE_DATE in changed:
            # "Due soon" and "Overdue" notices name the old date: they no longer hold.
            notifications_resolve(
                key_prefix=f"{action_item_key(locked.pk)}:",
                district=locked.district,
                kinds=[Kind.DUE_SOON, Kind.OVERDUE],
            )
        _tell_people_concerned(locked, member, old_owner=old_owner, lines=lines)
    item.refresh_from_db()
    return lines


def _tell_people_concerned(
    item: ActionItem, member: Membership, *, old_owner: User | None, lines: list[ActionItemChange]
) -> None:
    """A new owner or due date: tell the old and new owner, once each; when the owner moved the date,
    tell the coordinators too, who follow up on the district's action items.

    The person who made the change is not told about it.
    """
    moves = [line for line in lines if line.field in (Field.OWNER, Field.DUE_DATE)]
    if not moves:
        return
    # One key per change: a retried request or a second worker adds no second notice.
    key = f"{action_item_key(item.pk)}:change:{min(line.pk for line in lines)}"
    who = person_words(member.user)
    summary = " ".join(f"{m.get_field_display()}: {m.old_value} → {m.new_value}." for m in moves)
    owner_changed = any(m.field == Field.OWNER for m in moves)
    if owner_changed:
        general = f"Action item handed to {person_words(item.owner)}: {item.title}"
    else:
        general = f"New due date, {moves[0].new_value}: {item.title}"
    changed = f"{who} changed it. {summary}"
    people: list[tuple[User | None, str, str]] = [
        (
            item.owner if owner_changed else None,
            f"Action item assigned to you: {item.title}",
            f"{who} made you the owner. Due {date_words(item.due_date)}.",
        ),
        (old_owner, general, changed),
    ]
    if not member.is_coordinator:
        people += [(coordinator, general, changed) for coordinator in coordinators_of(item.district_id)]
    told = {member.user_id}
    for person, subject, body in people:
        if person is None or person.pk in told:
            continue
        told.add(person.pk)
        notify(
            district=item.district,
            recipients=[person],
            kind=Kind.ASSIGNED,
            subject=subject,
            body=body,
            url=_page(item),
            key=key,
        )


def action_item_mark(*, member: Membership, item: ActionItem, status: str) -> ActionItem:
    """Mark done, or undo it (open again); a repeated click changes nothing."""
    if status not in (ActionItem.Status.DONE, ActionItem.Status.OPEN):
        raise ActionItemError("An action item is either open or done.")
    with transaction.atomic():
        locked = _lock_changeable(item.pk)
        if locked.status == status:
            return locked
        before = locked.status
        # The one place that settles reminders and audits a status change.
        services.action_item_set_status(member=member, item=locked, status=status)
        ActionItemChange.objects.create(
            item=locked,
            changed_by=member.user,
            field=Field.STATUS,
            old_value=_words(Field.STATUS, before),
            new_value=_words(Field.STATUS, status),
        )
    item.status, item.completed_at = locked.status, locked.completed_at
    return locked


def action_item_comment_add(*, member: Membership, item: ActionItem, body: str) -> ActionItemComment:
    """Add to the item's thread; the same words again within a moment are the same comment."""
    if not may_change(member, item):
        deny(member, action=AuditAction.COMMENT_ON_ACTION_ITEM, target=item, status=403)
    text = body.strip()
    if not text:
        raise ActionItemError("Write a comment before posting it.")
    if len(text) > COMMENT_MAX_CHARS:
        raise ActionItemError(f"Keep a comment under {COMMENT_MAX_CHARS} characters.")
    with transaction.atomic():
        locked = _lock(item.pk)
        repeat = (
            locked.comments.filter(
                author=member.user, body=text, created_at__gte=timezone.now() - COMMENT_REPEAT_WINDOW
            )
            .order_by("-id")
            .first()
        )
        if repeat is not None:
            return repeat
        comment = ActionItemComment.objects.create(item=locked, author=member.user, body=text)
        audit_record(
            action=AuditAction.COMMENT_ON_ACTION_ITEM,
            actor=member.user,
            district=locked.district,
            target=locked,
        )
    return comment
