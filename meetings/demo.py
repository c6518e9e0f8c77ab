"""A school year of DIT meetings, coaching sessions and leadership meetings, with minutes and
action items for the past ones, and the coordinator's time for past months. Safe to run twice."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from coordinators import services as coordinator_services
from coordinators.models import TimeActivity, TimeEntry, User
from meetings import services
from meetings.demo_action_items import seed_action_item_follow_up
from meetings.models import (
    ActionItem,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MinuteEntry,
    StandingItem,
)
from mtss.demo import DemoContext

DIT_TITLE = "DIT meeting"

INFORMATION = {
    StandingItem.DATA_REVIEW: [
        "Fall screening is complete in all buildings; 78% of K-5 students at or above benchmark in reading.",
        "Office discipline referrals are down 12% from last month at the middle school.",
        "Winter benchmark window opens in two weeks; data analyst will share the schedule.",
        "Math screener shows 21% of grade 6 students needing Tier 2 support.",
    ],
    StandingItem.PLAN_PROGRESS: [
        "Coaching System draft is with the executive leader for approval.",
        "Two of five installation activities are on track; the staff survey is behind.",
        "Tier 2 reading intervention training completed for all elementary interventionists.",
    ],
    StandingItem.BARRIERS: [
        "Substitute shortage is limiting release time for grade-level data meetings.",
        "Schedules at the high school leave no common planning time for Tier 2 teams.",
    ],
    StandingItem.COMMUNICATION: [
        "Principals will share the MTSS update at the next staff meeting.",
        "Family newsletter will include a short explanation of universal screening.",
    ],
}
DISCUSSION = [
    "Team discussed whether the healthy triangle targets are realistic for the middle school this year.",
    "Members compared intervention group sizes across buildings; sizes vary from 3 to 9 students.",
    "Discussion of how to protect intervention time during state testing weeks.",
]
DECISIONS = [
    "Adopt a common intervention log template in all elementary schools starting next month.",
    "Move the data review to the first item on the agenda for the rest of the year.",
    "Pilot the check-in/check-out behavior intervention at Lincoln Middle School.",
    "Ask the executive leader to approve two half-days of release time for data teams.",
]
TASKS = [
    "Send the fall screening summary to all principals",
    "Draft the family letter explaining universal screening",
    "Update the intervention inventory with this year's programs",
    "Collect Tier 2 group sizes from each building",
    "Schedule coaching visits for new interventionists",
    "Share the barrier log with the executive leader",
    "Prepare the winter benchmark calendar",
    "Review the attendance data for chronic absenteeism",
]
RATINGS = ["yes", "yes", "yes", "so-so", "no"]


def _school_year(today: date) -> tuple[date, date]:
    start = today.year if today.month >= 7 else today.year - 1
    return date(start, 8, 1), date(start + 1, 6, 30)


def seed_demo(ctx: DemoContext) -> None:
    if MeetingSeries.objects.filter(district=ctx.district, title=DIT_TITLE).exists():
        return
    rng = random.Random(5)
    first, last = _school_year(ctx.today)
    with transaction.atomic():
        dit = services.meeting_series_create(
            member=ctx.membership(ctx.coordinator),
            kind=MeetingKind.DIT,
            title=DIT_TITLE,
            weekday=1,
            week_of_month=2,
            start_time=time(15, 30),
            end_time=time(17, 0),
            first_date=first,
            last_date=last,
            location="Central Office, Board Room",
        )
        coaching = services.meeting_series_create(
            member=ctx.membership(ctx.coordinator),
            kind=MeetingKind.COACHING,
            title="DIT coaching support session",
            weekday=3,
            week_of_month=4,
            start_time=time(13, 0),
            end_time=time(14, 30),
            first_date=first,
            last_date=last,
            video_link="https://meet.example.org/maple-valley-dit-coaching",
        )
        executive = services.meeting_series_create(
            member=ctx.membership(ctx.coordinator),
            kind=MeetingKind.EXECUTIVE,
            title="Executive leadership meeting",
            weekday=0,
            week_of_month=1,
            start_time=time(9, 0),
            end_time=time(10, 0),
            first_date=first,
            last_date=last,
            location="Superintendent's conference room",
        )
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=m, person=p)
                for m in executive.meetings.all()
                for p in (ctx.leader, ctx.superintendent)
            ],
            ignore_conflicts=True,
        )
        team = [p for p in ctx.dit if p is not None]
        analyst = next((p for p in ctx.dit_members if "data" in (p.title or "").lower()), ctx.member)
        Meeting.objects.filter(series=dit).update(
            facilitator=ctx.coordinator, note_taker=ctx.member, data_analyst=analyst
        )
        # No coaching session over the winter break.
        for meeting in coaching.meetings.all():
            local = timezone.localtime(meeting.starts_at, ctx.district.tz).date()
            if (local.month == 12 and local.day >= 20) or (local.month == 1 and local.day <= 2):
                services.meeting_cancel(meeting=meeting, member=ctx.membership(ctx.coordinator))
        now = timezone.now()
        for meeting in dit.meetings.filter(starts_at__lt=now).order_by("starts_at"):
            _past_dit_meeting(meeting, ctx, team, rng)
        for meeting in coaching.meetings.filter(starts_at__lt=now, status=Meeting.Status.SCHEDULED):
            _mark_attended(meeting, rng)
            item = meeting.agenda_items.first()
            if item is None:
                item = services.agenda_item_propose(
                    meeting=meeting, title="Coaching focus", member=ctx.membership(ctx.coordinator)
                )
            services.minute_entry_add(
                item=item,
                kind=MinuteEntry.Kind.INFORMATION,
                text=rng.choice(
                    [
                        "Reviewed fidelity data for the coaching system with the technical-assistance coach.",
                        "Practiced facilitating the data review protocol.",
                        "Planned how to present the Tier 2 decision rules to principals.",
                    ]
                ),
                member=ctx.membership(ctx.coordinator),
            )
            services.meeting_close(meeting=meeting, member=ctx.membership(ctx.coordinator), ratings={})
        for meeting in executive.meetings.filter(starts_at__lt=now):
            _mark_attended(meeting, rng)
            services.meeting_close(meeting=meeting, member=ctx.membership(ctx.coordinator), ratings={})
        _time_entries(ctx, rng)
        seed_action_item_follow_up(ctx)


def _mark_attended(meeting: Meeting, rng: random.Random) -> None:
    rows = list(meeting.attendance.all())
    for row in rows:
        row.status = rng.choices(["present", "absent", "excused"], weights=[8, 1, 1])[0]
    Attendance.objects.bulk_update(rows, ["status"])


def _past_dit_meeting(meeting: Meeting, ctx: DemoContext, team: list[User], rng: random.Random) -> None:
    _mark_attended(meeting, rng)
    Attendance.objects.filter(meeting=meeting, person=ctx.coordinator).update(status="present")
    local_day = timezone.localtime(meeting.starts_at, ctx.district.tz).date()
    items = {item.standing: item for item in meeting.agenda_items.all()}
    for standing, texts in INFORMATION.items():
        services.minute_entry_add(
            item=items[standing],
            kind=MinuteEntry.Kind.INFORMATION,
            text=rng.choice(texts),
            member=ctx.membership(ctx.member),
        )
    services.minute_entry_add(
        item=items[StandingItem.DATA_REVIEW],
        kind=MinuteEntry.Kind.DISCUSSION,
        text=rng.choice(DISCUSSION),
        member=ctx.membership(ctx.member),
    )
    services.minute_entry_add(
        item=items[StandingItem.PLAN_PROGRESS],
        kind=MinuteEntry.Kind.DECISION,
        text=rng.choice(DECISIONS),
        member=ctx.membership(ctx.member),
    )
    for title in rng.sample(TASKS, 2):
        entry = services.minute_entry_add(
            item=items[
                rng.choice([StandingItem.DATA_REVIEW, StandingItem.BARRIERS, StandingItem.COMMUNICATION])
            ],
            kind=MinuteEntry.Kind.TASK,
            text=title,
            member=ctx.membership(ctx.member),
            owner=rng.choice(team),
            due_date=local_day + timedelta(days=rng.choice([14, 21, 28])),
        )
        action = entry.action_item
        # Older items are mostly done; recent ones are open, and some are overdue.
        if (
            action is not None
            and action.due_date is not None
            and action.due_date < ctx.today - timedelta(days=30)
            and rng.random() < 0.8
        ):
            ActionItem.objects.filter(pk=action.pk).update(
                status=ActionItem.Status.DONE, completed_at=meeting.ends_at + timedelta(days=10)
            )
    services.meeting_close(
        meeting=meeting,
        member=ctx.membership(ctx.coordinator),
        ratings={name: rng.choice(RATINGS) for name in Meeting.RATING_FIELDS},
    )


EXTRA_TIME = [
    (TimeActivity.PREPARING, "Agenda and data packet for the DIT meeting", (3, 6)),
    (TimeActivity.ACTION_ITEMS, "Follow-up on DIT action items", (2, 6)),
    (TimeActivity.LEARNING, "Professional learning session for interventionists", (4, 8)),
    (TimeActivity.COACHING, "Coaching visits with building teams", (4, 8)),
    (TimeActivity.OFFICE_HOURS, "Office hours for principals", (2, 3)),
]


def _time_entries(ctx: DemoContext, rng: random.Random) -> None:
    if TimeEntry.objects.filter(coordinator=ctx.coordinator, district=ctx.district).exists():
        return
    now = timezone.now()
    past = Meeting.objects.filter(district=ctx.district, starts_at__lt=now).exclude(
        status=Meeting.Status.CANCELLED
    )
    for meeting in past:
        coordinator_services.time_entry_log_meeting(meeting=meeting, member=ctx.membership(ctx.coordinator))
    first, _last = _school_year(ctx.today)
    month = first
    extra = []  # plain rows, as time_entry_create would store them one by one
    while month < ctx.today.replace(day=1) or month == ctx.today.replace(day=1):
        for activity, note, (low, high) in EXTRA_TIME:
            day = month + timedelta(days=rng.randint(2, 25))
            if day >= ctx.today:
                continue
            extra.append(
                TimeEntry(
                    district=ctx.district,
                    coordinator=ctx.coordinator,
                    date=day,
                    hours=Decimal(rng.randint(low, high)),
                    activity=activity,
                    note=note,
                )
            )
        month = (month + timedelta(days=32)).replace(day=1)
    TimeEntry.objects.bulk_create(extra)
