"""Monthly MTSS updates: drafted from the month's work, edited by a coordinator, sent once.

This is the Communication Plan process put to work. The draft tells what the month brought: the
decisions in meeting minutes, the processes approved, the barriers resolved, the plan activities
finished, and what comes next (meetings and professional learning sessions, which are meetings of
that kind). The coordinator edits the Markdown and chooses the groups; sending makes one
notification per person (`mtss.notifications`), whose unique key sends each person one email even
when they are in two chosen groups, the send is clicked twice or the worker retries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone

from coordinators.models import (
    CommunicationUpdate,
    District,
    Membership,
    Role,
    School,
    UpdateAudience,
    User,
)
from coordinators.selectors import add_months, month_start, schools_for
from implementation_plans.models import Barrier, CommunicationProtocol, PlanActivity, ProcessVersion
from implementation_plans.plan.selectors import activities_for, barriers_for, protocols_for
from implementation_plans.processes.selectors import versions_for
from implementation_plans.processes.text import reading_text
from meetings.models import Meeting, MeetingKind, MinuteEntry
from meetings.selectors import meetings_for
from mtss.access import get_scoped_or_404
from mtss.audit.models import AuditAction
from mtss.audit.services import audit_record
from mtss.notifications.kinds import Kind
from mtss.notifications.services import notify

# A draft lists at most this many lines of each kind; the coordinator trims from there.
DRAFT_LINES_PER_SECTION = 25
# One line of the draft (a decision, a barrier) is cut to this many characters.
DRAFT_LINE_CHARS = 300
BODY_MAX_CHARS = 20_000
# Until this day of a month, a new draft is about the month before.
LAST_MONTH_UNTIL_DAY = 10
TITLE_MAX_CHARS = 200

# Words in a communication plan entry's group that name one of the app's groups.
_PROTOCOL_WORDS: dict[str, tuple[str, ...]] = {
    UpdateAudience.PRINCIPALS: ("principal", "site admin", "school leader", "building leader"),
    UpdateAudience.DIT: ("dit", "implementation team"),
    UpdateAudience.SCHOOL_STAFF: ("staff", "teacher", "interventionist", "counselor"),
    UpdateAudience.LEADERS: ("executive", "superintendent", "cabinet"),
}


# --- Reading -------------------------------------------------------------------------------------


def updates_for(member: Membership) -> QuerySet[CommunicationUpdate]:
    """The district's updates: the district team and site admins read the sent ones, coordinators
    also the drafts; school staff read only those sent to the staff of one of their schools."""
    updates = CommunicationUpdate.objects.filter(district=member.district)
    if not member.is_coordinator:
        updates = updates.filter(status=CommunicationUpdate.Status.SENT)
    if member.is_school_staff:
        # `audiences` is a JSON list of UpdateAudience values: its text holds the quoted value
        # exactly when that group was chosen (JSON `contains` is not available on SQLite).
        updates = updates.filter(
            audiences__icontains=f'"{UpdateAudience.SCHOOL_STAFF}"',
            pk__in=CommunicationUpdate.objects.filter(schools__in=schools_for(member)).values("pk"),
        )
    return updates.select_related("sent_by", "created_by", "protocol").order_by("-month", "-sent_at", "-id")


def get_update_for_user(member: Membership, pk: object, *, write: bool = False) -> CommunicationUpdate:
    """An update in reach; changing or sending it is for the district's coordinators."""
    return get_scoped_or_404(
        updates_for(member).prefetch_related(Prefetch("schools", queryset=School.objects.order_by("name"))),
        pk,
        member,
        write=write,
        can_write=lambda m, _u: m.is_coordinator,
    )


def protocol_audiences(protocol: CommunicationProtocol) -> list[str]:
    """The app's groups a communication plan entry names ("Principals and the DIT" -> both)."""
    group = protocol.group.lower()
    return [
        audience
        for audience, words in _PROTOCOL_WORDS.items()
        if any(re.search(rf"\b{re.escape(word)}", group) for word in words)
    ]


@dataclass(frozen=True)
class PlanEntry:
    """A communication plan entry offered on the editor: its group, schedule and last update."""

    protocol: CommunicationProtocol
    audiences: list[str]
    last_sent: CommunicationUpdate | None

    @property
    def audience_labels(self) -> list[str]:
        return [UpdateAudience(a).label for a in self.audiences]


def communication_plan(member: Membership) -> list[PlanEntry]:
    """The district's communication plan entries with the last update sent for each (two queries)."""
    protocols = list(protocols_for(member).order_by("group", "id"))
    last: dict[int, CommunicationUpdate] = {}
    sent = (
        CommunicationUpdate.objects.filter(
            district=member.district, status=CommunicationUpdate.Status.SENT, protocol__in=protocols
        )
        .only("id", "title", "sent_at", "protocol_id", "month")
        .order_by("protocol_id", "-sent_at")
    )
    for update in sent:
        if update.protocol_id is not None:
            last.setdefault(update.protocol_id, update)
    return [PlanEntry(p, protocol_audiences(p), last.get(p.pk)) for p in protocols]


def month_bounds(member: Membership, month: date) -> tuple[datetime, datetime]:
    """The first and the last moment (exclusive) of a month in the district's time zone."""
    tz = member.district.tz
    first = month_start(month)
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(add_months(first, 1), time.min, tzinfo=tz),
    )


@dataclass
class MonthContents:
    """What a month brought, read through the district's scoped selectors."""

    month: date
    decisions: list[MinuteEntry] = field(default_factory=list)
    approved: list[ProcessVersion] = field(default_factory=list)
    barriers: list[Barrier] = field(default_factory=list)
    milestones: list[PlanActivity] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    learning: list[Meeting] = field(default_factory=list)


def month_contents(member: Membership, month: date, *, now: datetime | None = None) -> MonthContents:
    """The month's decisions, approvals, resolved barriers and finished activities, and what is next.

    "Next" is the scheduled meetings from now (or the month's start, if later) to the end of the
    following month; professional learning sessions are listed apart from the other meetings.
    """
    now = now or timezone.now()
    start, end = month_bounds(member, month)
    first, after = start.date(), end.date()
    limit = DRAFT_LINES_PER_SECTION
    decisions = (
        MinuteEntry.objects.filter(
            kind=MinuteEntry.Kind.DECISION,
            agenda_item__meeting__in=meetings_for(member).exclude(status=Meeting.Status.CANCELLED),
            agenda_item__meeting__starts_at__gte=start,
            agenda_item__meeting__starts_at__lt=end,
        )
        .select_related("agenda_item__meeting")
        .order_by("agenda_item__meeting__starts_at", "agenda_item__position", "id")[:limit]
    )
    approved = (
        versions_for(member)
        .filter(
            status__in=(ProcessVersion.Status.APPROVED, ProcessVersion.Status.SUPERSEDED),
            decided_at__gte=start,
            decided_at__lt=end,
        )
        .select_related("process")
        .order_by("decided_at", "id")[:limit]
    )
    barriers = (
        barriers_for(member)
        .filter(status=Barrier.Status.RESOLVED, resolved_on__gte=first, resolved_on__lt=after)
        .order_by("resolved_on", "id")[:limit]
    )
    milestones = (
        activities_for(member)
        .filter(
            status=PlanActivity.Status.DONE,
            updates__percent_complete__gte=100,
            updates__recorded_on__gte=first,
            updates__recorded_on__lt=after,
        )
        .distinct()
        .order_by("due_date", "id")[:limit]
    )
    upcoming = list(
        meetings_for(member)
        .filter(status=Meeting.Status.SCHEDULED, starts_at__gte=max(now, start), starts_at__lt=add_month(end))
        .order_by("starts_at", "id")[: 2 * limit]
    )
    return MonthContents(
        month=first,
        decisions=list(decisions),
        approved=list(approved),
        barriers=list(barriers),
        milestones=list(milestones),
        meetings=[m for m in upcoming if m.kind != MeetingKind.LEARNING][:limit],
        learning=[m for m in upcoming if m.kind == MeetingKind.LEARNING][:limit],
    )


def add_month(moment: datetime) -> datetime:
    return datetime.combine(add_months(moment.date(), 1), time.min, tzinfo=moment.tzinfo)


def _line(text: str) -> str:
    """One line of a list: whitespace collapsed, cut to a readable length."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= DRAFT_LINE_CHARS else flat[: DRAFT_LINE_CHARS - 1].rstrip() + "…"


def _day(moment: datetime | date | None, member: Membership, with_time: bool = False) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment, member.district.tz)
    return dateformat.format(moment, "D M j, g:i A" if with_time else "M j")


def _barrier_line(barrier: Barrier) -> str:
    text = _line(barrier.description)
    if not barrier.resolution:
        return text
    stop = "" if text.endswith((".", "!", "?")) else "."
    return f"{text}{stop} Resolved: {_line(barrier.resolution)}"


def _upcoming_line(meeting: Meeting, member: Membership) -> str:
    where = f", {_line(meeting.location)}" if meeting.location else ""
    return f"{_line(meeting.title)}, {_day(meeting.starts_at, member, with_time=True)}{where}"


def _meeting_when(meeting: Meeting, member: Membership) -> str:
    return f"{_line(meeting.title)}, {_day(meeting.starts_at, member)}"


def draft_text(contents: MonthContents, member: Membership) -> str:
    """The draft's Markdown: one short section per kind of news; empty kinds say so briefly."""
    month_name = dateformat.format(contents.month, "F Y")
    parts = [f"Here is what happened in our MTSS work in {month_name}, and what comes next."]

    def section(heading: str, lines: Iterable[str], empty: str) -> None:
        lines = list(lines)
        parts.append(f"### {heading}")
        parts.append("\n".join(f"- {line}" for line in lines) if lines else empty)

    section(
        "Decisions",
        (f"{_line(e.text)} ({_meeting_when(e.agenda_item.meeting, member)})" for e in contents.decisions),
        "No decisions were recorded in meeting minutes this month.",
    )
    section(
        "Processes approved",
        (
            f"{_line(v.process.name)}, version {v.number} ({_day(v.decided_at, member)})"
            for v in contents.approved
        ),
        "No process was approved this month.",
    )
    section(
        "Barriers removed",
        (_barrier_line(b) for b in contents.barriers),
        "No barrier was resolved this month.",
    )
    section(
        "Plan milestones reached",
        (f"{_line(a.title)} ({_line(a.goal.title)})" for a in contents.milestones),
        "No plan activity was finished this month.",
    )
    section(
        "Coming up",
        (_upcoming_line(m, member) for m in contents.meetings),
        "No meetings are scheduled yet.",
    )
    section(
        "Professional learning",
        (_upcoming_line(m, member) for m in contents.learning),
        "No professional learning sessions are scheduled yet.",
    )
    return "\n\n".join(parts) + "\n"


def audience_people(update: CommunicationUpdate) -> QuerySet[User]:
    """Everyone the update goes to: each active person of the district once, whatever their groups."""
    audiences = set(update.audiences)
    conditions = Q()
    if UpdateAudience.PRINCIPALS in audiences:
        conditions |= Q(role=Role.SITE_ADMIN)
    if UpdateAudience.DIT in audiences:
        conditions |= Q(role=Role.MEMBER)
    if UpdateAudience.LEADERS in audiences:
        conditions |= Q(role=Role.LEADER)
    if UpdateAudience.SCHOOL_STAFF in audiences:
        # The people who work in a chosen school: its school staff and its site admins.
        conditions |= Q(
            role__in=Role.school_roles(), schools__in=update.schools.filter(district=update.district)
        )
    if not conditions:
        return User.objects.none()
    memberships = Membership.objects.filter(conditions, district=update.district, active=True)
    return User.objects.filter(is_active=True, memberships__in=memberships).distinct().order_by("full_name")


# --- Writing -------------------------------------------------------------------------------------


def default_title(month: date) -> str:
    return f"MTSS update: {dateformat.format(month, 'F Y')}"


def open_draft(member: Membership, month: date) -> CommunicationUpdate | None:
    """The district's draft for a month not sent yet, if there is one."""
    return (
        CommunicationUpdate.objects.filter(
            district=member.district, month=month_start(month), status=CommunicationUpdate.Status.DRAFT
        )
        .order_by("-id")
        .first()
    )


def update_draft(
    *, member: Membership, month: date, protocol: CommunicationProtocol | None = None
) -> CommunicationUpdate:
    """The month's draft, written from that month's work; the plan entry suggests the groups.

    A month has one open draft: asking again (a double click, a second coordinator) opens the one
    there is instead of writing another. The district's row lock makes the check and the write one step.
    """
    audiences = protocol_audiences(protocol) if protocol else []
    with transaction.atomic():
        District.objects.select_for_update().filter(pk=member.district_id).first()
        existing = open_draft(member, month)
        if existing is not None:
            return existing
        contents = month_contents(member, month)
        update = CommunicationUpdate.objects.create(
            district=member.district,
            month=contents.month,
            title=default_title(contents.month),
            body=draft_text(contents, member),
            audiences=audiences or [UpdateAudience.PRINCIPALS],
            protocol=protocol,
            created_by=member.user,
        )
        audit_record(
            action=AuditAction.DRAFT_COMMUNICATION_UPDATE,
            actor=member.user,
            district=member.district,
            target=update,
        )
    return update


def _locked(update: CommunicationUpdate) -> CommunicationUpdate:
    return CommunicationUpdate.objects.select_for_update().get(pk=update.pk)


def update_save(
    *,
    member: Membership,
    update: CommunicationUpdate,
    title: str,
    body: str,
    audiences: list[str],
    schools: Iterable[School],
    protocol: CommunicationProtocol | None,
) -> CommunicationUpdate:
    """Keep the coordinator's edits. A sent update no longer changes: what people read stays."""
    with transaction.atomic():
        current = _locked(update)
        if current.is_sent:
            raise ValidationError("This update was already sent; its text no longer changes.")
        current.title = title[:TITLE_MAX_CHARS]
        current.body = body[:BODY_MAX_CHARS]
        current.audiences = [a for a in UpdateAudience.values if a in set(audiences)]
        current.protocol = protocol
        current.save(update_fields=["title", "body", "audiences", "protocol", "updated_at"])
        current.schools.set([s for s in schools if s.district_id == current.district_id])
        audit_record(
            action=AuditAction.CHANGE_COMMUNICATION_UPDATE,
            actor=member.user,
            district=current.district,
            target=current,
        )
    return current


@dataclass(frozen=True)
class SendResult:
    sent_now: bool
    recipients: int


def update_send(*, member: Membership, update: CommunicationUpdate) -> SendResult:
    """Send the update to its groups: one notification, so one email, per person, only once.

    Under the row lock, the first send marks the update sent and writes the notifications; a
    second send (a double click, a retried request) finds it sent and writes nothing.
    """
    with transaction.atomic():
        current = _locked(update)
        if current.is_sent:
            return SendResult(sent_now=False, recipients=current.recipient_count)
        if not current.audiences:
            raise ValidationError("Choose at least one group to send the update to.")
        if UpdateAudience.SCHOOL_STAFF in current.audiences and not current.schools.exists():
            raise ValidationError("Choose the schools whose staff get the update.")
        people = list(audience_people(current))
        if not people:
            raise ValidationError("Nobody is in the chosen groups yet; choose other groups.")
        notify(
            district=current.district,
            recipients=people,
            kind=Kind.UPDATE,
            subject=current.title,
            body=reading_text(current.body),
            url=reverse("update_detail", args=[current.pk]),
            key=f"communication-update:{current.pk}",
        )
        current.status = CommunicationUpdate.Status.SENT
        current.sent_at = timezone.now()
        current.sent_by = member.user
        current.recipient_count = len(people)
        current.save(update_fields=["status", "sent_at", "sent_by", "recipient_count", "updated_at"])
        audit_record(
            action=AuditAction.SEND_COMMUNICATION_UPDATE,
            actor=member.user,
            district=current.district,
            target=current,
            detail={"recipients": len(people)},
        )
    return SendResult(sent_now=True, recipients=len(people))


def update_delete(*, member: Membership, update: CommunicationUpdate) -> bool:
    """Throw a draft away; a sent update stays in the archive. Returns whether it was deleted."""
    with transaction.atomic():
        current = CommunicationUpdate.objects.select_for_update().filter(pk=update.pk).first()
        if current is None or current.is_sent:
            return False
        audit_record(
            action=AuditAction.DELETE_COMMUNICATION_UPDATE,
            actor=member.user,
            district=current.district,
            target=current,
        )
        current.delete()
    return True


def recent_months(member: Membership, *, count: int = 6) -> list[date]:
    """The months a coordinator may draft for: this month and the ones before it."""
    this_month = month_start(timezone.localdate(timezone=member.district.tz))
    return [add_months(this_month, -n) for n in range(count)]


def default_month(member: Membership) -> date:
    """Early in a month the update is usually about the month just ended."""
    today = timezone.localdate(timezone=member.district.tz)
    return add_months(month_start(today), -1) if today.day <= LAST_MONTH_UNTIL_DAY else month_start(today)
