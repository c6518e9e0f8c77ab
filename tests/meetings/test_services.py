from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, AgendaItem, Meeting, MeetingKind, MinuteEntry, StandingItem
from tests.meetings.factories import make_meeting


def test_series_keeps_local_time_across_daylight_saving_change(side_a):
    series = services.meeting_series_create(
        member=side_a.membership(side_a.coordinator),
        kind=MeetingKind.DIT,
        title="DIT meeting",
        weekday=1,
        week_of_month=2,
        start_time=time(15, 30),
        end_time=time(17, 0),
        first_date=date(2026, 9, 1),
        last_date=date(2027, 4, 30),
    )
    meetings = list(series.meetings.order_by("starts_at"))
    assert [m.starts_at.date() for m in meetings][:3] == [
        date(2026, 9, 8),
        date(2026, 10, 13),
        date(2026, 11, 10),
    ]
    local = [timezone.localtime(m.starts_at, side_a.district.tz) for m in meetings]
    assert {(t.hour, t.minute) for t in local} == {(15, 30)}
    assert all(t.weekday() == 1 and 8 <= t.day <= 14 for t in local)
    # Chicago is UTC-5 in October (CDT) and UTC-6 in November (CST): the UTC hour moves.
    assert meetings[1].starts_at.astimezone(UTC).hour == 20
    assert meetings[2].starts_at.astimezone(UTC).hour == 21
    assert len(meetings) == 8


def test_dit_meeting_gets_standing_items_and_the_team_invited(side_a):
    meeting = make_meeting(side_a.district, side_a.coordinator)
    assert [i.standing for i in meeting.agenda_items.order_by("position")] == list(StandingItem.values)
    invited = set(meeting.attendance.values_list("person_id", flat=True))
    assert invited == {side_a.coordinator.pk, side_a.leader.pk, side_a.member.pk}


def test_proposed_item_goes_before_next_meeting_and_moves(side_a):
    meeting = make_meeting(side_a.district, side_a.coordinator)
    item = services.agenda_item_propose(
        meeting=meeting, title="Reading screener results", member=side_a.membership(side_a.member)
    )
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles[-2:] == ["Reading screener results", "Next meeting"]
    services.agenda_item_move(item=item, direction="up")
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles[-3:] == ["Reading screener results", "Communication", "Next meeting"]


def test_task_minute_creates_action_item_linked_to_meeting(side_a):
    meeting = make_meeting(side_a.district, side_a.coordinator)
    item = meeting.agenda_items.get(standing=StandingItem.DATA_REVIEW)
    entry = services.minute_entry_add(
        item=item,
        kind=MinuteEntry.Kind.TASK,
        text="Share winter benchmark results with principals",
        member=side_a.membership(side_a.coordinator),
        owner=side_a.member,
        due_date=date(2026, 12, 20),
    )
    action = entry.action_item
    assert action.owner == side_a.member
    assert action.meeting == meeting
    assert action.agenda_item == item
    assert action.source_url == f"/meetings/{meeting.pk}/"
    assert action.source_label == "DIT meeting, December 8, 2026"


def test_action_item_create_keeps_its_original_signature(side_a):
    item = services.action_item_create(
        district=side_a.district, title="Call the vendor", owner=None, due_date=None, member=None
    )
    assert item.meeting is None
    assert item.status == ActionItem.Status.OPEN


def test_close_carries_unfinished_items_to_the_next_meeting(side_a):
    first = make_meeting(side_a.district, side_a.coordinator)
    second = make_meeting(side_a.district, side_a.coordinator, starts_at=first.starts_at + timedelta(days=35))
    proposed = services.agenda_item_propose(
        meeting=first, title="Coaching schedule", member=side_a.membership(side_a.member)
    )
    done = services.agenda_item_propose(
        meeting=first, title="Budget", member=side_a.membership(side_a.member)
    )
    following = services.meeting_close(
        meeting=first,
        member=side_a.membership(side_a.coordinator),
        ratings={"started_on_time": "yes", "agenda_followed": "so-so"},
        unfinished=[proposed, first.agenda_items.get(standing=StandingItem.BARRIERS)],
    )
    assert following == second
    carried = AgendaItem.objects.get(meeting=second, carried_from__isnull=False)
    assert carried.title == "Coaching schedule"
    assert not AgendaItem.objects.filter(meeting=second, title=done.title).exists()
    first.refresh_from_db()
    assert first.status == Meeting.Status.CLOSED
    assert first.started_on_time == "yes"
    assert first.decisions_recorded == ""


@pytest.mark.parametrize(
    ("year", "month", "weekday", "week", "expected"),
    [
        (2026, 9, 1, 2, date(2026, 9, 8)),
        (2026, 9, 1, -1, date(2026, 9, 29)),
        (2027, 2, 0, 4, date(2027, 2, 22)),
    ],
)
def test_nth_weekday(year, month, weekday, week, expected):
    assert services.nth_weekday(year, month, weekday, week) == expected


def test_local_to_utc_uses_the_zone_of_that_day(side_a):
    summer = services.local_to_utc(date(2026, 7, 1), time(9), side_a.district.tz)
    winter = services.local_to_utc(date(2026, 12, 1), time(9), side_a.district.tz)
    assert summer == datetime(2026, 7, 1, 14, tzinfo=UTC)
    assert winter == datetime(2026, 12, 1, 15, tzinfo=UTC)
