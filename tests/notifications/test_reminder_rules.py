"""Approval and timeline reminders: who hears, when, and only once (clock moved with time-machine)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from coordinators.models import Role
from mtss.notifications.delivery import deliver_inline
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from mtss.notifications.reminders import ApprovalWait, DueItem
from mtss.notifications.sweep import reminders_sweep
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def sweep() -> None:
    reminders_sweep(dispatch=deliver_inline)


def item(side, *, due: date, owner=None, key: str = "action-item:1") -> DueItem:
    return DueItem(
        district_id=side.district.id,
        key=key,
        kind_label="Action item",
        title="Send parent letters",
        owner_id=(owner or side.member).id,
        due_date=due,
        url="/meetings/actions/1/",
    )


def reminder_mail() -> list:
    """Emails other than the leaders' weekly digest (which also goes out on Mondays)."""
    return [m for m in mail.outbox if "digest" not in m.subject]


def sent_to(key_suffix: str) -> set[str]:
    return set(
        Notification.objects.filter(
            key__endswith=key_suffix, email_state=Notification.EmailState.SENT
        ).values_list("recipient__email", flat=True)
    )


def test_timeline_reminders_go_to_owner_then_coordinator_then_leaders(side_a, sources, time_machine):
    time_machine.move_to(datetime(2026, 5, 4, 15, 0, tzinfo=UTC), tick=False)  # 10:00 in Chicago
    sources.due = [item(side_a, due=date(2026, 5, 11))]
    sweep()
    assert sent_to(":due-7") == {side_a.member.email}
    assert reminder_mail()[-1].subject == "Due in 7 days: Send parent letters"

    time_machine.move_to(datetime(2026, 5, 10, 15, 0, tzinfo=UTC), tick=False)
    sweep()
    assert sent_to(":due-1") == {side_a.member.email}
    assert reminder_mail()[-1].subject == "Due tomorrow: Send parent letters"

    time_machine.move_to(datetime(2026, 5, 12, 15, 0, tzinfo=UTC), tick=False)
    sweep()
    assert sent_to(":overdue") == {side_a.member.email, side_a.coordinator.email}

    time_machine.move_to(datetime(2026, 5, 25, 15, 0, tzinfo=UTC), tick=False)
    sweep()
    assert not Notification.objects.filter(key__endswith=":overdue-14").exists()

    time_machine.move_to(datetime(2026, 5, 26, 15, 0, tzinfo=UTC), tick=False)
    sweep()
    sweep()
    assert sent_to(":overdue-14") == {side_a.leader.email}
    assert len(reminder_mail()) == 5
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 3


def test_today_is_the_districts_local_date(side_a, sources, time_machine):
    # 03:00 UTC on 4 May is still 3 May in Chicago: 8 days before the due date, no reminder yet.
    time_machine.move_to(datetime(2026, 5, 4, 3, 0, tzinfo=UTC), tick=False)
    sources.due = [item(side_a, due=date(2026, 5, 11))]
    sweep()
    assert Notification.objects.count() == 0


def test_reminder_across_daylight_saving_goes_out_once_at_seven_local(side_a, sources, time_machine):
    # Clocks in Chicago go forward at 02:00 on Sunday 8 March 2026; the due-7 reminder is that day.
    sources.due = [item(side_a, due=date(2026, 3, 15))]
    time_machine.move_to(datetime(2026, 3, 8, 6, 30, tzinfo=UTC), tick=False)  # 00:30 CST
    sweep()
    row = Notification.objects.get()
    assert row.due_at == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)  # 07:00 CDT, not 13:00 UTC
    assert row.due_at.astimezone(side_a.district.tz).hour == 7
    time_machine.move_to(datetime(2026, 3, 8, 11, 59, tzinfo=UTC), tick=False)
    sweep()
    assert mail.outbox == []
    for minute in (0, 1, 2):
        time_machine.move_to(datetime(2026, 3, 8, 12, minute, tzinfo=UTC), tick=False)
        sweep()
    assert len(mail.outbox) == 1


def test_approval_waiting_reminds_leaders_every_n_days_then_the_coordinator(side_a, sources, time_machine):
    submitted = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)
    sources.waits = [
        ApprovalWait(
            district_id=side_a.district.id,
            key="process-version:7",
            title="Coaching System",
            submitted_at=submitted,
            author_id=side_a.coordinator.id,
            url="/processes/7/",
        )
    ]
    time_machine.move_to(submitted + timedelta(days=2, hours=23), tick=False)
    sweep()
    assert mail.outbox == []
    time_machine.move_to(submitted + timedelta(days=3, minutes=1), tick=False)
    sweep()
    sweep()
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Approval waiting 3 days: Coaching System", [side_a.leader.email])
    ]
    time_machine.move_to(submitted + timedelta(days=6, minutes=1), tick=False)
    sweep()
    assert sorted(m.to[0] for m in mail.outbox[1:]) == sorted([side_a.leader.email, side_a.coordinator.email])
    assert {m.subject for m in mail.outbox[1:]} == {"Approval waiting 6 days: Coaching System"}
    assert "/processes/7/" in mail.outbox[1].body


def test_district_setting_changes_the_approval_interval(side_a, sources, time_machine):
    side_a.district.approval_reminder_days = 5
    side_a.district.save()
    submitted = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)
    sources.waits = [
        ApprovalWait(side_a.district.id, "process-version:8", "Data Review Process", submitted, None, "/")
    ]
    # Day 4 would be past the default of 3 days; day 5 less a minute is still inside the district's 5.
    for waited in (timedelta(days=4), timedelta(days=5) - timedelta(minutes=1)):
        time_machine.move_to(submitted + waited, tick=False)
        sweep()
        assert reminder_mail() == []
    time_machine.move_to(submitted + timedelta(days=5, minutes=1), tick=False)
    sweep()
    assert [(m.subject, m.to) for m in reminder_mail()] == [
        ("Approval waiting 5 days: Data Review Process", [side_a.leader.email])
    ]


def test_inactive_people_and_other_districts_get_nothing(side_a, side_b, sources, time_machine):
    time_machine.move_to(datetime(2026, 5, 12, 15, 0, tzinfo=UTC), tick=False)
    gone = UserFactory(email="left.district@example.org", is_active=False)
    MembershipFactory(user=gone, district=side_a.district, role=Role.COORDINATOR)
    sources.due = [item(side_a, due=date(2026, 5, 11))]
    sweep()
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {side_a.member.email, side_a.coordinator.email}
