"""Email delivery of notification rows: claim each row with a conditional UPDATE, then send."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from mtss.notifications.models import Notification

DELIVERY_BATCH_SIZE = 200


def notifications_deliver_due(*, limit: int = DELIVERY_BATCH_SIZE) -> int:
    """Send due notifications by email; return how many were sent by this call."""
    now = timezone.now()
    due_ids = list(
        Notification.objects.filter(email_state=Notification.EmailState.PENDING, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    sent = 0
    for notification_id in due_ids:
        # The conditional update is the claim: only one worker moves a row out of PENDING.
        claimed = Notification.objects.filter(
            Q(id=notification_id), Q(email_state=Notification.EmailState.PENDING)
        ).update(email_state=Notification.EmailState.SENDING, email_claimed_at=timezone.now())
        if not claimed:
            continue
        notification = Notification.objects.select_related("recipient", "district").get(id=notification_id)
        _send(notification)
        Notification.objects.filter(id=notification_id).update(
            email_state=Notification.EmailState.SENT, email_sent_at=timezone.now()
        )
        sent += 1
    return sent


def _send(notification: Notification) -> None:
    context = {
        "notification": notification,
        "link": f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=render_to_string("notifications/email.txt", context),
        to=[notification.recipient.email],
    )
    message.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    message.send()
