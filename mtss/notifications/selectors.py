"""Reads for the notification list, scoped to the person and the district they work in."""

from __future__ import annotations

from django.db.models import QuerySet

from coordinators.models import Membership
from mtss.access import get_scoped_or_404
from mtss.notifications.kinds import Kind
from mtss.notifications.models import (
    Delivery,
    DigestFrequency,
    DigestSetting,
    Notification,
    NotificationPreference,
)

State = Notification.EmailState
PROBLEM_STATES = (State.FAILED, State.UNCERTAIN)


def notifications_for(member: Membership) -> QuerySet[Notification]:
    """The member's own notifications in the district they are working in."""
    return Notification.objects.filter(recipient_id=member.user_id, district_id=member.district_id)


def get_notification_for_user(member: Membership, pk: object, *, write: bool = False) -> Notification:
    return get_scoped_or_404(
        notifications_for(member), pk, member, write=write, can_write=lambda _m, _n: True
    )


def unread_count(member: Membership) -> int:
    return notifications_for(member).filter(read_at__isnull=True).count()


def email_problems_for(member: Membership) -> QuerySet[Notification]:
    """Failed and uncertain emails of the district, for its coordinators."""
    if not member.is_coordinator:
        return Notification.objects.none()
    return (
        Notification.objects.filter(district_id=member.district_id, email_state__in=PROBLEM_STATES)
        .select_related("recipient")
        .order_by("-due_at", "-id")
    )


def get_email_problem_for_user(member: Membership, pk: object, *, write: bool = False) -> Notification:
    return get_scoped_or_404(
        email_problems_for(member), pk, member, write=write, can_write=lambda m, _n: m.is_coordinator
    )


def preferences_of(user_id: int) -> tuple[dict[str, str], str]:
    """Each kind's delivery (email when unset) and the digest frequency (weekly when unset)."""
    chosen = dict(NotificationPreference.objects.filter(user_id=user_id).values_list("kind", "delivery"))
    deliveries = {kind: chosen.get(kind, Delivery.EMAIL) for kind in Kind.values if kind != Kind.DIGEST}
    frequency = (
        DigestSetting.objects.filter(user_id=user_id).values_list("frequency", flat=True).first()
        or DigestFrequency.WEEKLY
    )
    return deliveries, frequency
