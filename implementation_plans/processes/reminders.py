"""Drafts waiting for an executive leader's decision, offered to the reminder sweep."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.urls import reverse

from implementation_plans.models import Process, ProcessVersion
from mtss.notifications.reminders import ApprovalWait, DigestSection

REVIEW_HORIZON_DAYS = 60


def waiting_process_drafts() -> Iterator[ApprovalWait]:
    """Every submitted process version across all districts, in one query."""
    versions = (
        ProcessVersion.objects.filter(status=ProcessVersion.Status.SUBMITTED)
        .select_related("process")
        .order_by("submitted_at", "pk")
    )
    for version in versions:
        if (
            version.submitted_at is None
        ):  # a submitted version has its time; the check is for the type checker
            continue
        yield ApprovalWait(
            district_id=version.process.district_id,
            key=f"process-version:{version.pk}",
            title=version.process.name,
            submitted_at=version.submitted_at,
            author_id=version.submitted_by_id or version.author_id,
            url=reverse("process_detail", args=[version.process_id]),
        )


def upcoming_reviews(*, district_id: int, today: date) -> Iterator[DigestSection]:
    """Approved processes whose review date falls within the horizon (or has passed), for the digest."""
    processes = (
        Process.objects.filter(
            district_id=district_id,
            approved_version__review_on__lte=today + timedelta(days=REVIEW_HORIZON_DAYS),
        )
        .select_related("approved_version")
        .order_by("approved_version__review_on", "name")
    )
    lines = []
    for process in processes:
        # The filter leaves out processes without an approved version to review; the check is for
        # the type checker.
        if process.approved_version is None or process.approved_version.review_on is None:
            continue
        review_on = process.approved_version.review_on
        when = "overdue since" if review_on < today else "due"
        lines.append(f"{process.name}: review {when} {review_on:%b} {review_on.day}, {review_on.year}")
    yield DigestSection(title="Upcoming process reviews", lines=tuple(lines))


DUE_ITEM_SOURCES: list = []
APPROVAL_WAIT_SOURCES = [waiting_process_drafts]
DIGEST_SECTIONS = [upcoming_reviews]
