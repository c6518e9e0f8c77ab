"""Demo data reviews: a district review in fall, its follow-up in winter, and a school reading review.

Together they show a problem in each state: new (early grade reading at Three Sisters Elementary),
carried forward with a partial fidelity check (middle school attendance) and resolved with the
goal met (office discipline referrals at Maple Valley High School).

Every figure a review quotes is read from the dashboards as they stood on the day its data is
dated (the tier snapshot of the window reviewed, the monthly referral and attendance tables), as a
coordinator preparing the review would. The district reviews take place at the DIT meeting (second
Tuesday of the month) at least two weeks after the screening window they review. The demo's one
invented outcome is the hallway plan's: from the month after the fall review, Maple Valley's
referrals fall to about a third, and the winter review reads that from the referrals table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from coordinators.models import Membership, School, User
from data_reviews.models import (
    DataReview,
    ProblemCheck,
    ProblemStatement,
    SchoolMeasure,
    SolutionAction,
    Success,
)
from data_reviews.reviews import services
from data_reviews.scores import dashboards
from data_reviews.scores import demo as scores_demo
from data_reviews.scores import selectors as score_selectors
from meetings.models import ActionItem, Meeting, MeetingKind
from meetings.services import action_item_create
from mtss.demo import DemoContext

FALL_TITLE = "Fall district data review"
WINTER_TITLE = "Winter district data review"
READING_TITLE = "reading review"  # after the season of the window reviewed
DIT_WEEKDAY, DIT_WEEK = 1, 2  # the demo DIT meetings: second Tuesday of the month
REVIEW_AFTER_WINDOW = timedelta(days=14)  # time to import and look at the results first
HALLWAY_PLAN_EFFECT = 0.35  # Maple Valley's referrals, as a share of before, once the plan runs
MIDDLE_SCHOOL_CODES = ("2201", "2202", "2203")


def seed_demo(ctx: DemoContext) -> None:
    schools = {school.code: school for school in ctx.schools}
    three_sisters = schools.get("1101", ctx.principal_school)
    maple_valley = schools.get("3301")
    middle = [schools[code] for code in MIDDLE_SCHOOL_CODES if code in schools]
    analyst = ctx.dit_members[-1] if ctx.dit_members else ctx.member
    curriculum = ctx.dit_members[1] if len(ctx.dit_members) > 1 else ctx.member

    year, fall_day, winter_day = _district_review_days(ctx.today)
    fall = _review(ctx, None, FALL_TITLE, fall_day, _meeting_label(fall_day))
    if fall is not None:
        if maple_valley is not None:
            _hallway_plan_worked(maple_valley, after=fall_day)
        _link_meeting(ctx, fall)
    figures = Figures.read(ctx)
    if fall is not None:
        _fill_fall(ctx, fall, year, figures, middle, maple_valley, analyst)
    winter = _review(ctx, None, WINTER_TITLE, winter_day, _meeting_label(winter_day))
    if winter is not None:
        _link_meeting(ctx, winter)
        _fill_winter(ctx, winter, year, figures, middle, maple_valley)
    if three_sisters is None:
        return
    reviewed = _reading_dashboard(ctx, three_sisters)
    if reviewed is None:
        return
    season = reviewed["period_label"].split()[0]
    window_day = scores_demo.window_date(*reviewed["period"])
    held_on = min(ctx.today, max(ctx.today - timedelta(days=6), window_day + timedelta(days=7)))
    reading = _review(ctx, three_sisters, f"{season} {READING_TITLE}", held_on, "")
    if reading is not None:
        _fill_reading(ctx, reading, three_sisters, curriculum, reviewed, window_day)


def dit_day(year: int, month: int) -> date:
    """The demo DIT meeting's day in a month: its second Tuesday."""
    first = date(year, month, 1)
    return first + timedelta(days=(DIT_WEEKDAY - first.weekday()) % 7 + 7 * (DIT_WEEK - 1))


def review_day_after(window_day: date) -> date:
    """The first DIT meeting at least two weeks after a screening window."""
    earliest = window_day + REVIEW_AFTER_WINDOW
    day = dit_day(earliest.year, earliest.month)
    if day < earliest:
        following = (earliest.replace(day=1) + timedelta(days=32)).replace(day=1)
        day = dit_day(following.year, following.month)
    return day


def _district_review_days(today: date) -> tuple[int, date, date]:
    """The school year and the DIT meetings after its fall and winter windows: the latest school
    year whose winter review is already a week past, so each review follows the window it is named
    after."""
    year = scores_demo.school_year_of(today)
    for school_year in (year, year - 1):
        fall = review_day_after(scores_demo.window_date(school_year, "fall"))
        winter = review_day_after(scores_demo.window_date(school_year, "winter"))
        if winter <= today - timedelta(days=7):
            break
    return school_year, fall, winter


def _meeting_label(day: date) -> str:
    return f"DIT meeting, {day:%B} {day.day}, {day.year}"


def _link_meeting(ctx: DemoContext, review: DataReview) -> None:
    """Link the review to its DIT meeting when the demo's meetings reach back to that day."""
    tz = ctx.district.tz
    start = datetime.datetime.combine(review.held_on, datetime.time.min, tzinfo=tz)
    meeting = (
        Meeting.objects.filter(
            district=ctx.district,
            kind=MeetingKind.DIT,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=1),
        )
        .order_by("starts_at")
        .first()
    )
    if meeting is not None:
        review.meeting_url = reverse("meeting_detail", args=[meeting.pk])
        review.save(update_fields=["meeting_url"])


def _hallway_plan_worked(school: School, *, after: date) -> None:
    """The demo's story: the plan made at the fall review cuts the school's referrals from the next month."""
    later = list(SchoolMeasure.objects.filter(school=school, kind="odr", month__gt=after))
    for row in later:
        row.value = round(row.value * HALLWAY_PLAN_EFFECT)
    SchoolMeasure.objects.bulk_update(later, ["value"])


@dataclass
class Month:
    month: date
    value: float
    rate: float | None = None


@dataclass
class Figures:
    """The district's snapshot and measure rows, read once: each table is the dashboard's own."""

    snapshot_rows: list[tuple]
    measure_rows: list[tuple]
    enrolment: dict[tuple[int, int], int]
    read_tables: dict[tuple, list[Month]] = field(default_factory=dict)

    @classmethod
    def read(cls, ctx: DemoContext) -> Figures:
        snapshot_rows, _schools = score_selectors.review_snapshots(district=ctx.district, school=None)
        coordinator = Membership.objects.get(user=ctx.coordinator, district=ctx.district)
        measure_rows = score_selectors.district_measures(coordinator)
        enrolment = dashboards.enrolment(dashboards.snapshot_frame(snapshot_rows))
        return cls(snapshot_rows, measure_rows, enrolment)

    def months(self, kind: str, as_of: date, schools: list[School] | None = None) -> list[Month]:
        """The finished months of a referral (odr) or attendance table as it read on `as_of`, for
        the district or some of its schools."""
        ids = frozenset(school.pk for school in schools) if schools is not None else None
        if (kind, as_of, ids) in self.read_tables:
            return self.read_tables[(kind, as_of, ids)]
        rows = [row for row in self.measure_rows if ids is None or row[0] in ids]
        tables = dashboards.measure_tables(rows, enrolment=self.enrolment, today=as_of)
        table = next(t for t in tables if t.key == kind)
        found = []
        for label, value, *rate in table.rows:
            if label.endswith(dashboards.SO_FAR):
                continue
            month = datetime.datetime.strptime(label, "%b %Y").date()  # noqa: DTZ007 (a month, no time)
            found.append(Month(month, value, (rate[0] if rate and rate[0] != "" else None)))
        self.read_tables[(kind, as_of, ids)] = found
        return found


def _school_months(figures: Figures, kind: str, as_of: date, school: School, since: date) -> list[Month]:
    return [m for m in figures.months(kind, as_of, [school]) if m.month >= since]


def _listing(months: list[Month], unit: str = "", *, rates: bool = False) -> str:
    parts = []
    for m in months:
        text = f"{m.month:%B} {m.value:g}{unit}"
        if rates and m.rate is not None:
            text += f" ({m.rate:g} per 100 students per school day)"
        parts.append(text)
    return ", ".join(parts)


def _span(since: date, months: list[Month]) -> str:
    last = months[-1].month if months else since
    return f"{since:%B} to {last:%B %Y}"


def _mean_rate(months: list[Month]) -> float:
    rates = [m.rate for m in months if m.rate is not None]
    return round(sum(rates) / len(rates), 2) if rates else 0.0


def _lowest_attendance(figures: Figures, as_of: date, schools: list[School]) -> tuple[School, Month]:
    latest = {school: figures.months("attendance", as_of, [school])[-1] for school in schools}
    school = min(latest, key=lambda s: (latest[s].value, s.name))
    return school, latest[school]


def _reading_dashboard(ctx: DemoContext, school: School) -> dict | None:
    """The school's reading dashboard for its newest window: what the reading review looks at."""
    rows, _schools = score_selectors.review_snapshots(district=ctx.district, school=school)
    context = dashboards.school_dashboard(
        school_name=school.name,
        snapshot_rows=rows,
        measure_rows=[],
        subject="reading",
        period=None,
        today=ctx.today,
        min_group_size=ctx.district.min_group_size,
    )
    return context if context["period"] is not None else None


def _review(
    ctx: DemoContext, school: School | None, title: str, held_on: date, meeting: str
) -> DataReview | None:
    """Create the review once; None when it already exists (the seeder is idempotent)."""
    if DataReview.objects.filter(district=ctx.district, school=school, title=title).exists():
        return None
    return services.review_create(
        school=school,
        title=title,
        held_on=held_on,
        facilitator=ctx.coordinator,
        member=ctx.membership(ctx.coordinator),
        meeting_label=meeting,
    )


def _action(
    ctx: DemoContext,
    review: DataReview,
    problem: ProblemStatement,
    description: str,
    owner: User,
    due: date,
    *,
    done: bool = False,
) -> None:
    # Past assignments: recorded as action items without notifying anyone today.
    item = action_item_create(
        district=ctx.district,
        title=description,
        owner=owner,
        due_date=due,
        member=ctx.membership(ctx.coordinator),
        details=f"Problem: {problem.what} ({problem.who})",
        source_label=f"Data review: {review.title}, {review.scope_name}",
        source_url=reverse("review_detail", args=[review.pk]),
    )
    if done:
        item.status = ActionItem.Status.DONE
        item.completed_at = timezone.now() - timedelta(days=max((ctx.today - due).days, 1))
        item.save(update_fields=["status", "completed_at"])
    SolutionAction.objects.create(
        problem=problem, review=review, description=description, owner=owner, due_date=due, action_item=item
    )


def _district_sources(
    review: DataReview,
    period: str,
    figures: Figures,
    as_of: date,
    since: date,
    middle: list[School],
    maple_valley: School | None,
) -> tuple[list[Month], list[Month]]:
    """The reading dashboard of the window reviewed, then attendance and referrals by month since
    `since`: the sources the team looks at. Returns the district's attendance and referral months."""
    services.source_from_dashboard(review=review, subject="reading", period=period, today=as_of)
    attendance = [m for m in figures.months("attendance", as_of) if m.month >= since]
    lines = [f"District attendance rate: {_listing(attendance, '%')}."]
    if middle:
        last = attendance[-1].month if attendance else since
        by_school = [
            (school, next((m for m in _school_months(figures, "attendance", as_of, school, last)), None))
            for school in middle
        ]
        lines.append(
            f"Middle schools in {last:%B}: "
            + ", ".join(f"{school.name} {m.value:g}%" for school, m in by_school if m is not None)
            + "."
        )
    dashboard = reverse("score_district_dashboard")
    services.source_add(
        review=review,
        title=f"Attendance by month, {_span(since, attendance)}",
        link=dashboard + "#attendance-heading",
        as_of=as_of,
        summary=" ".join(lines),
    )
    referrals = [m for m in figures.months("odr", as_of) if m.month >= since]
    lines = [f"Office discipline referrals, district: {_listing(referrals, rates=True)}."]
    if maple_valley is not None:
        school = _school_months(figures, "odr", as_of, maple_valley, since)
        lines.append(f"{maple_valley.name}: {_listing(school, rates=True)}.")
    services.source_add(
        review=review,
        title=f"Office discipline referrals by month, {_span(since, referrals)}",
        link=dashboard + "#odr-heading",
        as_of=as_of,
        summary=" ".join(lines),
    )
    return attendance, referrals


def _fill_fall(
    ctx: DemoContext,
    review: DataReview,
    year: int,
    figures: Figures,
    middle: list[School],
    maple_valley: School | None,
    analyst: User,
) -> None:
    as_of = review.held_on - timedelta(days=5)
    start = date(year, 8, 1)
    attendance, _referrals = _district_sources(
        review, f"{year}-fall", figures, as_of, start, middle, maple_valley
    )
    reading = review.sources.order_by("position").first()
    if (
        reading is None
    ):  # _district_sources adds the reading dashboard first; the check is for the type checker
        return
    Success.objects.bulk_create(
        [
            Success(review=review, text=reading.summary.split(":", 1)[0] + ".", position=0),
            Success(
                review=review,
                text="Every elementary school finished fall screening within the window.",
                position=1,
            ),
        ]
    )
    if middle and attendance:
        low, low_month = _lowest_attendance(figures, as_of, middle)
        district = attendance[-1]
        absent = services.problem_create(
            review=review,
            what="Chronic absenteeism in middle school",
            who="Grades 6-8, highest in grade 7",
            where=f"{low.name} and the other middle schools",
            when="First period and Mondays and Fridays",
            how_often=(
                f"Attendance at {low.name} was {low_month.value:g}% in {low_month.month:%B}, "
                f"against {district.value:g}% district-wide"
            ),
            goal=f"Raise attendance at {low.name} to the district's rate",
            goal_target=f"{district.value:g}% or more",
            goal_date=review.held_on + timedelta(days=120),
            factors=[
                "No consistent first-period attendance follow-up call home",
                "Families unaware of how quickly absences add up",
                "Grade 7 students without an adult mentor at school",
            ],
        )
        for description, owner, due, done in (
            (
                "Set up daily first-period attendance calls at each middle school",
                ctx.principals.get(low.code, ctx.member),
                review.held_on + timedelta(days=21),
                True,
            ),
            (
                "Start Check-In/Check-Out mentoring for grade 7 students with 5+ absences",
                ctx.member,
                ctx.today - timedelta(days=10),
                False,
            ),
            (
                "Send families a one-page 'Every day counts' attendance letter",
                analyst,
                review.held_on + timedelta(days=30),
                True,
            ),
        ):
            _action(ctx, review, absent, description, owner, due, done=done)
    if maple_valley is None:
        return
    school = _school_months(figures, "odr", as_of, maple_valley, start)
    odr = services.problem_create(
        review=review,
        what="Office discipline referrals for disruption in hallways",
        who="Grade 9 students",
        where=f"{maple_valley.name}, hallways",
        when="Passing periods, especially after lunch",
        how_often=(
            f"{sum(int(m.value) for m in school)} referrals from {school[0].month:%B} to "
            f"{school[-1].month:%B}, {_mean_rate(school):g} per 100 students per school day"
        ),
        goal="Cut referrals at passing periods",
        goal_target="by half",
        goal_date=review.held_on + timedelta(days=100),
        factors=[
            "Hallway expectations not taught to grade 9 students",
            "Few adults visible in the hallways after lunch",
        ],
    )
    for description, days in (
        ("Teach hallway expectations in grade 9 advisory", 14),
        ("Active supervision schedule for staff at passing periods", 21),
    ):
        _action(
            ctx,
            review,
            odr,
            description,
            ctx.principals.get(maple_valley.code, ctx.member),
            review.held_on + timedelta(days=days),
            done=True,
        )


def _fill_winter(
    ctx: DemoContext,
    review: DataReview,
    year: int,
    figures: Figures,
    middle: list[School],
    maple_valley: School | None,
) -> None:
    fall = DataReview.objects.get(district=ctx.district, school=None, title=FALL_TITLE)
    fall_as_of = fall.held_on - timedelta(days=5)
    as_of = review.held_on - timedelta(days=4)
    since = fall.held_on.replace(day=1)
    _district_sources(review, f"{year}-winter", figures, as_of, since, middle, maple_valley)
    absent = ProblemStatement.objects.filter(
        district=ctx.district, what="Chronic absenteeism in middle school"
    ).first()
    if absent is not None and middle:
        low, in_fall = _lowest_attendance(figures, fall_as_of, middle)
        latest = figures.months("attendance", as_of, [low])[-1]
        services.check_record(
            review=review,
            problem=absent,
            fidelity=ProblemCheck.Fidelity.PARTIAL,
            effectiveness=(
                ProblemCheck.Effectiveness.IMPROVED
                if latest.value > in_fall.value
                else ProblemCheck.Effectiveness.NO_CHANGE
            ),
            next_step=ProblemCheck.NextStep.CONTINUE,
            current_rate=(
                f"{low.name} attendance {latest.value:g}% in {latest.month:%B}, "
                f"against {in_fall.value:g}% in {in_fall.month:%B}"
            ),
            notes=(
                "Attendance calls happen daily at two of three middle schools; mentoring has not "
                f"started at {low.name}."
            ),
            member=ctx.membership(ctx.coordinator),
        )
        _action(
            ctx,
            review,
            absent,
            f"Start mentoring at {low.name} with the school counselor",
            ctx.principals.get(low.code, ctx.member),
            ctx.today - timedelta(days=3),
        )
    odr = ProblemStatement.objects.filter(
        district=ctx.district, what="Office discipline referrals for disruption in hallways"
    ).first()
    if odr is None or maple_valley is None:
        return
    before = _school_months(figures, "odr", fall_as_of, maple_valley, date(year, 8, 1))
    # From the first full month of the plan: it was made at the fall review.
    plan_start = (fall.held_on.replace(day=1) + timedelta(days=32)).replace(day=1)
    after = _school_months(figures, "odr", as_of, maple_valley, plan_start)
    then, now = _mean_rate(before), _mean_rate(after)
    change = round(100 * (then - now) / then) if then else 0
    met = bool(then) and now <= then / 2
    services.check_record(
        review=review,
        problem=odr,
        fidelity=ProblemCheck.Fidelity.WITH_FIDELITY,
        effectiveness=(
            ProblemCheck.Effectiveness.GOAL_MET
            if met
            else ProblemCheck.Effectiveness.IMPROVED
            if now < then
            else ProblemCheck.Effectiveness.NO_CHANGE
        ),
        next_step=ProblemCheck.NextStep.DISCONTINUE if met else ProblemCheck.NextStep.CONTINUE,
        current_rate=(
            f"{now:g} referrals per 100 students per school day from {after[0].month:%B} to "
            f"{after[-1].month:%B}, against {then:g} in {before[0].month:%B} and {before[-1].month:%B}"
            + (f" (down {change}%)" if change > 0 else "")
        ),
        notes="Keep active supervision as part of Tier 1; no further problem-solving needed." if met else "",
        member=ctx.membership(ctx.coordinator),
        resolve=met,
    )
    if change > 0:
        Success.objects.create(
            review=review,
            text=f"{maple_valley.name} referrals down {change}% since the fall review.",
            position=0,
        )


def _fill_reading(
    ctx: DemoContext,
    review: DataReview,
    school: School,
    curriculum: User,
    reviewed: dict,
    window_day: date,
) -> None:
    # The numbers come from the dashboard of the window reviewed, as a team adding it would.
    services.source_from_dashboard(
        review=review,
        subject="reading",
        period=reviewed["period_value"],
        today=max(window_day, review.held_on - timedelta(days=3)),
    )
    triangle = next(t for t in reviewed["tables"] if t.key == "triangle")
    grades = next(t for t in reviewed["tables"] if t.key == "grades")
    # The problem is the early reading grade furthest below Tier 1 in the window reviewed.
    early = [row for row in grades.rows if row[0] in {"1", "2", "3"} and row[5] != ""]
    weakest = min(early, key=lambda row: int(row[5])) if early else None
    grade, below = (weakest[0], 100 - int(weakest[5])) if weakest else ("2", 0)
    season = reviewed["period_label"].split()[0]
    Success.objects.create(
        review=review,
        text=f"{triangle.rows[0][2]}% of students at Tier 1 in reading ({reviewed['period_label']}).",
        position=0,
    )
    strongest = max((row for row in grades.rows if row[5] != ""), key=lambda row: int(row[5]), default=None)
    if strongest is not None:
        name = "Kindergarten" if strongest[0] == "K" else f"Grade {strongest[0]}"
        Success.objects.create(
            review=review, text=f"{name}: {strongest[5]}% of students at Tier 1 in reading.", position=1
        )
    problem = services.problem_create(
        review=review,
        what="Students below benchmark in oral reading fluency",
        who=f"Grade {grade}",
        where="Classrooms, during the reading block",
        when=f"{season} screening",
        how_often=f"{below}% of grade {grade} students below Tier 1 in the {season.lower()} screening",
        goal=f"Reduce grade {grade} students below benchmark in oral reading fluency",
        goal_target=f"{max(below - 10, 5)}%",
        goal_date=ctx.today + timedelta(days=110),
        factors=[
            "Core fluency practice is under 10 minutes a day",
            "Small-group intervention time is shared with English language development",
            f"Two new grade {grade} teachers not yet trained in the reading program",
        ],
    )
    principal = ctx.principals.get(school.code, ctx.principal)
    _action(
        ctx,
        review,
        problem,
        f"Schedule a 30-minute WIN block for grade {grade}",
        principal,
        ctx.today + timedelta(days=8),
    )
    _action(
        ctx,
        review,
        problem,
        f"Coach the two new grade {grade} teachers in repeated reading routines",
        curriculum,
        ctx.today + timedelta(days=21),
    )
    _action(
        ctx,
        review,
        problem,
        f"Progress-monitor grade {grade} Tier 3 students every week",
        ctx.member,
        ctx.today + timedelta(days=14),
    )
