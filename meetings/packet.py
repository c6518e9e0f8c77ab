"""The meeting packet: everything the team reads before a meeting, gathered in one read.

Every part comes through the member's district-scoped selectors, so a packet never shows what its
reader could not open on its own page. Dates are the district's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from coordinators.models import Membership
from data_reviews.home import district_snapshot
from data_reviews.scores.charts import TIER_COLOURS
from implementation_plans.models import Barrier, PlanActivity, ProcessVersion
from implementation_plans.plan import selectors as plan_selectors
from implementation_plans.processes import selectors as process_selectors
from implementation_plans.processes.selectors import BoardRow
from meetings import selectors
from meetings.models import ActionItem, AgendaItem, Meeting, MinuteEntry, StandingItem

ACTIVITY_LOOKAHEAD_DAYS = 31
ACTION_ITEM_LIMIT = 300
ACTIVITY_LIMIT = 200
BARRIER_LIMIT = 100
NOBODY = "Nobody yet"


@dataclass
class AgendaTiming:
    """The agenda's planned minutes against the meeting's length."""

    planned: int
    length: int

    @property
    def over_by(self) -> int:
        return max(0, self.planned - self.length)

    @property
    def runs_over(self) -> bool:
        return self.planned > self.length


def agenda_timing(meeting: Meeting, agenda: list[AgendaItem]) -> AgendaTiming:
    length = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    return AgendaTiming(planned=sum(item.minutes_planned for item in agenda), length=length)


def is_late(due: date | None, today: date) -> bool:
    return due is not None and due < today


@dataclass
class OwnerGroup:
    owner: str
    today: date
    items: list[ActionItem] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if is_late(item.due_date, self.today))


@dataclass
class Segment:
    """One tier's share of a bar in the server-drawn triangle chart."""

    tier: int
    pct: int
    x: float
    width: float
    color: str

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2

    @property
    def legend_x(self) -> int:
        return int(BAR_LEFT) + (self.tier - 1) * 80

    @property
    def text_color(self) -> str:
        return "#000" if self.tier == 2 else "#fff"


@dataclass
class Bar:
    label: str
    segments: list[Segment]
    y: int


@dataclass
class SubjectSnapshot:
    subject_label: str
    period_label: str
    summary: str
    rows: list[list[Any]]  # Tier, students, % of students tested, guide %
    bars: list[Bar]

    @property
    def title(self) -> str:
        return f"{self.subject_label.capitalize()}, {self.period_label}"


@dataclass
class Packet:
    meeting: Meeting
    local_start: datetime
    local_end: datetime
    today: date
    agenda: list[AgendaItem]
    timing: AgendaTiming
    previous: Meeting | None
    previous_start: datetime | None
    decisions: list[MinuteEntry]
    owners: list[OwnerGroup]
    activities: list[PlanActivity]
    activities_until: date
    barriers: list[Barrier]
    approvals: list[ProcessVersion]
    reviews_due: list[BoardRow]
    snapshots: list[SubjectSnapshot]

    @property
    def open_items(self) -> int:
        return sum(len(group.items) for group in self.owners)


BAR_LEFT, BAR_WIDTH = 110.0, 380.0


def _bars(rows: list[list[Any]]) -> list[Bar]:
    """The dashboard's triangle as two stacked horizontal bars: the students, then the guide."""
    shares = {
        "Students": [(tier, int(row[2] or 0)) for tier, row in enumerate(rows[:3], start=1)],
        "Healthy guide": [(tier, int(row[3])) for tier, row in enumerate(rows[:3], start=1)],
    }
    bars = []
    for number, (label, parts) in enumerate(shares.items()):
        x = BAR_LEFT
        segments = []
        for tier, pct in parts:
            width = BAR_WIDTH * pct / 100
            segments.append(
                Segment(tier=tier, pct=pct, x=round(x, 1), width=round(width, 1), color=TIER_COLOURS[tier])
            )
            x += width
        bars.append(Bar(label=label, segments=segments, y=10 + number * 40))
    return bars


def data_snapshots(member: Membership) -> list[SubjectSnapshot]:
    """The newest window of every subject: the district dashboard's own summary and triangle.

    The same per-subject snapshot the executive leader's home shows, drawn here without a script.
    """
    return [
        SubjectSnapshot(
            subject_label=shown["label"],
            period_label=shown["period_label"],
            summary=shown["summary"],
            rows=shown["triangle"].rows,
            bars=_bars(shown["triangle"].rows),
        )
        for shown in district_snapshot(member)
    ]


def _previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last meeting of the same district and kind that took place before this one."""
    return (
        Meeting.objects.filter(
            district_id=meeting.district_id,
            kind=meeting.kind,
            status=Meeting.Status.CLOSED,
            starts_at__lt=meeting.starts_at,
        )
        .order_by("-starts_at", "-id")
        .first()
    )


def _owner_groups(items: QuerySet[ActionItem], today: date) -> list[OwnerGroup]:
    groups: dict[int | None, OwnerGroup] = {}
    for item in items[:ACTION_ITEM_LIMIT]:
        key = item.owner_id
        if key not in groups:
            groups[key] = OwnerGroup(owner=str(item.owner) if item.owner else NOBODY, today=today)
        groups[key].items.append(item)
    for group in groups.values():
        # Overdue first, then by due date; items without a date last.
        group.items.sort(
            key=lambda i: (not is_late(i.due_date, today), i.due_date is None, i.due_date or today, i.pk)
        )
    return sorted(groups.values(), key=lambda g: (g.owner == NOBODY, -g.overdue, g.owner.lower()))


def meeting_packet(member: Membership, meeting: Meeting) -> Packet:
    """The packet for one meeting of the member's district, as the member may read it."""
    tz = meeting.district.tz
    today = timezone.localdate(timezone=tz)
    agenda = list(meeting.agenda_items.select_related("proposed_by").order_by("position", "id"))
    previous = _previous_meeting(meeting)
    decisions = (
        list(
            MinuteEntry.objects.filter(agenda_item__meeting=previous, kind=MinuteEntry.Kind.DECISION)
            .select_related("agenda_item")
            .order_by("agenda_item__position", "created_at", "id")
        )
        if previous is not None
        else []
    )
    open_items = (
        selectors.action_items_for(member).filter(status=ActionItem.Status.OPEN).order_by("due_date", "id")
    )
    # Due in the month after the meeting (or after today, for a meeting already past), or overdue.
    local_start = timezone.localtime(meeting.starts_at, tz)
    until = max(today, local_start.date()) + timedelta(days=ACTIVITY_LOOKAHEAD_DAYS)
    activities = list(
        plan_selectors.activities_for(member)
        .filter(status__in=PlanActivity.OPEN_STATUSES, due_date__lte=until)
        .order_by("due_date", "id")[:ACTIVITY_LIMIT]
    )
    return Packet(
        meeting=meeting,
        local_start=local_start,
        local_end=timezone.localtime(meeting.ends_at, tz),
        today=today,
        agenda=agenda,
        timing=agenda_timing(meeting, agenda),
        previous=previous,
        previous_start=timezone.localtime(previous.starts_at, tz) if previous else None,
        decisions=decisions,
        owners=_owner_groups(open_items, today),
        activities=activities,
        activities_until=until,
        barriers=list(plan_selectors.escalated_barriers(member)[:BARRIER_LIMIT]),
        approvals=list(process_selectors.approval_queue(member)),
        reviews_due=[row for row in process_selectors.process_board(member) if row.review_due],
        snapshots=data_snapshots(member),
    )


@dataclass
class LiveStanding:
    """What the standing "Barriers" and "Implementation plan progress" items show live."""

    barriers: list[Barrier]
    overdue_activities: list[PlanActivity]


def live_standing(member: Membership, meeting: Meeting, agenda: list[AgendaItem]) -> LiveStanding | None:
    """For a scheduled meeting whose agenda has those items, to readers of the whole district."""
    standing = {item.standing for item in agenda}
    if not meeting.is_open or not member.sees_whole_district:
        return None
    if not standing & {StandingItem.BARRIERS, StandingItem.PLAN_PROGRESS}:
        return None
    today = timezone.localdate(timezone=meeting.district.tz)
    return LiveStanding(
        barriers=list(plan_selectors.escalated_barriers(member)[:BARRIER_LIMIT])
        if StandingItem.BARRIERS in standing
        else [],
        overdue_activities=list(plan_selectors.overdue_activities(member, today)[:ACTIVITY_LIMIT])
        if StandingItem.PLAN_PROGRESS in standing
        else [],
    )
