"""Drafts waiting for an executive leader's decision, offered to the reminder sweep."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from implementation_plans.models import ProcessVersion
from mtss.notifications.reminders import ApprovalWait


def waiting_process_drafts() -> Iterator[ApprovalWait]:
    """Every submitted process version across all districts, in one query."""
    versions = (
        ProcessVersion.objects.filter(status=ProcessVersion.Status.SUBMITTED)
        .select_related("process")
        .order_by("submitted_at", "pk")
    )
    for version in versions:
        yield ApprovalWait(
            district_id=version.process.district_id,
            key=f"process-version:{version.pk}",
            title=version.process.name,
            submitted_at=version.submitted_at,
            author_id=version.submitted_by_id or version.author_id,
            url=reverse("process_detail", args=[version.process_id]),
        )


DUE_ITEM_SOURCES: list = []
APPROVAL_WAIT_SOURCES = [waiting_process_drafts]
