"""Email delivery of notification rows, exactly once per recipient and occurrence (QUALITY.md R2).

The sweep (`notifications_sweep_due`) reads due rows in batches, routes each by the person's
preference, claims the email rows with a conditional UPDATE that stamps a fresh claim token, and
hands the claimed ids to `deliver_notifications` tasks. The database decides at every step:

* Two sweeps at once (two beats, a beat and a kick from `notify`) cannot claim the same row: the
  UPDATE only matches rows still PENDING, and each sweep reads back the rows carrying its token.
* A task delivered twice by the broker, or retried, sends nothing the second time: it moves each
  row CLAIMED -> SENDING with a conditional UPDATE (matching its claim token) and only the one
  that wins that UPDATE talks to the mail server.

A worker killed with `kill -9`:

* while a row is CLAIMED (before its SMTP transaction began) nothing was transmitted; once the
  claim lease (`CLAIM_LEASE`) expires the sweep puts the row back to PENDING and it goes out once.
* while a row is SENDING, the mail server may or may not have accepted the message: the SMTP
  reply may have been lost with the process. After `SENDING_LEASE` the sweep marks the row
  UNCERTAIN and never resends it by itself. It shows in the admin and on the coordinators'
  "Email problems" page, where someone who has checked the mail log can choose "Send again".

The trade-off: in the rare crash inside one SMTP transaction a person may miss one email (the
notification still shows in their notification list), but no one ever receives the same email
twice. Resending automatically would turn every such crash into a likely duplicate; a lost email is
visible and recoverable, a duplicate approval reminder is not. The SENDING window is one SMTP
conversation (the SMTP timeout is 10 s), so the lease of minutes is far longer than any real send.

Refused or failed sends (the server said no, the server was down) are known not to have been
delivered: they go back to PENDING with a later due time (backoff) and become FAILED after
`MAX_ATTEMPTS`, which the district admin sees in the admin list and the coordinators' page.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mtss.notifications.kinds import Kind
from mtss.notifications.models import Delivery, Notification, NotificationPreference

logger = logging.getLogger(__name__)

# How many due rows one query reads; a sweep reads at most MAX_BATCHES_PER_SWEEP of them.
DELIVERY_BATCH_SIZE = 500
MAX_BATCHES_PER_SWEEP = 20
# How many claimed rows one delivery task sends over one SMTP connection.
TASK_CHUNK_SIZE = 25
CLAIM_LEASE = timedelta(minutes=10)
SENDING_LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
RETRY_BASE_DELAY = timedelta(minutes=1)
RETRY_FACTOR = 4

State = Notification.EmailState
Dispatch = Callable[[list[int], str], None]


@dataclass
class SweepResult:
    claimed: int = 0
    in_app_only: int = 0
    to_digest: int = 0
    released: int = 0
    uncertain: int = 0
    dispatch_failed: bool = False


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the n-th failed attempt: 1, 4, 16, 64 minutes."""
    return RETRY_BASE_DELAY * RETRY_FACTOR ** max(attempts - 1, 0)


def enqueue_delivery(ids: list[int], token: str) -> None:
    """Hand claimed rows to a worker. Raises when the broker cannot take the task."""
    from mtss.notifications.tasks import deliver_notifications

    deliver_notifications.apply_async(args=(ids, token), retry=False)


def deliver_inline(ids: list[int], token: str) -> None:
    notifications_deliver_claimed(ids=ids, token=token)


def notifications_recover_stale(*, now: datetime) -> tuple[int, int]:
    """Release claims that no task took up; mark sends cut short as UNCERTAIN (never resent)."""
    released = Notification.objects.filter(
        email_state=State.CLAIMED, email_claimed_at__lt=now - CLAIM_LEASE
    ).update(email_state=State.PENDING, claim_token=None, email_claimed_at=None)
    uncertain = Notification.objects.filter(
        email_state=State.SENDING, email_sending_at__lt=now - SENDING_LEASE
    ).update(
        email_state=State.UNCERTAIN,
        last_error="The worker stopped while sending; the mail server may or may not have received it.",
    )
    return released, uncertain


def _deliveries(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
    user_ids = {user_id for user_id, _kind in pairs}
    return {
        (user_id, kind): delivery
        for user_id, kind, delivery in NotificationPreference.objects.filter(
            user_id__in=user_ids
        ).values_list("user_id", "kind", "delivery")
    }


def route(kind: str, delivery: str | None) -> str:
    """Which way a row goes. Digests always email; approval requests are never in-app only."""
    if kind == Kind.DIGEST or delivery is None:
        return Delivery.EMAIL
    if kind == Kind.APPROVAL_REQUEST and delivery == Delivery.IN_APP:
        return Delivery.DIGEST
    return delivery


def notifications_sweep_due(*, now: datetime | None = None, dispatch: Dispatch | None = None) -> SweepResult:
    """Claim due rows and hand them to delivery tasks, with a bounded number of queries per batch."""
    now = now or timezone.now()
    dispatch = dispatch or enqueue_delivery
    result = SweepResult()
    result.released, result.uncertain = notifications_recover_stale(now=now)
    for _batch in range(MAX_BATCHES_PER_SWEEP):
        rows = list(
            Notification.objects.filter(email_state=State.PENDING, due_at__lte=now)
            .order_by("due_at", "id")
            .values_list("id", "recipient_id", "kind")[:DELIVERY_BATCH_SIZE]
        )
        if not rows:
            break
        deliveries = _deliveries((user_id, kind) for _id, user_id, kind in rows)
        routed: dict[str, list[int]] = {Delivery.EMAIL: [], Delivery.DIGEST: [], Delivery.IN_APP: []}
        for pk, user_id, kind in rows:
            routed[route(kind, deliveries.get((user_id, kind)))].append(pk)
        pending = Notification.objects.filter(email_state=State.PENDING)
        if routed[Delivery.IN_APP]:
            result.in_app_only += pending.filter(id__in=routed[Delivery.IN_APP]).update(
                email_state=State.NOT_EMAILED
            )
        if routed[Delivery.DIGEST]:
            result.to_digest += pending.filter(id__in=routed[Delivery.DIGEST]).update(
                email_state=State.IN_DIGEST
            )
        if routed[Delivery.EMAIL] and not _claim_and_dispatch(routed[Delivery.EMAIL], now, dispatch, result):
            break
        if len(rows) < DELIVERY_BATCH_SIZE:
            break
    return result


def _claim_and_dispatch(ids: list[int], now: datetime, dispatch: Dispatch, result: SweepResult) -> bool:
    token = uuid.uuid4()
    # The claim: only rows still PENDING change, and only this sweep's token marks them.
    Notification.objects.filter(id__in=ids, email_state=State.PENDING).update(
        email_state=State.CLAIMED, claim_token=token, email_claimed_at=now
    )
    claimed = list(
        Notification.objects.filter(claim_token=token, email_state=State.CLAIMED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for start in range(0, len(claimed), TASK_CHUNK_SIZE):
        chunk = claimed[start : start + TASK_CHUNK_SIZE]
        try:
            dispatch(chunk, str(token))
        except Exception:
            # Broker down: give back what no task will see; the next sweep tries again (R4).
            logger.warning(
                "Could not queue notification delivery; the rows wait for the next sweep.", exc_info=True
            )
            Notification.objects.filter(
                id__in=claimed[start:], claim_token=token, email_state=State.CLAIMED
            ).update(email_state=State.PENDING, claim_token=None, email_claimed_at=None)
            result.claimed += start
            result.dispatch_failed = True
            return False
    result.claimed += len(claimed)
    return True


def notifications_deliver_claimed(*, ids: list[int], token: str) -> int:
    """Send the rows this claim owns; return how many the mail server accepted.

    Each row is marked SENDING (committed) before its SMTP transaction, one row at a time, so a
    crash leaves at most one row whose fate is truly unknown. Accepted rows are marked SENT
    together at the end of the chunk to save a commit per email; if the worker dies before that,
    those rows stay SENDING and become UNCERTAIN: reviewed, never sent twice.
    """
    rows = list(
        Notification.objects.filter(id__in=ids, claim_token=token, email_state=State.CLAIMED)
        .select_related("recipient", "district")
        .order_by("id")
    )
    if not rows:
        return 0
    accepted: list[int] = []
    connection = mailers.create_connection("default")
    try:
        # Opened here, one SMTP session serves the whole chunk (send_messages would otherwise
        # open and close a connection per email). A failure to connect fails each row below.
        connection.open()
    except Exception:
        logger.warning("Could not connect to the mail server; each email will retry.", exc_info=True)
    try:
        for notification in rows:
            # Only the task that wins this UPDATE talks to the mail server about this row.
            won = Notification.objects.filter(
                id=notification.id, claim_token=token, email_state=State.CLAIMED
            ).update(email_state=State.SENDING, email_sending_at=timezone.now(), attempts=F("attempts") + 1)
            if not won:
                continue
            try:
                message = build_message(notification)
                connection.send_messages([message])
            except SoftTimeLimitExceeded:
                # Cut off mid-send, so the server may have the email: the row stays SENDING (it
                # becomes "may have been sent", never resent) and the rest wait for a later sweep.
                logger.warning(
                    "Delivery passed its time limit while sending notification %s", notification.id
                )
                break
            except Exception as error:
                _record_failure(notification, error)
                continue
            accepted.append(notification.id)
    finally:
        if accepted:
            Notification.objects.filter(id__in=accepted, email_state=State.SENDING).update(
                email_state=State.SENT, email_sent_at=timezone.now(), last_error=""
            )
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the mail connection failed.", exc_info=True)
    return len(accepted)


def _record_failure(notification: Notification, error: Exception) -> None:
    attempts = notification.attempts + 1
    detail = f"{type(error).__name__}: {error}"[:500]
    logger.warning("Email for notification %s failed (attempt %s): %s", notification.id, attempts, detail)
    rows = Notification.objects.filter(id=notification.id, email_state=State.SENDING)
    if attempts >= MAX_ATTEMPTS:
        rows.update(email_state=State.FAILED, last_error=detail, claim_token=None)
    else:
        rows.update(
            email_state=State.PENDING,
            due_at=timezone.now() + retry_delay(attempts),
            last_error=detail,
            claim_token=None,
        )


def notifications_send_again(*, ids: Iterable[int], district_id: int | None = None) -> int:
    """Put failed or uncertain emails back in the queue (after someone checked the mail log)."""
    rows = Notification.objects.filter(id__in=list(ids), email_state__in=[State.FAILED, State.UNCERTAIN])
    if district_id is not None:
        rows = rows.filter(district_id=district_id)
    return rows.update(
        email_state=State.PENDING, due_at=timezone.now(), attempts=0, last_error="", claim_token=None
    )


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else settings.SITE_URL


def email_link(notification: Notification) -> str:
    """The path an email links to: the notification's own, except for an invitation.

    An invitation's set-password link is made now, as the email goes out, and stored only as a
    hash: it is in no notification row, so nobody reading the rows (or the admin) can use it.
    """
    kind, _, rest = notification.key.partition(":")
    if notification.kind == Kind.INVITATION and kind == "invitation":
        from coordinators.services import invitation_email_link

        return invitation_email_link(invitation_id=int(rest.split(":")[0])) or notification.url
    return notification.url


def build_message(notification: Notification) -> EmailMultiAlternatives:
    context = {
        "notification": notification,
        "district": notification.district,
        "link": absolute(email_link(notification)),
        "preferences_link": absolute(reverse("notification_preferences")),
        "notifications_link": absolute(reverse("notification_list")),
        "site_url": settings.SITE_URL,
        "is_digest": notification.kind == Kind.DIGEST,
    }
    # The worker runs in UTC: every date the email shows is the recipient's district's.
    with timezone.override(notification.district.tz):
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=render_to_string("notifications/email.txt", context),
            to=[notification.recipient.email],
            headers={"X-MTSS-Notification": str(notification.id)},
        )
        message.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    return message
