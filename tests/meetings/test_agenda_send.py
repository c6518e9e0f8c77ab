"""The agenda sent ahead: one notice per attendee, whether sent now, on schedule, or both."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.agenda_send import agenda_key, meeting_agenda_send, meeting_reminders_send
from meetings.models import Attendance, Meeting
from mtss.audit.models import AuditEvent
from mtss.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.django_db


def _soon(side, hours: int = 40):
    return make_meeting(side.district, side.coordinator, starts_at=timezone.now() + timedelta(hours=hours))


def test_send_now_gives_each_attendee_the_agenda_and_the_packet_link_once(side_a):
    meeting = _soon(side_a, hours=24 * 9)
    services.agenda_item_propose(
        meeting=meeting, title="Math pilot", minutes_planned=25, member=side_a.membership(side_a.member)
    )
    services.action_item_create(
        district=side_a.district,
        title="Bring the ODR data",
        owner=side_a.member,
        due_date=date(2026, 12, 1),
        member=None,
    )
    assert meeting_agenda_send(meeting=meeting, member=side_a.membership(side_a.coordinator)) == 3
    rows = Notification.objects.filter(key=agenda_key(meeting.pk))
    assert set(rows.values_list("recipient_id", flat=True)) == {
        side_a.coordinator.pk,
        side_a.leader.pk,
        side_a.member.pk,
    }
    assert set(rows.values_list("url", flat=True)) == {reverse("meeting_packet", args=[meeting.pk])}
    mine = rows.get(recipient=side_a.member).body
    assert "Math pilot (25 min)" in mine
    assert "Data review (20 min)" in mine
    assert "- Bring the ODR data (due Dec 1)" in mine
    assert "Bring the ODR data" not in rows.get(recipient=side_a.leader).body
    # A double click, then the scheduled send when the meeting comes into the window: nothing more.
    assert meeting_agenda_send(meeting=meeting, member=side_a.membership(side_a.coordinator)) == 0
    with time_machine.travel(meeting.starts_at - timedelta(hours=30), tick=False):
        assert meeting_reminders_send() == 0
    assert Notification.objects.count() == 3
    assert AuditEvent.objects.filter(action="send meeting agenda").count() == 2


def test_the_scheduled_send_reaches_someone_invited_after_send_now_and_nobody_twice(side_a):
    meeting = _soon(side_a)
    meeting_agenda_send(meeting=meeting, member=side_a.membership(side_a.coordinator))
    newcomer = UserFactory(email="new.member@example.org", full_name="New Member")
    MembershipFactory(user=newcomer, district=side_a.district, role="member")
    Attendance.objects.create(meeting=meeting, person=newcomer)
    assert meeting_reminders_send() == 1
    assert meeting_reminders_send() == 0  # a retried task
    assert Notification.objects.filter(key=agenda_key(meeting.pk)).count() == 4


def test_a_closed_cancelled_or_started_meeting_sends_nothing(side_a):
    closed, cancelled = _soon(side_a, 30), _soon(side_a, 60)
    services.meeting_close(meeting=closed, member=side_a.membership(side_a.coordinator), ratings={})
    services.meeting_cancel(meeting=cancelled, member=side_a.membership(side_a.coordinator))
    started = make_meeting(
        side_a.district, side_a.coordinator, starts_at=timezone.now() - timedelta(minutes=5)
    )
    for meeting, words in [(closed, "closed"), (cancelled, "cancelled"), (started, "already started")]:
        with pytest.raises(services.MeetingStateError, match=words):
            meeting_agenda_send(meeting=meeting, member=side_a.membership(side_a.coordinator))
    assert Notification.objects.count() == 0


def test_the_send_now_button_says_what_happened_and_is_for_coordinators(side_a, coordinator_a, leader_a):
    meeting = _soon(side_a, hours=24 * 9)
    url = reverse("meeting_agenda_send", args=[meeting.pk])
    assert leader_a.post(url).status_code == 403
    response = coordinator_a.post(url, follow=True)
    assert response.status_code == 200
    assert "Agenda sent to 3 attendees with a link to the packet." in response.content.decode()
    assert "Agenda sent to 3 attendees, first on" in response.content.decode()
    response = coordinator_a.post(url, {"next": reverse("meeting_packet", args=[meeting.pk])}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("meeting_packet", args=[meeting.pk])
    assert "Every attendee already has the agenda: nobody was sent it twice." in response.content.decode()
    assert Notification.objects.count() == 3


def _send_in_thread(meeting_pk, member, start, counts, errors):
    try:
        start.wait(timeout=10)
        counts.append(meeting_agenda_send(meeting=Meeting.objects.get(pk=meeting_pk), member=member))
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_presses_at_once_send_each_attendee_one_notice(side_a):
    """Run with DATABASE_URL set for PostgreSQL's row locks; SQLite's immediate transactions take turns."""
    meeting = _soon(side_a, hours=24 * 9)
    start, counts, errors = threading.Barrier(2), [], []
    threads = [
        threading.Thread(
            target=_send_in_thread,
            args=(meeting.pk, side_a.membership(side_a.coordinator), start, counts, errors),
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(counts) == [0, 3]
    assert Notification.objects.filter(key=agenda_key(meeting.pk)).count() == 3
