"""Creating notifications. Call these inside the transaction of the write they follow."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from mtss.notifications.models import Notification


def notify(
    *,
    district: object,
    recipients: Iterable[object],
    kind: str,
    subject: str,
    body: str = "",
    url: str = "",
    key: str,
    due_at: datetime | None = None,
) -> int:
    """Create one notification per recipient for one occurrence; return how many are new.

    `key` names the occurrence (e.g. "process-version:42:submitted"). Calling again with the
    same key and recipient adds nothing, so callers may be retried safely.
    """
    due = due_at or timezone.now()
    rows = [
        Notification(
            district=district,
            recipient=recipient,
            kind=kind,
            subject=subject[:250],
            body=body,
            url=url,
            key=key,
            due_at=due,
        )
        for recipient in {r.pk: r for r in recipients}.values()
    ]
    if not rows:
        return 0
    before = Notification.objects.filter(key=key, recipient__in=[r.recipient for r in rows]).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = Notification.objects.filter(key=key, recipient__in=[r.recipient for r in rows]).count() - before
    transaction.on_commit(_kick_delivery)
    return created


def _kick_delivery() -> None:
    """Ask a worker to deliver now; if the broker is down the periodic sweep delivers later."""
    from mtss.notifications.tasks import deliver_due_notifications

    try:
        deliver_due_notifications.apply_async(retry=False)
    except Exception:
        # Any broker failure: the rows wait in the database for the periodic sweep (R4).
        return
