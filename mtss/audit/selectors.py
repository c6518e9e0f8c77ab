"""Reading the audit trail, scoped to one district."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from coordinators.models import Membership
from mtss.audit.models import AuditEvent


def audit_events_for(member: Membership) -> QuerySet[AuditEvent]:
    """The events that happened in the member's district, sign-ins to it included.

    Scoped by the event's own district only: a person who works in two districts has each
    district see only what they did there.
    """
    return AuditEvent.objects.filter(district=member.district).select_related("actor").order_by("-at", "-id")


def audit_events_filtered(
    member: Membership,
    *,
    person: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = audit_events_for(member)
    if person:
        events = events.filter(Q(actor_label__icontains=person) | Q(actor__full_name__icontains=person))
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events


def audit_actions_for(member: Membership) -> list[str]:
    return sorted(set(audit_events_for(member).order_by().values_list("action", flat=True).distinct()))
