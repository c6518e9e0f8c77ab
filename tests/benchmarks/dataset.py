"""The district-scale data set: 50 schools, about 30,000 students, 3 windows, 4 subjects.

Built through the app's own demo seeders (`ctx.scale == "district"` in data_reviews/scores/demo.py
stores results with bulk inserts and computes tier snapshots with the app's analysis code). Each
area's seeder runs in its own transaction, so one that fails is reported and the rest still run.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.apps import apps
from django.db import transaction

from coordinators.models import District, School
from data_reviews.models import StudentResult, TierSnapshot

SCHOOLS_WANTED = 50
DISTRICT_SLUG = "maple-valley"

# implementation_plans/demo.py runs these two in turn; run apart so one failing does not hide the other.
SPLIT = {"implementation_plans": ["implementation_plans.processes.demo", "implementation_plans.plan.demo"]}


def is_built() -> bool:
    district = District.objects.filter(slug=DISTRICT_SLUG).first()
    if district is None:
        return False
    return School.objects.filter(district=district).count() >= SCHOOLS_WANTED and (
        TierSnapshot.objects.filter(district=district).exists()
    )


def build() -> dict[str, Any]:
    from coordinators.management.commands.seed_demo import build_people_and_schools

    started = time.perf_counter()
    with transaction.atomic():
        ctx = build_people_and_schools(scale="district")
    failures: dict[str, str] = {}
    for config in apps.get_app_configs():
        names = SPLIT.get(config.name, [f"{config.name}.demo"])
        for name in names:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                continue
            try:
                with transaction.atomic():
                    module.seed_demo(ctx)
            except Exception as error:
                failures[name] = f"{type(error).__name__}: {error}".strip()[:300]
    return {"seconds": round(time.perf_counter() - started, 1), "seeder_failures": failures}


MEETING_PLAN = [
    # (kind, title, weekday, every n weeks)
    ("dit", "District Implementation Team meeting", 1, 2),
    ("executive", "Executive leadership meeting", 0, 4),
    ("coaching", "DIT coaching support session", 3, 2),
    ("learning", "Professional learning session", 2, 4),
    ("office_hours", "MTSS office hours", 4, 1),
]
# Marks the benchmark's own year of meetings, apart from the few the demo seeders add.
BENCH_LOCATION = "District Office, Room 210"
ACTION_TITLES = [
    "Share the winter screening summary with principals",
    "Draft the Tier 2 reading intervention schedule",
    "Follow up on the attendance team's referral data",
    "Update the district capacity assessment notes",
    "Send the coaching calendar to building leads",
]


def add_meetings(district: District) -> int:
    """A school year of district meetings (past ones closed), each with agenda items, attendance
    and action items; bulk inserts, skipped once the district has this year of meetings."""
    import datetime

    from django.utils import timezone

    from coordinators.models import Membership
    from meetings.models import ActionItem, AgendaItem, Attendance, Meeting

    if Meeting.objects.filter(district=district, location=BENCH_LOCATION).exists():
        return 0
    people = [
        m.user for m in Membership.objects.filter(district=district).select_related("user").order_by("pk")
    ]
    today = timezone.localdate(timezone=district.tz)
    start = today - datetime.timedelta(days=300)
    meetings = []
    for kind, title, weekday, every in MEETING_PLAN:
        day = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
        while day <= today + datetime.timedelta(days=60):
            begins = datetime.datetime.combine(day, datetime.time(15, 30), tzinfo=district.tz)
            past = day < today
            meetings.append(
                Meeting(
                    district=district,
                    kind=kind,
                    title=title,
                    starts_at=begins,
                    ends_at=begins + datetime.timedelta(minutes=90),
                    location=BENCH_LOCATION,
                    facilitator=people[0],
                    note_taker=people[min(2, len(people) - 1)],
                    status=Meeting.Status.CLOSED if past else Meeting.Status.SCHEDULED,
                    closed_at=begins + datetime.timedelta(hours=2) if past else None,
                )
            )
            day += datetime.timedelta(weeks=every)
    Meeting.objects.bulk_create(meetings, batch_size=500)
    agenda, attendance, actions = [], [], []
    for n, meeting in enumerate(meetings):
        for position, heading in enumerate(
            ["Welcome and norms", "Data review", "Plan progress", "Next steps"]
        ):
            agenda.append(AgendaItem(meeting=meeting, title=heading, position=position, minutes_planned=15))
        for person in people[:8]:
            attendance.append(Attendance(meeting=meeting, person=person, status="present"))
        if meeting.status == Meeting.Status.CLOSED:
            for k in range(3):
                due = meeting.starts_at.date() + datetime.timedelta(days=14 + k)
                actions.append(
                    ActionItem(
                        district=district,
                        title=ACTION_TITLES[(n + k) % len(ACTION_TITLES)],
                        owner=people[(n + k) % len(people)],
                        due_date=due,
                        status=ActionItem.Status.DONE
                        if due < today - datetime.timedelta(days=30)
                        else "open",
                        source_label=f"{meeting.title}, {meeting.starts_at:%b %d}",
                        created_by=people[0],
                        meeting=meeting,
                    )
                )
    AgendaItem.objects.bulk_create(agenda, batch_size=1000)
    Attendance.objects.bulk_create(attendance, batch_size=1000, ignore_conflicts=True)
    ActionItem.objects.bulk_create(actions, batch_size=1000)
    return len(meetings)


def retry_missing() -> dict[str, str]:
    """Seeders whose content is absent run again (each is idempotent), so a failure shows in every run."""
    from coordinators.management.commands.seed_demo import build_people_and_schools
    from implementation_plans.models import Process

    district = District.objects.get(slug=DISTRICT_SLUG)
    if Process.objects.filter(district=district).exists():
        return {}
    name = "implementation_plans.processes.demo"
    with transaction.atomic():
        ctx = build_people_and_schools(scale="district")
    try:
        with transaction.atomic():
            importlib.import_module(name).seed_demo(ctx)
    except Exception as error:
        return {name: f"{type(error).__name__}: {error}".strip()[:300]}
    return {}


def describe() -> dict[str, Any]:
    from implementation_plans import models as plan_models
    from meetings.models import ActionItem, Meeting

    district = District.objects.get(slug=DISTRICT_SLUG)
    results = StudentResult.objects.filter(district=district)
    counts = {
        "schools": School.objects.filter(district=district).count(),
        "students": results.values("student_id").distinct().count(),
        "student_results": results.count(),
        "subjects": results.values("subject").distinct().count(),
        "windows_this_year": results.filter(
            school_year=results.order_by("-school_year").values("school_year")[:1]
        )
        .values("window")
        .distinct()
        .count(),
        "tier_snapshots": TierSnapshot.objects.filter(district=district).count(),
        "meetings": Meeting.objects.filter(district=district).count(),
        "action_items": ActionItem.objects.filter(district=district).count(),
    }
    for name in ("Process", "PlanGoal", "PlanActivity", "Barrier", "Initiative", "Practice"):
        model = getattr(plan_models, name, None)
        if model is not None and any(f.name == "district" for f in model._meta.fields):
            counts[name] = model.objects.filter(district=district).count()
    return counts


def ensure() -> dict[str, Any]:
    built = {"seconds": 0.0, "seeder_failures": {}, "already_built": True}
    if not is_built():
        built = {**build(), "already_built": False}
    else:
        built["seeder_failures"] = retry_missing()
    with transaction.atomic():
        built["meetings_added"] = add_meetings(District.objects.get(slug=DISTRICT_SLUG))
    return {**built, "counts": describe()}
