"""A suspended district's reminders and digests stop; they start again once it is reactivated."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.utils import timezone

from mtss.notifications.delivery import deliver_inline
from mtss.notifications.models import Notification
from mtss.notifications.reminders import DueItem
from mtss.notifications.sweep import reminders_sweep

pytestmark = pytest.mark.django_db


def test_a_suspended_district_gets_no_reminders_or_digests_until_reactivated(side_a, sources, time_machine):
    # Monday 9 November 2026, 07:00 in Chicago: the weekly digest's hour, a week before a due date.
    time_machine.move_to(datetime(2026, 11, 9, 13, 0, tzinfo=UTC), tick=False)
    sources.due = [
        DueItem(
            district_id=side_a.district.id,
            key="action-item:1",
            kind_label="Action item",
            title="Send parent letters",
            owner_id=side_a.member.id,
            due_date=date(2026, 11, 16),
            url="/meetings/actions/1/",
        )
    ]
    side_a.district.suspended_at = timezone.now()
    side_a.district.save(update_fields=["suspended_at"])
    reminders_sweep(dispatch=deliver_inline)
    assert Notification.objects.count() == 0
    assert mail.outbox == []

    side_a.district.suspended_at = None
    side_a.district.save(update_fields=["suspended_at"])
    reminders_sweep(dispatch=deliver_inline)
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("Due in 7 days" in s for s in subjects)
    assert any("digest" in s.lower() for s in subjects)
