"""Demo data reviews: a district review in fall, its follow-up in winter, and a school reading review.

Together they show a problem in each state: new (early grade reading at Three Sisters Elementary),
carried forward with a partial fidelity check (chronic absenteeism in middle school) and
resolved with the goal met (office discipline referrals at Maple Valley High School).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from coordinators.models import School, User
from data_reviews.models import (
    DataReview,
    DataSource,
    ProblemCheck,
    ProblemStatement,
    SolutionAction,
    Success,
)
from data_reviews.reviews import services
from data_reviews.scores import dashboards
from data_reviews.scores import demo as scores_demo
from data_reviews.scores import selectors as score_selectors
from meetings.models import ActionItem
from meetings.services import action_item_create
from mtss.demo import DemoContext

FALL_TITLE = "Fall district data review"
WINTER_TITLE = "Winter district data review"
READING_TITLE = "reading review"  # after the season of the window reviewed


def seed_demo(ctx: DemoContext) -> None:
    schools = {school.code: school for school in ctx.schools}
    three_sisters = schools.get("1101", ctx.principal_school)
    northview = schools.get("2201")
    maple_valley = schools.get("3301")
    analyst = ctx.dit_members[-1] if ctx.dit_members else ctx.member
    curriculum = ctx.dit_members[1] if len(ctx.dit_members) > 1 else ctx.member

    fall_day, winter_day = _district_review_days(ctx.today)
    fall = _review(ctx, None, FALL_TITLE, fall_day, f"DIT meeting ({fall_day:%B})")
    if fall is not None:
        _fill_fall(ctx, fall, northview, maple_valley, analyst)
    winter = _review(ctx, None, WINTER_TITLE, winter_day, f"DIT meeting ({winter_day:%B})")
    if winter is not None:
        _fill_winter(ctx, winter, northview, maple_valley, analyst)
    reviewed = _reading_dashboard(ctx, three_sisters)
    if reviewed is None:
        return
    season = reviewed["period_label"].split()[0]
    window_day = scores_demo.window_date(*reviewed["period"])
    held_on = min(ctx.today, max(ctx.today - timedelta(days=6), window_day + timedelta(days=7)))
    reading = _review(ctx, three_sisters, f"{season} {READING_TITLE}", held_on, "")
    if reading is not None:
        _fill_reading(ctx, reading, three_sisters, curriculum, reviewed, window_day)


def _district_review_days(today: date) -> tuple[date, date]:
    """A few weeks after the fall and the winter screening windows of the latest school year
    whose winter review is already past, so each review follows the window it is named after."""
    year = scores_demo.school_year_of(today)
    for school_year in (year, year - 1):
        fall = scores_demo.window_date(school_year, "fall") + timedelta(days=28)
        winter = scores_demo.window_date(school_year, "winter") + timedelta(days=21)
        if winter <= today - timedelta(days=7):
            break
    return fall, winter


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
    )
    return context if context["period"] is not None else None


def _review(
    ctx: DemoContext, school: School | None, title: str, held_on: date, meeting: str
) -> DataReview | None:
    """Create the review once; None when it already exists (the seeder is idempotent)."""
    if DataReview.objects.filter(district=ctx.district, school=school, title=title).exists():
        return None
    return services.review_create(
        district=ctx.district,
        school=school,
        title=title,
        held_on=held_on,
        facilitator=ctx.coordinator,
        created_by=ctx.coordinator,
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
        created_by=ctx.coordinator,
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


def _fill_fall(
    ctx: DemoContext, review: DataReview, northview: School | None, maple_valley: School | None, analyst: User
) -> None:
    as_of = review.held_on - timedelta(days=5)
    DataSource.objects.bulk_create(
        [
            DataSource(
                review=review,
                title="Attendance by school, first six weeks",
                link=reverse("score_district_dashboard") + "#attendance-heading",
                as_of=as_of,
                summary=(
                    "District average daily attendance 93.8%. Middle schools lowest: 14.2% of grade 6-8 "
                    "students missed 10% or more of days (Northview 17.9%, Westfield 13.1%, Eastbrook 11.6%)."
                ),
                position=0,
            ),
            DataSource(
                review=review,
                title="Office discipline referrals, August to September",
                link=reverse("score_district_dashboard") + "#odr-heading",
                as_of=as_of,
                summary=(
                    "412 ODRs district-wide; Maple Valley High School 148 (36%). At Maple Valley, 61% of "
                    "referrals were grade 9, and 44% happened in hallways during passing periods."
                ),
                position=1,
            ),
        ]
    )
    Success.objects.bulk_create(
        [
            Success(
                review=review,
                text="Every elementary school finished fall screening within the window.",
                position=0,
            ),
            Success(
                review=review,
                text="Elementary ODRs down 18% from last fall after PBIS Tier 1 refresh.",
                position=1,
            ),
        ]
    )
    northview_name = northview.name if northview else "Northview Middle School"
    absent = services.problem_create(
        review=review,
        what="Chronic absenteeism in middle school",
        who="Grades 6-8, highest in grade 7",
        where=f"{northview_name} and the other middle schools",
        when="First period and Mondays and Fridays",
        how_often="14.2% of middle school students chronically absent (missed 10% or more of days)",
        goal="Reduce middle school chronic absenteeism",
        goal_target="below 10%",
        goal_date=ctx.today + timedelta(days=120),
        factors=[
            "No consistent first-period attendance follow-up call home",
            "Families unaware of how quickly absences add up",
            "Grade 7 students without an adult mentor at school",
        ],
    )
    _action(
        ctx,
        review,
        absent,
        "Set up daily first-period attendance calls at each middle school",
        ctx.principals.get("2201", ctx.member),
        review.held_on + timedelta(days=21),
        done=True,
    )
    _action(
        ctx,
        review,
        absent,
        "Start Check-In/Check-Out mentoring for grade 7 students with 5+ absences",
        ctx.member,
        ctx.today - timedelta(days=10),
    )
    _action(
        ctx,
        review,
        absent,
        "Send families a one-page 'Every day counts' attendance letter",
        analyst,
        review.held_on + timedelta(days=30),
        done=True,
    )
    maple_name = maple_valley.name if maple_valley else "Maple Valley High School"
    odr = services.problem_create(
        review=review,
        what="Office discipline referrals for disruption in hallways",
        who="Grade 9 students",
        where=f"{maple_name}, hallways",
        when="Passing periods, especially after lunch",
        how_often="148 ODRs in two months; 44% in hallways during passing periods",
        goal="Cut hallway ODRs at passing periods",
        goal_target="by half",
        goal_date=ctx.today - timedelta(days=30),
        factors=[
            "Hallway expectations not taught to grade 9 students",
            "Few adults visible in the hallways after lunch",
        ],
    )
    _action(
        ctx,
        review,
        odr,
        "Teach hallway expectations in grade 9 advisory",
        ctx.principals.get("3301", ctx.member),
        review.held_on + timedelta(days=14),
        done=True,
    )
    _action(
        ctx,
        review,
        odr,
        "Active supervision schedule for staff at passing periods",
        ctx.principals.get("3301", ctx.member),
        review.held_on + timedelta(days=21),
        done=True,
    )


def _fill_winter(
    ctx: DemoContext, review: DataReview, northview: School | None, maple_valley: School | None, analyst: User
) -> None:
    as_of = review.held_on - timedelta(days=4)
    DataSource.objects.bulk_create(
        [
            DataSource(
                review=review,
                title="Attendance by school, semester one",
                link=reverse("score_district_dashboard") + "#attendance-heading",
                as_of=as_of,
                summary=(
                    "Middle school chronic absenteeism 12.4%, down from 14.2% in the fall (Northview 15.0%)."
                ),
                position=0,
            ),
            DataSource(
                review=review,
                title="Office discipline referrals, October to December",
                link=reverse("score_district_dashboard") + "#odr-heading",
                as_of=as_of,
                summary=(
                    "Maple Valley High School hallway ODRs: 29 this quarter against 65 in the fall quarter."
                ),
                position=1,
            ),
        ]
    )
    Success.objects.create(
        review=review,
        text="Maple Valley hallway referrals more than halved since the fall review.",
        position=0,
    )
    absent = ProblemStatement.objects.get(district=ctx.district, what="Chronic absenteeism in middle school")
    odr = ProblemStatement.objects.get(
        district=ctx.district, what="Office discipline referrals for disruption in hallways"
    )
    services.check_record(
        review=review,
        problem=absent,
        fidelity=ProblemCheck.Fidelity.PARTIAL,
        effectiveness=ProblemCheck.Effectiveness.IMPROVED,
        next_step=ProblemCheck.NextStep.CONTINUE,
        current_rate="12.4% chronically absent",
        notes=(
            "Attendance calls happen daily at two of three middle schools; mentoring has not "
            "started at Northview."
        ),
        recorded_by=ctx.coordinator,
    )
    services.check_record(
        review=review,
        problem=odr,
        fidelity=ProblemCheck.Fidelity.WITH_FIDELITY,
        effectiveness=ProblemCheck.Effectiveness.GOAL_MET,
        next_step=ProblemCheck.NextStep.DISCONTINUE,
        current_rate="29 hallway ODRs this quarter (down 55%)",
        notes="Keep active supervision as part of Tier 1; no further problem-solving needed.",
        recorded_by=ctx.coordinator,
        resolve=True,
    )
    _action(
        ctx,
        review,
        absent,
        "Start mentoring at Northview with the school counselor",
        ctx.principals.get("2201", ctx.member),
        ctx.today - timedelta(days=3),
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
    Success.objects.bulk_create(
        [
            Success(
                review=review,
                text=f"{triangle.rows[0][2]}% of students at Tier 1 in reading ({reviewed['period_label']}).",
                position=0,
            ),
            Success(review=review, text="Kindergarten letter naming fluency: 84% at benchmark.", position=1),
        ]
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
