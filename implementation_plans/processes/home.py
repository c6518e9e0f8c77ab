"""Home panels: leaders see what waits for their approval; authors see their drafts and returned ones."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from implementation_plans.models import ProcessVersion
from implementation_plans.processes import selectors
from mtss.access import MemberRequest
from mtss.navigation import HomePanel

Status = ProcessVersion.Status
HOME_DRAFT_LIMIT = 8


def home_panels(request: MemberRequest) -> list[HomePanel]:
    member = request.membership
    if member.is_leader:
        waiting = list(selectors.approval_queue(member)[:1])
        count = selectors.approval_queue(member).count() if waiting else 0
        oldest = waiting[0] if waiting else None
        days = (
            (
                selectors.district_today(member)
                - timezone.localdate(oldest.submitted_at, timezone=member.district.tz)
            ).days
            if oldest
            else 0
        )
        return [
            HomePanel(
                title="Waiting for your approval",
                template="implementation_plans/processes/_home_waiting.html",
                context={"count": count, "oldest": oldest, "oldest_days": days},
                order=10,
                empty="" if count else "No process is waiting for your approval.",
            )
        ]
    if member.is_coordinator or member.is_member:
        mine = (
            selectors.versions_for(member)
            .filter(
                Q(process__latest_version=F("pk")),
                status__in=[Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED],
            )
            .select_related("process")
            .order_by("process__position", "process__name")
        )
        if member.is_member:
            mine = mine.filter(process__co_authors=member.user)
        versions = list(mine[:HOME_DRAFT_LIMIT])
        if member.is_member and not versions:
            return []
        return [
            HomePanel(
                title="Your process drafts",
                template="implementation_plans/processes/_home_drafts.html",
                context={
                    "returned": [v for v in versions if v.status == Status.CHANGES_REQUESTED],
                    "drafts": [v for v in versions if v.status != Status.CHANGES_REQUESTED],
                },
                order=10,
                empty="" if versions else "No drafts in progress.",
            )
        ]
    return []
