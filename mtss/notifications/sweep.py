"""One periodic sweep: write the reminder rows the rules call for, write due digests, deliver."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from mtss.notifications.delivery import Dispatch, SweepResult, notifications_sweep_due
from mtss.notifications.digest import digests_create
from mtss.notifications.reminder_rules import reminder_rows
from mtss.notifications.services import notifications_create

logger = logging.getLogger(__name__)


@dataclass
class ReminderSweep:
    reminders: int
    digests: int
    delivery: SweepResult


def reminders_sweep(*, now: datetime | None = None, dispatch: Dispatch | None = None) -> ReminderSweep:
    now = now or timezone.now()
    reminders = notifications_create(reminder_rows(now=now))
    digests = digests_create(now=now)
    delivery = notifications_sweep_due(now=now, dispatch=dispatch)
    logger.info(
        "Reminder sweep: %s new reminders, %s digests, %s emails queued", reminders, digests, delivery.claimed
    )
    return ReminderSweep(reminders=reminders, digests=digests, delivery=delivery)
