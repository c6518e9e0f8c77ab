from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from meetings import services
from meetings.models import MeetingKind
from meetings.reminders import DUE_ITEM_SOURCES
from meetings.tasks import meeting_reminders_send
from mtss.celery import BEAT_SCHEDULE
from mtss.notifications.models import Notification
from tests.meetings.factories import make_meeting


def test_attendees_get_agenda_and_their_items_two_days_before_once(side_a):
    soon = make_meeting(side_a.district, side_a.coordinator, starts_at=timezone.now() + timedelta(hours=40))
    make_meeting(side_a.district, side_a.coordinator, starts_at=timezone.now() + timedelta(days=9))
    make_meeting(
        side_a.district,
        side_a.coordinator,
        starts_at=timezone.now() + timedelta(hours=30),
        kind=MeetingKind.COACHING,
    )
    services.action_item_create(
        district=side_a.district,
        title="Bring the ODR data",
        owner=side_a.member,
        due_date=date(2026, 12, 1),
        member=None,
    )
    meeting_reminders_send()
    rows = Notification.objects.filter(key=f"meeting:{soon.pk}:2-days")
    assert set(rows.values_list("recipient_id", flat=True)) == {
        side_a.coordinator.pk,
        side_a.leader.pk,
        side_a.member.pk,
    }
    assert "Bring the ODR data" in rows.get(recipient=side_a.member).body
    assert "Data review" in rows.get(recipient=side_a.member).body
    assert "Bring the ODR data" not in rows.get(recipient=side_a.leader).body
    assert Notification.objects.count() == 3
    assert meeting_reminders_send() == 0
    assert Notification.objects.count() == 3


def test_reminder_task_is_scheduled():
    assert any(e["task"] == "meetings.tasks.send_meeting_reminders" for e in BEAT_SCHEDULE.values())


def test_due_item_source_points_at_the_action_items_page(side_a):
    item = services.action_item_create(
        district=side_a.district,
        title="Call",
        owner=side_a.member,
        due_date=date(2026, 1, 1),
        member=None,
    )
    items = [i for source in DUE_ITEM_SOURCES for i in source(due_on_or_before=date(2026, 2, 1))]
    assert [i.url for i in items] == [f"/action-items/{item.pk}/"]
    assert items[0].key.startswith("action-item:")
