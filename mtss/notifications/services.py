"""Creating notifications. Call these inside the transaction of the write they follow."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mtss.notifications.models import Notification

if TYPE_CHECKING:
    from coordinators.models import District, Membership, User

logger = logging.getLogger(__name__)
State = Notification.EmailState

CREATE_BATCH_SIZE = 500


def notify(
    *,
    district: District,
    recipients: Iterable[User],
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
    if created and due <= timezone.now():
        # R1: only once the write commits; a rolled-back write queues nothing.
        transaction.on_commit(_kick_delivery)
    return created


def notifications_create(rows: list[Notification]) -> int:
    """Create many notification rows at once (reminders, digests); existing keys are left alone."""
    if not rows:
        return 0
    created = 0
    for start in range(0, len(rows), CREATE_BATCH_SIZE):
        batch = rows[start : start + CREATE_BATCH_SIZE]
        keys = {row.key for row in batch}
        before = Notification.objects.filter(key__in=keys).count()
        Notification.objects.bulk_create(batch, ignore_conflicts=True)
        created += Notification.objects.filter(key__in=keys).count() - before
    return created


def _kick_delivery() -> None:
    """Ask a worker to deliver now; if the broker is down the periodic sweep delivers later.

    The broker settings bound how long this can take (connect and socket timeouts of 2 s, no
    publish retry), so a request that wrote a notification never waits long on a dead Redis.
    """
    from mtss.notifications.tasks import deliver_due_notifications

    try:
        deliver_due_notifications.apply_async(retry=False)
    except Exception:
        # Any broker failure: the rows wait in the database for the periodic sweep (R4).
        logger.warning("Could not queue notification delivery; the periodic sweep will send it.")


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(id=notification.id, read_at__isnull=True).update(read_at=timezone.now())


def notifications_resolve(*, key_prefix: str, district: District, kinds: Iterable[str] | None = None) -> int:
    """The thing these notices ask about is settled: mark them read for everyone; return how many.

    Call it inside the transaction that settles the thing, with a prefix that ends the thing's key
    (e.g. "process-version:42:") so that item 4 never resolves item 42. Emails not yet handed to a
    worker are not sent any more: nobody needs to hear about work that is already done. Safe to
    repeat: the second call finds nothing unread.
    """
    rows = Notification.objects.filter(district=district, key__startswith=key_prefix)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    rows.filter(email_state__in=(State.PENDING, State.IN_DIGEST)).update(email_state=State.NOT_EMAILED)
    return rows.filter(read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, member: Membership) -> int:
    return Notification.objects.filter(
        recipient_id=member.user_id, district_id=member.district_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def preferences_save(
    *, person: User, deliveries: dict[str, str], digest_frequency: str, is_leader: bool
) -> None:
    """Store a person's choices. Leaders cannot make approval requests in-app only.

    The choices are the person's own in every district they work in: a User, not a Membership.
    """
    from mtss.notifications.kinds import LEADER_LOCKED_KINDS
    from mtss.notifications.models import Delivery, DigestSetting, NotificationPreference

    for kind, delivery in deliveries.items():
        if is_leader and kind in LEADER_LOCKED_KINDS and delivery == Delivery.IN_APP:
            raise ValidationError("Executive leaders always get approval requests by email.")
    with transaction.atomic():
        # One statement for every kind, however many there are.
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user=person, kind=kind, delivery=delivery)
                for kind, delivery in deliveries.items()
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["delivery"],
        )
        DigestSetting.objects.update_or_create(user=person, defaults={"frequency": digest_frequency})
