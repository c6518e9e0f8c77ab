"""Escalated barriers and upcoming process reviews reach the executive digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from implementation_plans.models import Barrier
from mtss.notifications.delivery import deliver_inline
from mtss.notifications.reminders import digest_sections
from mtss.notifications.sweep import reminders_sweep
from tests.implementation_plans.plan_factories import BarrierFactory
from tests.implementation_plans.process_factories import approved

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 9)


def _setup(side_a, side_b) -> None:
    BarrierFactory(
        district=side_a.district,
        description="No substitute pool for coaching release days",
        status=Barrier.Status.ESCALATED,
        escalated_on=MONDAY - timedelta(days=6),
    )
    BarrierFactory(district=side_a.district, description="Handled by the DIT", status=Barrier.Status.OPEN)
    BarrierFactory(
        district=side_b.district, description="District B barrier", status=Barrier.Status.ESCALATED
    )
    version = approved(side_a.membership(side_a.coordinator), side_a.membership(side_a.leader))
    version.review_on = MONDAY + timedelta(days=20)
    version.save(update_fields=["review_on"])


def test_sections_list_only_this_districts_escalated_barriers_and_reviews(side_a, side_b):
    _setup(side_a, side_b)
    sections = {s.title: s.lines for s in digest_sections(district_id=side_a.district.pk, today=MONDAY)}
    assert sections["Escalated barriers"] == (
        "No substitute pool for coaching release days, escalated 6 days ago",
    )
    assert sections["Upcoming process reviews"] == ("Coaching System: review due Nov 29, 2026",)


def test_weekly_digest_email_carries_both_sections(side_a, side_b, time_machine):
    _setup(side_a, side_b)
    time_machine.move_to(datetime(2026, 11, 9, 13, 0, tzinfo=UTC), tick=False)  # 07:00 in Chicago
    reminders_sweep(dispatch=deliver_inline)
    digest = next(m for m in mail.outbox if "digest" in m.subject.lower() and side_a.leader.email in m.to)
    assert "No substitute pool for coaching release days" in digest.body
    assert "Coaching System: review due Nov 29, 2026" in digest.body
    assert "District B barrier" not in digest.body
