"""Writes for meetings and action items."""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from coordinators.models import District, Membership, Role, User
from coordinators.selectors import district_people
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MinuteEntry,
    StandingItem,
)
from meetings.reminders import action_item_key
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record
from mtss.notifications.services import notifications_resolve

STANDING_MINUTES = {
    StandingItem.ACTION_ITEMS: 10,
    StandingItem.DATA_REVIEW: 20,
    StandingItem.PLAN_PROGRESS: 15,
    StandingItem.BARRIERS: 15,
    StandingItem.COMMUNICATION: 10,
    StandingItem.NEXT_MEETING: 5,
}


# What the audit trail records when an action item becomes open, done or cancelled.
STATUS_ACTIONS: dict[str, AuditAction] = {
    ActionItem.Status.OPEN: AuditAction.ACTION_ITEM_OPEN,
    ActionItem.Status.DONE: AuditAction.ACTION_ITEM_DONE,
    ActionItem.Status.CANCELLED: AuditAction.ACTION_ITEM_CANCELLED,
}


class MeetingStateError(Exception):
    """The meeting is not in a state that allows this change; the message says why, for the page."""


CLOSED_MESSAGE = (
    "This meeting is closed or cancelled: its agenda and minutes no longer change. "
    "A coordinator can reopen a closed meeting."
)


def _lock(meeting_id: int) -> Meeting:
    """The meeting row, locked until the transaction ends: changes to one meeting take turns."""
    return Meeting.objects.select_for_update().select_related("district").get(pk=meeting_id)


def _lock_open(meeting_id: int) -> Meeting:
    meeting = _lock(meeting_id)
    if not meeting.is_open:
        raise MeetingStateError(CLOSED_MESSAGE)
    return meeting


def action_item_create(
    *,
    district: District,
    member: Membership | None,
    title: str,
    owner: User | None,
    due_date: date | None,
    details: str = "",
    source_label: str = "",
    source_url: str = "",
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
) -> ActionItem:
    """member None: an item nobody in the district wrote (the demo's past assignments)."""
    with transaction.atomic():
        return ActionItem.objects.create(
            district=district,
            title=title,
            details=details,
            owner=owner,
            due_date=due_date,
            created_by=member.user if member is not None else None,
            source_label=source_label,
            source_url=source_url,
            meeting=meeting,
            agenda_item=agenda_item,
        )


def action_item_set_status(*, member: Membership, item: ActionItem, status: str) -> ActionItem:
    """Mark an item open, done or cancelled; once it is no longer open its reminders are settled."""
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().select_related("district").get(pk=item.pk)
        if locked.status == status:
            return locked  # a repeated click
        locked.status = status
        locked.completed_at = timezone.now() if status == ActionItem.Status.DONE else None
        locked.save(update_fields=["status", "completed_at", "updated_at"])
        if status != ActionItem.Status.OPEN:
            notifications_resolve(key_prefix=f"{action_item_key(locked.pk)}:", district=locked.district)
        audit_record(
            action=STATUS_ACTIONS[status], actor=member.user, district=locked.district, target=locked
        )
    item.status, item.completed_at = locked.status, locked.completed_at
    return locked


# Dates ---------------------------------------------------------------------------------------


def nth_weekday(year: int, month: int, weekday: int, week_of_month: int) -> date | None:
    """The n-th (1-4, or -1 for last) given weekday of a month."""
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    if week_of_month == -1:
        return days[-1]
    return days[week_of_month - 1] if 0 < week_of_month <= len(days) else None


def local_to_utc(day: date, at: time, tz: object) -> datetime:
    """Wall time in the district's zone on that day, as a UTC instant (so DST keeps the local time)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)  # type: ignore[arg-type]


def series_dates(series: MeetingSeries) -> list[date]:
    found = []
    year, month = series.first_date.year, series.first_date.month
    while (year, month) <= (series.last_date.year, series.last_date.month):
        day = nth_weekday(year, month, series.weekday, series.week_of_month)
        if day is not None and series.first_date <= day <= series.last_date:
            found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


# Meetings ------------------------------------------------------------------------------------


def _add_standing_items(meeting: Meeting) -> None:
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            title=item.label,
            standing=item.value,
            position=(i + 1) * 10,
            minutes_planned=STANDING_MINUTES[item],
        )
        for i, item in enumerate(StandingItem)
    )


def _invite(meeting: Meeting, people: Iterable[User]) -> None:
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, person=p) for p in people], ignore_conflicts=True
    )


def meeting_create(
    *,
    member: Membership,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    video_link: str = "",
    facilitator: User | None = None,
    note_taker: User | None = None,
    data_analyst: User | None = None,
    series: MeetingSeries | None = None,
) -> Meeting:
    """A meeting with its attendees; a DIT meeting also gets the standing agenda items."""
    district, created_by = member.district, member.user
    with transaction.atomic():
        meeting = Meeting.objects.create(
            district=district,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
            video_link=video_link,
            facilitator=facilitator or created_by,
            note_taker=note_taker,
            data_analyst=data_analyst,
            series=series,
        )
        if kind == MeetingKind.DIT:
            _add_standing_items(meeting)
            _invite(meeting, district_people(district.pk, *Role.district_staff()))
        else:
            _invite(meeting, [created_by])
        return meeting


def meeting_series_create(
    *,
    member: Membership,
    kind: str,
    title: str,
    weekday: int,
    week_of_month: int,
    start_time: time,
    end_time: time,
    first_date: date,
    last_date: date,
    location: str = "",
    video_link: str = "",
) -> MeetingSeries:
    """Create the series and one meeting per month, each at the same local wall time."""
    district, created_by = member.district, member.user
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            district=district,
            kind=kind,
            title=title,
            weekday=weekday,
            week_of_month=week_of_month,
            start_time=start_time,
            end_time=end_time,
            first_date=first_date,
            last_date=last_date,
            location=location,
            video_link=video_link,
            created_by=created_by,
        )
        tz = district.tz
        for day in series_dates(series):
            meeting_create(
                member=member,
                kind=kind,
                title=title,
                starts_at=local_to_utc(day, start_time, tz),
                ends_at=local_to_utc(day, end_time, tz),
                location=location,
                video_link=video_link,
                series=series,
            )
        audit_record(
            action=AuditAction.CREATE_MEETING_SERIES, actor=created_by, district=district, target=series
        )
        return series


def meeting_update(*, member: Membership, meeting: Meeting, **fields: object) -> Meeting:
    """Move a single meeting or change who runs it. Only the fields given change."""
    with transaction.atomic():
        locked = _lock_open(meeting.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        audit_record(
            action=AuditAction.CHANGE_MEETING, actor=member.user, district=locked.district, target=locked
        )
    return locked


def meeting_cancel(*, member: Membership, meeting: Meeting) -> Meeting:
    """Cancel a scheduled meeting; cancelling it again changes nothing, a closed one is refused."""
    with transaction.atomic():
        locked = _lock(meeting.pk)
        if locked.status == Meeting.Status.CANCELLED:
            return locked
        if locked.status == Meeting.Status.CLOSED:
            raise MeetingStateError("This meeting is closed: it happened, so it can't be cancelled.")
        locked.status = Meeting.Status.CANCELLED
        locked.save(update_fields=["status"])
        audit_record(
            action=AuditAction.CANCEL_MEETING, actor=member.user, district=locked.district, target=locked
        )
    return locked


def next_meeting_after(meeting: Meeting, *, lock: bool = False) -> Meeting | None:
    """The next scheduled meeting of the same district and kind (never a cancelled one)."""
    meetings = Meeting.objects.select_for_update() if lock else Meeting.objects
    return (
        meetings.filter(
            district_id=meeting.district_id,
            kind=meeting.kind,
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=meeting.starts_at,
        )
        .order_by("starts_at")
        .first()
    )


def meeting_close(
    *, member: Membership, meeting: Meeting, ratings: dict[str, str], unfinished: Iterable[AgendaItem] = ()
) -> Meeting | None:
    """Close the meeting with its self-rating; unfinished items move to the next meeting.

    Under the meeting's row lock, and only from Scheduled: a second close (a double click, a
    retried post) raises MeetingStateError and copies nothing. Only this meeting's own items that
    were not carried before are copied, so closing again after reopening copies nothing twice.
    Returns the next meeting, where carried items went (None when there is none yet).
    """
    with transaction.atomic():
        meeting = _lock(meeting.pk)
        if meeting.status == Meeting.Status.CLOSED:
            raise MeetingStateError("This meeting was already closed.")
        if meeting.status != Meeting.Status.SCHEDULED:
            raise MeetingStateError(CLOSED_MESSAGE)
        for name in Meeting.RATING_FIELDS:
            setattr(meeting, name, ratings.get(name, ""))
        meeting.status = Meeting.Status.CLOSED
        meeting.closed_at = timezone.now()
        meeting.save()
        # Locked too: a proposal to the following meeting waits, so agenda positions stay in order.
        following = next_meeting_after(meeting, lock=True)
        items = list(
            AgendaItem.objects.filter(
                meeting=meeting, pk__in=[item.pk for item in unfinished], standing="", carried_to__isnull=True
            ).order_by("position", "id")
        )
        if following is not None and items:
            _carry_forward(items, following)
        audit_record(
            action=AuditAction.CLOSE_MEETING, actor=member.user, district=meeting.district, target=meeting
        )
        return following


def _carry_forward(items: list[AgendaItem], following: Meeting) -> None:
    """Copy the items into the following meeting's agenda, before its closing "Next meeting" item."""
    agenda = list(following.agenda_items.order_by("position", "id"))
    closing = [row for row in agenda if row.standing == StandingItem.NEXT_MEETING]
    kept = [row for row in agenda if row.standing != StandingItem.NEXT_MEETING]
    carried = [
        AgendaItem(
            meeting=following,
            title=item.title,
            description=item.description,
            minutes_planned=item.minutes_planned,
            proposed_by=item.proposed_by,
            carried_from=item,
        )
        for item in items
    ]
    for position, row in enumerate([*kept, *carried, *closing], start=1):
        row.position = position * 10
    AgendaItem.objects.bulk_update([*kept, *closing], ["position"])
    AgendaItem.objects.bulk_create(carried)


def meeting_reopen(*, member: Membership, meeting: Meeting) -> Meeting:
    """Open a closed meeting again so its minutes can change; its self-rating stays."""
    with transaction.atomic():
        locked = _lock(meeting.pk)
        if locked.status != Meeting.Status.CLOSED:
            raise MeetingStateError("Only a closed meeting can be reopened.")
        locked.status = Meeting.Status.SCHEDULED
        locked.closed_at = None
        locked.save(update_fields=["status", "closed_at"])
        audit_record(
            action=AuditAction.REOPEN_MEETING, actor=member.user, district=locked.district, target=locked
        )
    return locked


def attendance_record(
    *, member: Membership, meeting: Meeting, statuses: dict[int, str], guests: Iterable[str] = ()
) -> None:
    """Set present/absent/excused per attendance row; add guests by name."""
    with transaction.atomic():
        _lock_open(meeting.pk)
        rows = {row.pk: row for row in meeting.attendance.all()}
        changed = []
        for pk, status in statuses.items():
            row = rows.get(pk)
            if row is not None and status in Attendance.Status.values:
                row.status = status
                changed.append(row)
        Attendance.objects.bulk_update(changed, ["status"])
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, guest_name=name.strip(), status=Attendance.Status.PRESENT)
            for name in guests
            if name.strip()
        )


# Agenda --------------------------------------------------------------------------------------


def agenda_item_propose(
    *, member: Membership, meeting: Meeting, title: str, description: str = "", minutes_planned: int = 10
) -> AgendaItem:
    with transaction.atomic():
        meeting = _lock_open(meeting.pk)
        top = meeting.agenda_items.aggregate(top=Max("position"))["top"] or 0
        # Proposals go before "Next meeting", which closes every agenda.
        closing = meeting.agenda_items.filter(standing=StandingItem.NEXT_MEETING).first()
        position = top + 10
        if closing is not None:
            position = closing.position
            closing.position = top + 20
            closing.save(update_fields=["position"])
        return AgendaItem.objects.create(
            meeting=meeting,
            title=title,
            description=description,
            minutes_planned=minutes_planned,
            position=position,
            proposed_by=member.user,
        )


def agenda_item_update(*, item: AgendaItem, title: str, minutes_planned: int) -> AgendaItem:
    with transaction.atomic():
        _lock_open(item.meeting_id)
        item.title = title
        item.minutes_planned = minutes_planned
        item.save(update_fields=["title", "minutes_planned"])
    return item


def agenda_item_move(*, item: AgendaItem, direction: str) -> None:
    """Swap the item with its neighbour above ("up") or below ("down")."""
    with transaction.atomic():
        _lock_open(item.meeting_id)
        items = list(AgendaItem.objects.select_for_update().filter(meeting_id=item.meeting_id))
        items.sort(key=lambda i: (i.position, i.pk))
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        swap = index - 1 if direction == "up" else index + 1
        if 0 <= swap < len(items):
            items[index], items[swap] = items[swap], items[index]
        for position, row in enumerate(items, start=1):
            row.position = position * 10
        AgendaItem.objects.bulk_update(items, ["position"])


def agenda_item_delete(*, member: Membership, item: AgendaItem) -> None:
    with transaction.atomic():
        meeting = _lock_open(item.meeting_id)
        audit_record(
            action=AuditAction.DELETE_AGENDA_ITEM,
            actor=member.user,
            district=meeting.district,
            target=item,
            detail={"meeting": meeting.pk, "title": item.title},
        )
        item.delete()


# Minutes -------------------------------------------------------------------------------------


def minute_entry_add(
    *,
    member: Membership,
    item: AgendaItem,
    kind: str,
    text: str,
    owner: User | None = None,
    due_date: date | None = None,
) -> MinuteEntry:
    """Record one line of minutes; a task also becomes an action item for its owner."""
    with transaction.atomic():
        meeting = _lock_open(item.meeting_id)
        action = None
        if kind == MinuteEntry.Kind.TASK:
            local_day = timezone.localtime(meeting.starts_at, meeting.district.tz).date()
            action = action_item_create(
                district=meeting.district,
                title=text[:300],
                details=text if len(text) > 300 else "",
                owner=owner,
                due_date=due_date,
                member=member,
                source_label=f"{meeting.get_kind_display()}, {local_day:%B} {local_day.day}, "
                f"{local_day.year}",
                source_url=reverse("meeting_detail", args=[meeting.pk]),
                meeting=meeting,
                agenda_item=item,
            )
        return MinuteEntry.objects.create(
            agenda_item=item, kind=kind, text=text, action_item=action, created_by=member.user
        )


def minute_entry_update(*, entry: MinuteEntry, text: str) -> MinuteEntry:
    with transaction.atomic():
        _lock_open(entry.agenda_item.meeting_id)
        entry.text = text
        entry.save(update_fields=["text"])
    return entry


def minute_entry_delete(*, member: Membership, entry: MinuteEntry) -> None:
    """Delete a line of minutes (audited); a task's open action item is cancelled with it."""
    with transaction.atomic():
        meeting = _lock_open(entry.agenda_item.meeting_id)
        action = entry.action_item if entry.action_item_id else None
        if action is not None and action.status == ActionItem.Status.OPEN:
            action.status = ActionItem.Status.CANCELLED
            action.save(update_fields=["status", "updated_at"])
        audit_record(
            action=AuditAction.DELETE_MINUTES_LINE,
            actor=member.user,
            district=meeting.district,
            target=entry,
            detail={"meeting": meeting.pk, "kind": entry.kind, "text": entry.text[:1000]},
        )
        entry.delete()


# Calendar feed -------------------------------------------------------------------------------


def calendar_feed_regenerate(*, member: Membership) -> CalendarFeed:
    """Revoke any feed the person has in this district and issue a fresh secret address."""
    person, district = member.user, member.district
    with transaction.atomic():
        now = timezone.now()
        CalendarFeed.objects.filter(person=person, district=district, revoked_at__isnull=True).update(
            revoked_at=now
        )
        feed = CalendarFeed.objects.create(person=person, district=district, token=secrets.token_urlsafe(32))
        audit_record(action=AuditAction.ISSUE_CALENDAR_FEED, actor=person, district=district, target=feed)
        return feed


def calendar_feed_revoke(*, member: Membership) -> int:
    person, district = member.user, member.district
    with transaction.atomic():
        count = CalendarFeed.objects.filter(person=person, district=district, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(action=AuditAction.REVOKE_CALENDAR_FEED, actor=person, district=district)
        return count
