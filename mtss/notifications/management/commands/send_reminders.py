"""Run one reminder sweep now and send what is due in this process (for cron and for checks)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mtss.notifications.delivery import deliver_inline
from mtss.notifications.sweep import reminders_sweep


class Command(BaseCommand):
    help = "Write due reminders and digests, then send every due notification email once."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reminders_sweep(dispatch=deliver_inline)
        delivery = result.delivery
        self.stdout.write(
            f"{result.reminders} new reminders, {result.digests} new digests, "
            f"{delivery.claimed} emails sent or tried, {delivery.to_digest} kept for digests, "
            f"{delivery.in_app_only} in-app only, {delivery.uncertain} marked uncertain."
        )
