"""The weekly executive digest and the daily digest, in the district's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from mtss.notifications.delivery import deliver_inline
from mtss.notifications.kinds import Kind
from mtss.notifications.models import (
    Delivery,
    DigestFrequency,
    DigestSetting,
    Notification,
    NotificationPreference,
)
from mtss.notifications.reminders import ApprovalWait, DigestSection, DueItem
from mtss.notifications.sweep import reminders_sweep
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db
# Monday 9 November 2026; Chicago is UTC-6 in November.
MONDAY = date(2026, 11, 9)


def sweep() -> None:
    reminders_sweep(dispatch=deliver_inline)


def digests() -> list:
    return [m for m in mail.outbox if "digest" in m.subject.lower()]


def test_weekly_digest_goes_out_at_seven_local_time_on_monday(side_a, sources, time_machine):
    time_machine.move_to(datetime(2026, 11, 9, 12, 59, tzinfo=UTC), tick=False)  # 06:59 in Chicago
    sweep()
    assert digests() == []
    time_machine.move_to(datetime(2026, 11, 9, 13, 0, tzinfo=UTC), tick=False)  # 07:00 in Chicago
    sweep()
    sweep()
    assert [m.to for m in digests()] == [[side_a.leader.email]]
    time_machine.move_to(datetime(2026, 11, 10, 13, 0, tzinfo=UTC), tick=False)
    sweep()
    assert len(digests()) == 1


def test_digest_honours_the_district_time_zone_and_settings(side_a, sources, time_machine):
    side_a.district.time_zone = "America/Los_Angeles"
    side_a.district.digest_weekday = 2  # Wednesday
    side_a.district.digest_hour = 6
    side_a.district.save()
    time_machine.move_to(datetime(2026, 11, 11, 13, 59, tzinfo=UTC), tick=False)  # 05:59 Pacific
    sweep()
    assert digests() == []
    time_machine.move_to(datetime(2026, 11, 11, 14, 0, tzinfo=UTC), tick=False)  # 06:00 Pacific
    sweep()
    assert len(digests()) == 1
    row = Notification.objects.get(kind=Kind.DIGEST)
    assert row.due_at == datetime(2026, 11, 11, 14, 0, tzinfo=UTC)


def test_executive_digest_lists_waiting_drafts_overdue_work_and_app_sections(side_a, sources, time_machine):
    now = datetime(2026, 11, 9, 13, 30, tzinfo=UTC)
    time_machine.move_to(now, tick=False)
    sources.waits = [
        ApprovalWait(
            side_a.district.id, "process-version:4", "Coaching System", now - timedelta(days=4), None, "/"
        )
    ]
    sources.due = [
        DueItem(
            side_a.district.id,
            "action-item:3",
            "Action item",
            "Order reading kits",
            None,
            MONDAY - timedelta(3),
            "/",
        )
    ]
    sources.sections = [
        (side_a.district.id, DigestSection("Escalated barriers", ("Bus schedules cut intervention time",))),
        (side_a.district.id, DigestSection("Upcoming review dates", ())),
    ]
    sweep()
    (digest,) = digests()
    assert digest.subject == "Weekly digest: 1 draft waiting for approval, 1 overdue"
    assert "Coaching System: waiting 4 days" in digest.body
    assert "Order reading kits (due Nov 6), 3 days overdue" in digest.body
    assert "Escalated barriers" in digest.body
    assert "Upcoming review dates" not in digest.body
    html = digest.alternatives[0].content
    assert "<li>Coaching System: waiting 4 days</li>" in html
    assert "/notifications/preferences/" in html


def test_daily_digest_collects_what_a_person_chose_to_read_there(side_a, sources, time_machine):
    NotificationPreference.objects.create(user=side_a.member, kind=Kind.DUE_SOON, delivery=Delivery.DIGEST)
    DigestSetting.objects.create(user=side_a.member, frequency=DigestFrequency.DAILY)
    time_machine.move_to(datetime(2026, 11, 10, 9, 0, tzinfo=UTC), tick=False)  # Tuesday, 03:00 Chicago
    rows = NotificationFactory.create_batch(
        3,
        district=side_a.district,
        recipient=side_a.member,
        kind=Kind.DUE_SOON,
        subject="Due tomorrow: Plan walk",
    )
    sweep()
    assert mail.outbox == []
    time_machine.move_to(datetime(2026, 11, 10, 13, 5, tzinfo=UTC), tick=False)
    sweep()
    sweep()
    (digest,) = digests()
    assert digest.to == [side_a.member.email]
    assert digest.subject == "Daily digest: 3 notifications"
    assert digest.body.count("Due tomorrow: Plan walk") == 3
    states = set(
        Notification.objects.filter(id__in=[r.id for r in rows]).values_list("email_state", flat=True)
    )
    assert states == {Notification.EmailState.DIGESTED}
