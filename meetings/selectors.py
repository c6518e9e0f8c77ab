"""Reads for meetings and action items, scoped to the member's district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet, Sum

from coordinators.models import Membership, User
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingKind,
    MinuteEntry,
)
from mtss.access import get_scoped_or_404
from mtss.notifications.models import Notification

ACTION_ITEM_REVIEW_LIMIT = 100


def meetings_in_view(member: Membership) -> QuerySet[Meeting]:
    """District meetings; a site admin sees only the meetings they are invited to; school staff none."""
    if member.is_school_staff:
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(district=member.district)
    if member.is_site_admin:
        meetings = meetings.filter(attendance__person=member.user)
    return meetings.order_by("starts_at")


def meetings_for(member: Membership) -> QuerySet[Meeting]:
    """The meetings in view with the people each one names."""
    return meetings_in_view(member).select_related("district", "facilitator", "note_taker", "data_analyst")


def _coordinates(member: Membership, _meeting: Meeting) -> bool:
    return member.is_coordinator


def may_record_minutes(member: Membership, meeting: Meeting) -> bool:
    return member.is_coordinator or meeting.note_taker_id == member.user_id


def get_meeting_for_user(member: Membership, pk: object, *, write: bool = False) -> Meeting:
    return get_scoped_or_404(meetings_for(member), pk, member, write=write, can_write=_coordinates)


def get_meeting_for_minutes(member: Membership, pk: object) -> Meeting:
    return get_scoped_or_404(meetings_for(member), pk, member, write=True, can_write=may_record_minutes)


def get_agenda_item_for_user(member: Membership, pk: object, *, write: bool = False) -> AgendaItem:
    items = AgendaItem.objects.filter(meeting__in=meetings_for(member)).select_related("meeting__district")
    return get_scoped_or_404(items, pk, member, write=write, can_write=lambda m, i: m.is_coordinator)


def get_minute_entry_for_user(member: Membership, pk: object) -> MinuteEntry:
    entries = MinuteEntry.objects.filter(agenda_item__meeting__in=meetings_for(member)).select_related(
        "agenda_item__meeting", "action_item"
    )
    return get_scoped_or_404(
        entries, pk, member, write=True, can_write=lambda m, e: may_record_minutes(m, e.agenda_item.meeting)
    )


def meeting_agenda(meeting: Meeting) -> list[AgendaItem]:
    """Agenda items with their minutes and tasks' action items: three queries whatever the size."""
    entries = MinuteEntry.objects.select_related("action_item__owner").order_by("created_at", "id")
    return list(
        meeting.agenda_items.select_related("proposed_by", "carried_from__meeting")
        .prefetch_related(Prefetch("entries", queryset=entries))
        .order_by("position", "id")
    )


def meeting_attendance(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendance.select_related("person").order_by("guest_name", "person__full_name", "id"))


def open_action_items_for_review(meeting: Meeting, member: Membership) -> list[ActionItem]:
    """What "Review of action items" covers: the district's open items created before the meeting
    (for a closed meeting, the items it assigned).

    A site admin at the meeting sees the items of their schools' data reviews and their own.
    """
    items = ActionItem.objects.filter(district_id=meeting.district_id).select_related("owner")
    if member.is_school_staff:
        return []
    if member.is_site_admin:
        items = items.filter(
            Q(owner_id=member.user_id) | Q(solution_action__review__school__in=member.schools.all())
        )
    if meeting.status == Meeting.Status.CLOSED:
        items = items.filter(meeting=meeting)
    else:
        items = items.filter(status=ActionItem.Status.OPEN, created_at__lt=meeting.starts_at)
    return list(items.order_by("due_date", "id")[:ACTION_ITEM_REVIEW_LIMIT])


def action_items_for(member: Membership) -> QuerySet[ActionItem]:
    """The district's action items; a site admin sees their own; school staff none."""
    if member.is_school_staff:
        return ActionItem.objects.none()
    items = ActionItem.objects.filter(district=member.district)
    if member.is_site_admin:
        items = items.filter(owner=member.user)
    return items.select_related("owner")


def my_action_items(member: Membership, *, show: str = "open") -> QuerySet[ActionItem]:
    items = action_items_for(member).filter(owner=member.user)
    if show == "open":
        items = items.filter(status=ActionItem.Status.OPEN)
    elif show == "done":
        items = items.filter(status=ActionItem.Status.DONE)
    return items.order_by("status", "due_date", "id")


def rated_meetings(member: Membership) -> list[Meeting]:
    return list(
        meetings_for(member)
        .filter(status=Meeting.Status.CLOSED)
        .exclude(started_on_time="", agenda_followed="", decisions_recorded="", action_items_assigned="")
        .order_by("starts_at")
    )


def person_calendar(feed: CalendarFeed, *, since: datetime) -> tuple[list[Meeting], list[ActionItem]]:
    meetings = list(
        Meeting.objects.filter(district_id=feed.district_id, starts_at__gte=since)
        .filter(Q(attendance__person_id=feed.person_id) | Q(facilitator_id=feed.person_id))
        .exclude(status=Meeting.Status.CANCELLED)
        .distinct()
        .order_by("starts_at")
    )
    items = list(
        ActionItem.objects.filter(
            district_id=feed.district_id,
            owner_id=feed.person_id,
            status=ActionItem.Status.OPEN,
            due_date__isnull=False,
        ).order_by("due_date")
    )
    return meetings, items


def active_feed(person: User, district_id: int) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(
        person=person, district_id=district_id, revoked_at__isnull=True
    ).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    """An unrevoked feed whose owner still has an active role in the feed's district."""
    return (
        CalendarFeed.objects.filter(
            token=token,
            revoked_at__isnull=True,
            person__is_active=True,
            person__memberships__district_id=F("district_id"),
            person__memberships__active=True,
        )
        .select_related("person")
        .first()
    )


def next_dit_meeting(member: Membership, *, now: datetime) -> Meeting | None:
    """The district's next scheduled DIT meeting (or the one under way), with its agenda's size."""
    return (
        meetings_in_view(member)
        .filter(kind=MeetingKind.DIT, status=Meeting.Status.SCHEDULED, ends_at__gte=now)
        .annotate(agenda_count=Count("agenda_items"), planned_minutes=Sum("agenda_items__minutes_planned"))
        .order_by("starts_at", "id")
        .first()
    )


def open_action_item_counts(member: Membership, *, today: date) -> dict[str, int]:
    """How many of the district's action items are open, and how many of those are overdue."""
    return (
        action_items_for(member)
        .filter(status=ActionItem.Status.OPEN)
        .aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
    )


RATING_SCORE = {Meeting.Rating.YES: 2, Meeting.Rating.SO_SO: 1, Meeting.Rating.NO: 0}


def rating_score(meeting: Meeting) -> int | None:
    """The self-rating as a percentage: yes counts 2, so-so 1, no 0, over the questions answered."""
    scored = [RATING_SCORE[value] for name in Meeting.RATING_FIELDS if (value := getattr(meeting, name))]
    return round(100 * sum(scored) / (2 * len(scored))) if scored else None


def rating_rows(member: Membership) -> list[dict[str, Any]]:
    """Each rated meeting with its local date, its answers in words and its score."""
    labels = dict(Meeting.Rating.choices)
    tz = member.district.tz
    return [
        {
            "meeting": meeting,
            "date": meeting.starts_at.astimezone(tz).date(),
            "values": [labels.get(getattr(meeting, name), "") for name in Meeting.RATING_FIELDS],
            "score": rating_score(meeting),
        }
        for meeting in rated_meetings(member)
    ]


def may_propose(member: Membership, meeting: Meeting) -> bool:
    """DIT members, leaders and coordinators propose items while the meeting is scheduled."""
    return meeting.is_open and member.sees_whole_district


@dataclass
class AgendaSent:
    count: int
    first_at: datetime


def agenda_sent(meeting: Meeting) -> AgendaSent | None:
    """Whether the agenda went out ahead, when first, and to how many attendees."""
    from meetings.agenda_send import agenda_key

    found = Notification.objects.filter(
        district_id=meeting.district_id, key=agenda_key(meeting.pk)
    ).aggregate(count=Count("id"), first_at=Min("created_at"))
    return AgendaSent(**found) if found["count"] else None
