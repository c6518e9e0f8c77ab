"""Open plan activities with due dates, offered to the reminder sweep."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.urls import reverse

from implementation_plans.models import Barrier, PlanActivity
from mtss.notifications.reminders import DigestSection, DueItem


def open_plan_activities(*, due_on_or_before: date) -> Iterator[DueItem]:
    """Every open activity due by the date, across all districts, in one query."""
    rows = (
        PlanActivity.objects.filter(status__in=PlanActivity.OPEN_STATUSES, due_date__lte=due_on_or_before)
        .order_by("due_date", "id")
        .values_list("pk", "district_id", "title", "owner_id", "due_date")
    )
    for pk, district_id, title, owner_id, due_date in rows.iterator():
        yield DueItem(
            district_id=district_id,
            key=f"plan-activity:{pk}",
            kind_label="Plan activity",
            title=title,
            owner_id=owner_id,
            due_date=due_date,
            url=reverse("plan_activity_detail", args=[pk]),
        )


def escalated_barriers(*, district_id: int, today: date) -> Iterator[DigestSection]:
    """Barriers waiting for an executive leader's decision, oldest first, for the digest."""
    barriers = Barrier.objects.filter(district_id=district_id, status=Barrier.Status.ESCALATED).order_by(
        "escalated_on", "pk"
    )
    lines = []
    for barrier in barriers:
        waited = f", escalated {(today - barrier.escalated_on).days} days ago" if barrier.escalated_on else ""
        lines.append(f"{barrier}{waited}")
    yield DigestSection(title="Escalated barriers", lines=tuple(lines))


DUE_ITEM_SOURCES = [open_plan_activities]
APPROVAL_WAIT_SOURCES: list = []
DIGEST_SECTIONS = [escalated_barriers]
