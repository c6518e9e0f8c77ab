"""Meeting reminders: two days before a DIT meeting, each attendee gets the agenda and their open items."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, AgendaItem, Attendance, Meeting, MeetingKind
from mtss.notifications.kinds import Kind
from mtss.notifications.services import notify

REMINDER_WINDOW = timedelta(days=2)
REMINDER_BATCH_SIZE = 200


def meeting_reminders_send() -> int:
    """Notify attendees of DIT meetings starting within the window; return how many rows were new.

    Keys are per meeting ("meeting:<pk>:2-days") so running twice, or two schedulers at
    once, adds nothing. Four queries per batch of meetings, whatever the number of attendees.
    """
    now = timezone.now()
    meetings = list(
        Meeting.objects.filter(
            kind=MeetingKind.DIT,
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + REMINDER_WINDOW,
        )
        .select_related("district")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "id")),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.filter(
                    person__isnull=False, person__is_active=True
                ).select_related("person"),
            ),
        )
        .order_by("starts_at")[:REMINDER_BATCH_SIZE]
    )
    people = {row.person_id for meeting in meetings for row in meeting.attendance.all()}
    open_items: dict[tuple[int, int], list[ActionItem]] = defaultdict(list)
    for item in ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, owner_id__in=people, district_id__in={m.district_id for m in meetings}
    ).order_by("due_date", "id"):
        open_items[(item.district_id, item.owner_id)].append(item)
    created = 0
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at, meeting.district.tz)
        agenda = "\n".join(
            f"{i}. {item.title} ({item.minutes_planned} min)"
            for i, item in enumerate(meeting.agenda_items.all(), 1)
        )
        with transaction.atomic():
            for row in meeting.attendance.all():
                mine = open_items.get((meeting.district_id, row.person_id), [])
                items = "\n".join(
                    f"- {item.title}" + (f" (due {item.due_date:%b %-d})" if item.due_date else "")
                    for item in mine
                )
                body = (
                    f"{meeting.title} is on {local:%A, %B %-d} at {local:%-I:%M %p}"
                    f"{' in ' + meeting.location if meeting.location else ''}.\n\nAgenda:\n{agenda}\n\n"
                    + (f"Your open action items:\n{items}\n" if items else "You have no open action items.\n")
                )
                created += notify(
                    district=meeting.district,
                    recipients=[row.person],
                    kind=Kind.MEETING,
                    subject=f"{meeting.title} on {local:%A, %B %-d}",
                    body=body,
                    url=reverse("meeting_detail", args=[meeting.pk]),
                    key=f"meeting:{meeting.pk}:2-days",
                )
    return created


@shared_task(ignore_result=True)
def send_meeting_reminders() -> int:
    return meeting_reminders_send()
