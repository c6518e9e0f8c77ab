"""Meetings for tests, created through the services so agendas and attendance are real."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coordinators.models import District, Membership, User
from meetings import services
from meetings.models import Meeting, MeetingKind


def make_meeting(
    district: District,
    by: User,
    *,
    starts_at: datetime | None = None,
    kind: str = MeetingKind.DIT,
    title: str = "DIT meeting",
) -> Meeting:
    start = starts_at or datetime(2026, 12, 8, 21, 30, tzinfo=UTC)
    return services.meeting_create(
        kind=kind,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        location="Central Office, Board Room",
        member=Membership.objects.select_related("district", "user").get(user=by, district=district),
    )
