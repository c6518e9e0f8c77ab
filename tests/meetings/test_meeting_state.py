"""A meeting's state rules, enforced by the services under a lock on the meeting row.

A closed meeting's agenda and minutes are read only until a coordinator reopens it (audited); closing
twice carries the unfinished items forward once, before "Next meeting" in the next scheduled meeting
of the same district and kind; deleting agenda items, minutes lines, time entries and co-authors
leaves audit rows.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from coordinators import services as coordinator_services
from coordinators.models import TimeEntry
from implementation_plans.processes import services as process_services
from meetings import services
from meetings.models import AgendaItem, Meeting, MeetingKind, MinuteEntry, StandingItem
from meetings.services import MeetingStateError
from mtss.audit.models import AuditEvent
from tests.implementation_plans.process_factories import started
from tests.meetings.factories import make_meeting

RATINGS = {
    "started_on_time": "yes",
    "agenda_followed": "yes",
    "decisions_recorded": "yes",
    "action_items_assigned": "yes",
}


@pytest.fixture
def meetings(side_a):
    first = make_meeting(side_a.district, side_a.coordinator)
    second = make_meeting(side_a.district, side_a.coordinator, starts_at=first.starts_at + timedelta(days=35))
    return first, second


def _close(meeting, side, unfinished=()):
    return services.meeting_close(
        meeting=meeting, member=side.membership(side.coordinator), ratings=RATINGS, unfinished=unfinished
    )


def _titles(meeting):
    return list(meeting.agenda_items.order_by("position", "id").values_list("title", flat=True))


@pytest.mark.django_db
def test_closing_twice_carries_the_unfinished_items_once(side_a, meetings):
    first, second = meetings
    item = services.agenda_item_propose(
        meeting=first, title="Coaching schedule", member=side_a.membership(side_a.member)
    )
    _close(first, side_a, [item])
    with pytest.raises(MeetingStateError):
        _close(Meeting.objects.get(pk=first.pk), side_a, [item])
    assert AgendaItem.objects.filter(meeting=second, title="Coaching schedule").count() == 1
    assert AuditEvent.objects.filter(action="close meeting").count() == 1


@pytest.mark.django_db
def test_a_retried_close_post_changes_nothing_the_second_time(side_a, meetings, coordinator_a):
    first, second = meetings
    item = services.agenda_item_propose(
        meeting=first, title="Coaching schedule", member=side_a.membership(side_a.member)
    )
    data = {**RATINGS, "unfinished": [str(item.pk)]}
    url = reverse("meeting_close", args=[first.pk])
    assert coordinator_a.post(url, data).status_code == 302
    response = coordinator_a.post(url, data, follow=True)
    assert response.status_code == 200
    assert "already closed" in response.content.decode()
    assert AgendaItem.objects.filter(meeting=second, title="Coaching schedule").count() == 1


@pytest.mark.django_db
def test_carried_items_land_before_next_meeting(side_a, meetings):
    first, second = meetings
    item = services.agenda_item_propose(
        meeting=first, title="Coaching schedule", member=side_a.membership(side_a.member)
    )
    _close(first, side_a, [item])
    assert _titles(second)[-2:] == ["Coaching schedule", "Next meeting"]


@pytest.mark.django_db
def test_carried_items_skip_cancelled_other_kinds_and_other_districts(side_a, side_b, meetings):
    first, second = meetings
    between = first.starts_at + timedelta(days=7)
    cancelled = make_meeting(side_a.district, side_a.coordinator, starts_at=between)
    services.meeting_cancel(meeting=cancelled, member=side_a.membership(side_a.coordinator))
    executive = make_meeting(
        side_a.district, side_a.coordinator, starts_at=between, kind=MeetingKind.EXECUTIVE, title="Exec"
    )
    elsewhere = make_meeting(side_b.district, side_b.coordinator, starts_at=between)
    item = services.agenda_item_propose(
        meeting=first, title="Coaching schedule", member=side_a.membership(side_a.member)
    )
    assert _close(first, side_a, [item]) == second
    assert list(
        AgendaItem.objects.filter(title="Coaching schedule").values_list("meeting_id", flat=True)
    ) == [
        first.pk,
        second.pk,
    ]
    for other in (cancelled, executive, elsewhere):
        assert "Coaching schedule" not in _titles(other)


@pytest.mark.django_db
def test_items_of_another_meeting_are_never_carried(side_a, meetings):
    first, second = meetings
    third = make_meeting(side_a.district, side_a.coordinator, starts_at=second.starts_at + timedelta(days=35))
    stranger = services.agenda_item_propose(
        meeting=third, title="Not from this meeting", member=side_a.membership(side_a.member)
    )
    _close(first, side_a, [stranger])
    assert "Not from this meeting" not in _titles(second)


@pytest.mark.django_db
def test_a_closed_meetings_agenda_and_minutes_are_read_only(side_a, meetings):
    first, _second = meetings
    item = first.agenda_items.get(standing=StandingItem.DATA_REVIEW)
    proposed = services.agenda_item_propose(
        meeting=first, title="Budget", member=side_a.membership(side_a.member)
    )
    entry = services.minute_entry_add(
        item=item, kind="discussion", text="Benchmark results", member=side_a.membership(side_a.coordinator)
    )
    _close(first, side_a)
    member = side_a.membership(side_a.coordinator)
    refused = [
        lambda: services.minute_entry_add(item=item, kind="discussion", text="Late line", member=member),
        lambda: services.minute_entry_update(entry=entry, text="Rewritten"),
        lambda: services.minute_entry_delete(entry=entry, member=member),
        lambda: services.agenda_item_propose(meeting=first, title="Late item", member=member),
        lambda: services.agenda_item_update(item=proposed, title="Renamed", minutes_planned=5),
        lambda: services.agenda_item_move(item=proposed, direction="up"),
        lambda: services.agenda_item_delete(item=proposed, member=member),
        lambda: services.attendance_record(meeting=first, statuses={}, guests=["Ms. Rivera"], member=member),
        lambda: services.meeting_update(meeting=first, member=member, title="Renamed"),
    ]
    positions = _titles(first)
    for attempt in refused:
        with pytest.raises(MeetingStateError):
            attempt()
    assert list(MinuteEntry.objects.values_list("text", flat=True)) == ["Benchmark results"]
    assert _titles(first) == positions
    first.refresh_from_db()
    assert first.title == "DIT meeting"
    assert not first.attendance.filter(guest_name="Ms. Rivera").exists()


@pytest.mark.django_db
def test_closed_meeting_minutes_pages_refuse_changes(side_a, meetings, coordinator_a):
    first, _second = meetings
    item = first.agenda_items.get(standing=StandingItem.DATA_REVIEW)
    entry = services.minute_entry_add(
        item=item, kind="discussion", text="Benchmark results", member=side_a.membership(side_a.coordinator)
    )
    _close(first, side_a)
    minutes = reverse("meeting_minutes", args=[first.pk])
    response = coordinator_a.post(minutes, {"item": item.pk, "kind": "discussion", "text": "Late line"})
    assert response.status_code == 302
    response = coordinator_a.post(reverse("minute_entry_delete", args=[entry.pk]), follow=True)
    assert "closed" in response.content.decode()
    attendance = reverse("meeting_attendance", args=[first.pk])
    response = coordinator_a.post(attendance, {"guests": "Ms. Rivera"}, follow=True)
    assert "closed" in response.content.decode()
    assert not first.attendance.filter(guest_name="Ms. Rivera").exists()
    assert list(MinuteEntry.objects.values_list("text", flat=True)) == ["Benchmark results"]
    page = coordinator_a.get(minutes).content.decode()
    assert "Benchmark results" in page
    assert reverse("minute_entry_delete", args=[entry.pk]) not in page
    assert 'name="text"' not in page
    detail = coordinator_a.get(reverse("meeting_detail", args=[first.pk])).content.decode()
    assert reverse("meeting_reopen", args=[first.pk]) in detail


@pytest.mark.django_db
def test_reopening_is_audited_and_lets_the_minutes_change_again(side_a, meetings, coordinator_a, leader_a):
    first, second = meetings
    item = services.agenda_item_propose(
        meeting=first, title="Coaching schedule", member=side_a.membership(side_a.member)
    )
    _close(first, side_a, [item])
    url = reverse("meeting_reopen", args=[first.pk])
    assert leader_a.post(url).status_code == 403
    assert coordinator_a.post(url).status_code == 302
    first.refresh_from_db()
    assert first.status == Meeting.Status.SCHEDULED
    assert first.closed_at is None
    assert AuditEvent.objects.filter(action="reopen meeting", object_id=str(first.pk)).count() == 1
    services.minute_entry_add(
        item=item,
        kind="discussion",
        text="Added after reopening",
        member=side_a.membership(side_a.coordinator),
    )
    # Closing again does not carry the same item a second time.
    _close(Meeting.objects.get(pk=first.pk), side_a, [item])
    assert AgendaItem.objects.filter(meeting=second, title="Coaching schedule").count() == 1
    with pytest.raises(MeetingStateError):
        services.meeting_reopen(meeting=second, member=side_a.membership(side_a.coordinator))


@pytest.mark.django_db
def test_deletions_leave_audit_rows(side_a, meetings, coordinator_a, member_a):
    first, _second = meetings
    proposed = services.agenda_item_propose(
        meeting=first, title="Budget", member=side_a.membership(side_a.member)
    )
    item = first.agenda_items.get(standing=StandingItem.DATA_REVIEW)
    entry = services.minute_entry_add(
        item=item, kind="discussion", text="Benchmark results", member=side_a.membership(side_a.coordinator)
    )
    assert coordinator_a.post(reverse("minute_entry_delete", args=[entry.pk])).status_code == 302
    assert coordinator_a.post(reverse("agenda_item_delete", args=[proposed.pk])).status_code == 302
    time_entry = coordinator_services.time_entry_create(
        member=side_a.membership(side_a.coordinator),
        date=date(2026, 11, 3),
        hours=Decimal(2),
        activity="dit",
    )
    assert coordinator_a.post(reverse("time_entry_delete", args=[time_entry.pk])).status_code == 302
    assert not TimeEntry.objects.exists()
    coord = side_a.membership(side_a.coordinator)
    process = started(coord)
    process_services.co_author_add(member=coord, process=process, user=side_a.member)
    process_services.co_author_remove(member=coord, process=process, user=side_a.member)
    events = {e.action: e for e in AuditEvent.objects.filter(actor=side_a.coordinator)}
    assert events["delete minutes line"].object_id == str(entry.pk)
    assert events["delete minutes line"].detail["text"] == "Benchmark results"
    assert events["delete agenda item"].object_label == "Budget"
    assert events["delete time entry"].object_id == str(time_entry.pk)
    assert events["remove co-author"].detail["user"] == side_a.member.pk
    assert all(e.district_id == side_a.district.pk for e in events.values())


def _close_in_thread(meeting_pk, side, item_pk, start, errors):
    try:
        start.wait(timeout=10)
        meeting = Meeting.objects.get(pk=meeting_pk)
        _close(meeting, side, [AgendaItem.objects.get(pk=item_pk)])
    except MeetingStateError:
        pass
    except BaseException as error:
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_closes_at_once_carry_the_items_once(side_a):
    """Run with DATABASE_URL set for PostgreSQL's row locks; SQLite's immediate transactions take turns."""
    first = make_meeting(side_a.district, side_a.coordinator)
    second = make_meeting(side_a.district, side_a.coordinator, starts_at=first.starts_at + timedelta(days=35))
    item = services.agenda_item_propose(
        meeting=first, title="Coaching schedule", member=side_a.membership(side_a.member)
    )
    start, errors = threading.Barrier(2), []
    threads = [
        threading.Thread(target=_close_in_thread, args=(first.pk, side_a, item.pk, start, errors))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert AgendaItem.objects.filter(meeting=second, title="Coaching schedule").count() == 1
    assert AuditEvent.objects.filter(action="close meeting").count() == 1


@pytest.mark.django_db
def test_removing_a_co_author_by_a_malformed_id_changes_nothing(side_a, coordinator_a):
    coord = side_a.membership(side_a.coordinator)
    process = started(coord)
    process_services.co_author_add(member=coord, process=process, user=side_a.member)
    response = coordinator_a.post(reverse("process_co_authors", args=[process.pk]), {"remove": "abc"})
    assert response.status_code == 302
    assert list(process.co_authors.all()) == [side_a.member]


@pytest.mark.django_db
def test_cancelling_twice_changes_nothing_the_second_time_and_a_closed_meeting_stays_closed(side_a, meetings):
    first, second = meetings
    services.meeting_cancel(meeting=first, member=side_a.membership(side_a.coordinator))
    services.meeting_cancel(meeting=first, member=side_a.membership(side_a.coordinator))
    assert AuditEvent.objects.filter(action="cancel meeting").count() == 1
    _close(second, side_a)
    with pytest.raises(MeetingStateError):
        services.meeting_cancel(meeting=second, member=side_a.membership(side_a.coordinator))
    second.refresh_from_db()
    assert second.status == Meeting.Status.CLOSED
