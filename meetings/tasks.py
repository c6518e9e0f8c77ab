"""Meeting tasks: thin wrappers that call the services."""

from __future__ import annotations

from celery import shared_task

from meetings.agenda_send import meeting_reminders_send


@shared_task(ignore_result=True)
def send_meeting_reminders() -> int:
    """Two days before each DIT meeting, its attendees get the agenda and the packet's link."""
    return meeting_reminders_send()
