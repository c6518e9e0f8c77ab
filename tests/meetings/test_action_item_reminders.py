"""A moved due date gets its own reminders: the sweep reminds the owner of the new date, once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from meetings import action_items, services
from meetings.models import ActionItem
from mtss.notifications.delivery import deliver_inline
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from mtss.notifications.sweep import reminders_sweep

pytestmark = pytest.mark.django_db


def _sweep() -> None:
    reminders_sweep(dispatch=deliver_inline)


def _tomorrow_mail(item: ActionItem) -> list[str]:
    return [m.to[0] for m in mail.outbox if m.subject == f"Due tomorrow: {item.title}"]


@pytest.fixture
def item(side_a) -> ActionItem:
    return services.action_item_create(
        district=side_a.district,
        title="Send the screening letters",
        owner=side_a.member,
        due_date=date(2026, 12, 10),
        member=side_a.membership(side_a.coordinator),
    )


def test_the_owner_is_reminded_of_the_new_date_once_after_moving_it(side_a, item, time_machine):
    time_machine.move_to(datetime(2026, 12, 9, 16, 0, tzinfo=UTC), tick=False)  # 10:00 in Chicago
    _sweep()
    assert _tomorrow_mail(item) == [side_a.member.email]
    first = Notification.objects.get(kind=Kind.DUE_SOON, key__endswith=":due-1")
    assert first.key == f"action-item:{item.pk}:due-1"  # a date never moved keeps its key

    action_items.action_item_update(
        member=side_a.membership(side_a.member), item=item, changes={"due_date": date(2026, 12, 20)}
    )
    first.refresh_from_db()
    assert first.read_at is not None  # the notice about Dec 10 is settled

    time_machine.move_to(datetime(2026, 12, 19, 16, 0, tzinfo=UTC), tick=False)
    _sweep()
    _sweep()
    assert _tomorrow_mail(item) == [side_a.member.email, side_a.member.email]  # Dec 10, then Dec 20
    moved = Notification.objects.get(kind=Kind.DUE_SOON, key__endswith=":due-1", read_at__isnull=True)
    assert moved.key == f"action-item:{item.pk}:moved-to-2026-12-20:due-1"
    assert "Dec 20" in moved.body or "December 20" in moved.body


def test_an_item_never_moved_is_reminded_once_as_before(side_a, item, time_machine):
    time_machine.move_to(datetime(2026, 12, 9, 16, 0, tzinfo=UTC), tick=False)
    _sweep()
    _sweep()
    assert _tomorrow_mail(item) == [side_a.member.email]
