"""Reads for district processes, always scoped to the member's district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from django.db.models import QuerySet
from django.utils import timezone

from coordinators.models import Membership, Role, User
from coordinators.selectors import district_people
from implementation_plans.models import Process, ProcessComment, ProcessVersion
from implementation_plans.processes.catalogue import STANDARD_PROCESSES
from mtss.access import get_scoped_or_404

REVIEW_SOON_DAYS = 30
Status = ProcessVersion.Status


def district_today(member: Membership) -> date:
    return timezone.localdate(timezone=member.district.tz)


def can_edit_process(member: Membership, process: Process) -> bool:
    """Coordinators edit every process; a DIT member edits the ones they were invited to co-author."""
    if member.district_id != process.district_id:
        return False
    if member.is_coordinator:
        return True
    return member.is_member and process.co_authors.filter(pk=member.user_id).exists()


def processes_for(member: Membership) -> QuerySet[Process]:
    """The district's processes. Site admins work with their schools, not district processes."""
    if not member.sees_whole_district:
        return Process.objects.none()
    return Process.objects.filter(district_id=member.district_id)


def get_process_for_user(member: Membership, pk: object, *, write: bool = False) -> Process:
    return get_scoped_or_404(
        processes_for(member).select_related("owner", "approved_version", "latest_version"),
        pk,
        member,
        write=write,
        can_write=can_edit_process,
    )


def versions_for(member: Membership) -> QuerySet[ProcessVersion]:
    if not member.sees_whole_district:
        return ProcessVersion.objects.none()
    return ProcessVersion.objects.filter(process__district_id=member.district_id)


def get_version_for_user(member: Membership, pk: object, *, write: bool = False) -> ProcessVersion:
    """A version; writing (deciding on it) is for the district's executive leaders."""
    return get_scoped_or_404(
        versions_for(member).select_related("process", "process__district", "author", "submitted_by"),
        pk,
        member,
        write=write,
        can_write=lambda m, _v: m.is_leader,
    )


@dataclass
class BoardRow:
    name: str
    slug: str
    process: Process | None
    status: str  # a Status value, or "not_started"
    status_label: str
    owner: User | None
    approved_on: date | None
    waiting_days: int | None
    review_on: date | None
    review_due: bool
    is_custom: bool

    STATUS_BADGES: ClassVar[dict[str, str]] = ProcessVersion.STATUS_BADGES

    def get_status_display(self) -> str:
        return self.status_label


BOARD_STATUS_CHOICES = [
    ("", "Any status"),
    ("not_started", "Not started"),
    (Status.DRAFT, "Draft"),
    (Status.SUBMITTED, "Submitted"),
    (Status.CHANGES_REQUESTED, "Changes requested"),
    (Status.APPROVED, "Approved"),
]


def _row(process: Process | None, *, name: str, slug: str, today: date) -> BoardRow:
    latest = process.latest_version if process else None
    approved = process.approved_version if process else None
    status = latest.status if latest else "not_started"
    label = latest.get_status_display() if latest else "Not started"
    waiting = None
    if process is not None and latest and latest.status == Status.SUBMITTED and latest.submitted_at:
        waiting = (today - timezone.localdate(latest.submitted_at, timezone=process.district.tz)).days
    review_on = approved.review_on if approved else None
    return BoardRow(
        name=name,
        slug=slug,
        process=process,
        status=status,
        status_label=label,
        owner=process.owner if process else None,
        approved_on=timezone.localdate(approved.decided_at, timezone=process.district.tz)
        if process is not None and approved and approved.decided_at
        else None,
        waiting_days=waiting,
        review_on=review_on,
        review_due=review_on is not None and review_on <= today + timedelta(days=REVIEW_SOON_DAYS),
        is_custom=process.is_custom if process else False,
    )


def process_board(member: Membership, *, status: str = "", review_due: bool = False) -> list[BoardRow]:
    """The eight standard processes (started or not) and the district's own, in one query."""
    today = district_today(member)
    processes = {
        p.slug: p
        for p in processes_for(member).select_related(
            "district", "owner", "approved_version", "latest_version"
        )
    }
    rows = []
    for standard in STANDARD_PROCESSES:
        process = processes.pop(standard.slug, None)
        rows.append(
            _row(process, name=process.name if process else standard.name, slug=standard.slug, today=today)
        )
    for process in sorted(processes.values(), key=lambda p: (p.position, p.name)):
        rows.append(_row(process, name=process.name, slug=process.slug, today=today))
    if status:
        rows = [r for r in rows if r.status == status]
    if review_due:
        rows = [r for r in rows if r.review_due]
    return rows


def approval_queue(member: Membership) -> QuerySet[ProcessVersion]:
    """Submitted drafts waiting for a decision, oldest first."""
    return (
        versions_for(member)
        .filter(status=Status.SUBMITTED)
        .select_related("process", "submitted_by", "author")
        .order_by("submitted_at", "pk")
    )


def version_history(process: Process) -> QuerySet[ProcessVersion]:
    return process.versions.select_related("author", "submitted_by", "decided_by").order_by("-number")


def comments_for(versions: list[ProcessVersion]) -> QuerySet[ProcessComment]:
    return (
        ProcessComment.objects.filter(version__in=versions)
        .select_related("author", "version")
        .order_by("created_at", "pk")
    )


def version_by_number(process: Process, number: int | str) -> ProcessVersion | None:
    try:
        return process.versions.select_related("author", "decided_by", "submitted_by").get(number=int(number))
    except (ProcessVersion.DoesNotExist, ValueError, TypeError):
        return None


def co_author_candidates(process: Process) -> QuerySet[User]:
    """DIT members of the district who are not yet co-authors."""
    return district_people(process.district_id, Role.MEMBER).exclude(co_authored_processes=process)
