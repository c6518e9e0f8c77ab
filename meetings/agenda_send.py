"""The agenda sent ahead: each attendee gets the agenda, their open items and a link to the packet.

It goes out two days before a DIT meeting (the beat schedule runs `meeting_reminders_send`), or
at once when the coordinator presses "Send now". Both write the same key per attendee
("meeting:<pk>:2-days", the name it has always had), so an attendee hears once: a double click, a
retried task or the scheduled send after a "Send now" adds nothing. Someone invited later still
gets it from the next send.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Membership
from meetings.models import ActionItem, AgendaItem, Attendance, Meeting, MeetingKind
from meetings.services import MeetingStateError, _lock_open
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record
from mtss.notifications.kinds import Kind
from mtss.notifications.services import notify

REMINDER_WINDOW = timedelta(days=2)
REMINDER_BATCH_SIZE = 200

OpenItems = dict[tuple[int, int | None], list[ActionItem]]


def agenda_key(meeting_pk: int) -> str:
    return f"meeting:{meeting_pk}:2-days"


def agenda_subject(meeting: Meeting, local_start: datetime) -> str:
    return f"{meeting.title} on {local_start:%A, %B} {local_start.day}"


def agenda_body(
    meeting: Meeting, local_start: datetime, agenda: Iterable[AgendaItem], mine: Iterable[ActionItem]
) -> str:
    """The text of one attendee's notice: when and where, the agenda with planned minutes, their items."""
    agenda_lines = "\n".join(
        f"{i}. {item.title} ({item.minutes_planned} min)" for i, item in enumerate(agenda, 1)
    )
    item_lines = "\n".join(
        f"- {item.title}" + (f" (due {item.due_date:%b} {item.due_date.day})" if item.due_date else "")
        for item in mine
    )
    where = f" in {meeting.location}" if meeting.location else ""
    return (
        f"{meeting.title} is on {local_start:%A, %B} {local_start.day} at {local_start:%-I:%M %p}{where}.\n\n"
        f"Agenda:\n{agenda_lines}\n\n"
        + (
            f"Your open action items:\n{item_lines}\n\n"
            if item_lines
            else "You have no open action items.\n\n"
        )
        + "The meeting packet (last meeting's decisions, open action items, plan activities, barriers, "
        "processes and the latest data) is at the link below."
    )


def _open_items(district_ids: set[int], people: set[int | None]) -> OpenItems:
    found: OpenItems = defaultdict(list)
    for item in ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, owner_id__in=people, district_id__in=district_ids
    ).order_by("due_date", "id"):
        found[(item.district_id, item.owner_id)].append(item)
    return found


def _attendees() -> Prefetch:
    return Prefetch(
        "attendance",
        queryset=Attendance.objects.filter(person__isnull=False, person__is_active=True).select_related(
            "person"
        ),
    )


def _notify_attendees(meeting: Meeting, open_items: OpenItems) -> int:
    """One notification per attendee with a person behind it; return how many were new."""
    local = timezone.localtime(meeting.starts_at, meeting.district.tz)
    agenda = list(meeting.agenda_items.all())
    created = 0
    for row in meeting.attendance.all():
        if row.person is None:
            continue  # a guest, known by name only
        created += notify(
            district=meeting.district,
            recipients=[row.person],
            kind=Kind.MEETING,
            subject=agenda_subject(meeting, local),
            body=agenda_body(
                meeting, local, agenda, open_items.get((meeting.district_id, row.person_id), [])
            ),
            url=reverse("meeting_packet", args=[meeting.pk]),
            key=agenda_key(meeting.pk),
        )
    return created


def _with_agenda_and_attendees(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("district").prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "id")), _attendees()
    )


def meeting_reminders_send() -> int:
    """Send the agenda of DIT meetings starting within the window; return how many rows were new.

    Four queries per batch of meetings, whatever the number of attendees, then the rows.
    """
    now = timezone.now()
    meetings = list(
        _with_agenda_and_attendees(
            Meeting.objects.filter(
                kind=MeetingKind.DIT,
                status=Meeting.Status.SCHEDULED,
                starts_at__gt=now,
                starts_at__lte=now + REMINDER_WINDOW,
            )
        ).order_by("starts_at")[:REMINDER_BATCH_SIZE]
    )
    people = {row.person_id for meeting in meetings for row in meeting.attendance.all()}
    open_items = _open_items({m.district_id for m in meetings}, people)
    created = 0
    for meeting in meetings:
        with transaction.atomic():
            created += _notify_attendees(meeting, open_items)
    return created


def meeting_agenda_send(*, member: Membership, meeting: Meeting) -> int:
    """ "Send now": the agenda goes to every attendee at once; return how many were new.

    Under the meeting's row lock and only for a scheduled meeting that has not started. Safe to
    repeat: a second press finds every attendee already notified and sends nothing.
    """
    with transaction.atomic():
        locked = _lock_open(meeting.pk)
        if locked.starts_at <= timezone.now():
            raise MeetingStateError("This meeting has already started: there is nothing to send ahead.")
        locked = _with_agenda_and_attendees(Meeting.objects.filter(pk=locked.pk)).get()
        people = {row.person_id for row in locked.attendance.all()}
        created = _notify_attendees(locked, _open_items({locked.district_id}, people))
        audit_record(
            action=AuditAction.SEND_MEETING_AGENDA,
            actor=member.user,
            district=locked.district,
            target=locked,
            detail={"new_recipients": created},
        )
    return created
