"""District A's objects for the security tests: one of each thing a URL can name.

Built through the services and factories, so every object is as the app would make it. School-scoped
objects sit in `other_school` (not the site admin's), so the site admin must not reach them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coordinators.models import Enrollment, RosterClass, RosterPerson, Student
from data_reviews.models import ImportBatch, StudentResult
from data_reviews.reviews import services as review_services
from data_reviews.scores import importing
from data_reviews.scores import services as score_services
from implementation_plans.plan import services as plan_services
from meetings import services as meeting_services
from meetings.models import MeetingKind
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from mtss.notifications.services import notify
from tests.conftest import Side
from tests.implementation_plans import process_factories
from tests.implementation_plans.plan_factories import AssessmentItemFactory, CapacityAssessmentFactory

FIXTURES = Path(__file__).parent / "data_reviews" / "fixtures"


@dataclass
class World:
    a: Side
    b: Side
    objects: dict[str, Any] = field(default_factory=dict)


def build_objects(a: Side, text: str = "") -> dict[str, Any]:
    """One object of every kind in district A; `text` is added to every free-text field."""
    coordinator, leader, member = a.coordinator, a.leader, a.member
    lead = a.membership(leader)
    author = a.membership(coordinator)
    today = dt.date(2026, 11, 20)
    objects: dict[str, Any] = {}

    # An approved process (so its print and Word pages have something to show) and another one
    # waiting for approval (so the leader's decision URLs have a version to decide).
    process = process_factories.started(author)
    process_factories.services.draft_save(
        member=author, process=process, texts=process_factories.texts_for(process, text)
    )
    process.refresh_from_db()
    approved = process_factories.services.draft_submit(member=author, process=process)
    process_factories.services.version_approve(member=lead, version=approved)
    objects["process"] = process
    waiting = process_factories.started(author, "staff-learning")
    process_factories.services.draft_save(
        member=author, process=waiting, texts=process_factories.texts_for(waiting, text)
    )
    waiting.refresh_from_db()
    version = process_factories.services.draft_submit(member=author, process=waiting)
    objects["version"] = version
    objects["comment"] = process_factories.services.comment_add(
        member=lead,
        version=version,
        body=f"Please name the trainers.{text}",
        section_key=version.process.sections[0]["key"],
    )

    goal = plan_services.goal_create(member=author, title=f"Tier 1 reading for all{text}", description=text)
    activity = plan_services.activity_create(
        member=author,
        goal=goal,
        title=f"Train grade teams{text}",
        owner=member,
        start_date=today - dt.timedelta(days=10),
        due_date=today + dt.timedelta(days=30),
    )
    plan_services.progress_add(
        activity=activity, member=author, recorded_on=today, note=f"Half done{text}", percent_complete=50
    )
    objects["goal"], objects["activity"] = goal, activity

    assessment = CapacityAssessmentFactory(district=a.district)
    objects["assessment"] = assessment
    objects["assessment_item"] = AssessmentItemFactory(
        assessment=assessment, wording=f"The district team reviews data{text}"
    )

    barrier = plan_services.barrier_create(
        member=author, description=f"Substitute shortage{text}", raised_on=today
    )
    plan_services.barrier_escalate(barrier=barrier, member=author, reason=f"Needs budget{text}", today=today)
    objects["barrier"] = barrier

    objects["initiative"] = plan_services.initiative_save(
        member=author,
        name=f"Check and Connect{text}",
        outcome_measure=f"Attendance rate{text}",
        target_group=f"Grade 9{text}",
    )
    objects["practice"] = plan_services.practice_save(
        member=author,
        name=f"Behaviour-specific praise{text}",
        description=f"**Praise** often{text}",
        behaviour=True,
    )

    meeting = meeting_services.meeting_create(
        kind=MeetingKind.DIT,
        title=f"DIT meeting{text}",
        starts_at=dt.datetime(2026, 12, 8, 21, 30, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 8, 23, 0, tzinfo=dt.UTC),
        location=f"Board Room{text}",
        member=author,
    )
    item = meeting_services.agenda_item_propose(
        meeting=meeting, title=f"Screening data{text}", description=text, member=author
    )
    entry = meeting_services.minute_entry_add(
        item=item, kind="discussion", text=f"We looked{text}", member=author
    )
    objects["meeting"], objects["agenda_item"], objects["minute_entry"] = meeting, item, entry
    objects["action_item"] = meeting_services.action_item_create(
        district=a.district,
        title=f"Send the letters{text}",
        owner=member,
        due_date=today + dt.timedelta(days=7),
        member=author,
        details=text,
        meeting=meeting,
    )
    objects["calendar_feed"] = meeting_services.calendar_feed_regenerate(member=author)

    batch = score_services.import_batch_create(
        district=a.district,
        member=author,
        file_format=ImportBatch.Format.GENERIC,
        uploads=[
            importing.Upload(name="generic_long.csv", data=(FIXTURES / "generic_long.csv").read_bytes())
        ],
        queue_check=False,
    )
    objects["import_batch"] = score_services.import_batch_check(batch)
    objects["rule"] = score_services.decision_rule_save(
        member=author, subject="reading", measure="Acadience", method="percentile"
    )

    review = review_services.review_create(
        school=a.other_school,
        title=f"Winter reading review{text}",
        held_on=today,
        facilitator=coordinator,
        member=author,
        notes=text,
    )
    review_services.source_add(
        review=review, title=f"Winter tiers{text}", link="/data/", as_of=today, summary=f"64% at Tier 1{text}"
    )
    review_services.success_add(review=review, text=f"Letter naming up{text}")
    problem = review_services.problem_create(
        review=review,
        what=f"Below benchmark in fluency{text}",
        who=f"Grade 2{text}",
        how_often=f"38%{text}",
        goal=f"Fewer below benchmark{text}",
        where=f"Reading block{text}",
        when=f"Winter{text}",
        factors=[f"Too little practice{text}"],
    )
    review_services.action_create(
        review=review,
        problem=problem,
        description=f"Daily fluency practice{text}",
        owner=member,
        due_date=today + dt.timedelta(days=14),
        member=author,
    )
    # A later review of the same school checks the problem carried forward.
    later = review_services.review_create(
        school=a.other_school,
        title=f"Spring reading review{text}",
        held_on=today + dt.timedelta(days=60),
        facilitator=coordinator,
        member=author,
    )
    objects["review"], objects["problem"], objects["later_review"] = review, problem, later

    notify(
        district=a.district,
        recipients=[coordinator, leader, member, a.site_admin],
        kind=Kind.DUE_SOON,
        subject=f"Something is due{text}",
        body=text,
        url="/plan/",
        key="security-world",
    )
    objects["notification"] = Notification.objects.get(recipient=coordinator, key="security-world")
    failed = Notification.objects.get(recipient=member, key="security-world")
    Notification.objects.filter(pk=failed.pk).update(
        email_state=Notification.EmailState.FAILED, last_error="550"
    )
    objects["email_problem"] = failed
    objects.update(_students(a, text))
    return objects


def _students(a: Side, text: str) -> dict[str, Any]:
    """A student at the other school (no site admin or teacher of A reaches them), and a student the
    school staff persona teaches (a roster class at their school), each with a screening result."""
    found: dict[str, Any] = {}
    for name, school, number in (
        ("student", a.other_school, "S-OTHER"),
        ("taught_student", a.school, "S-MINE"),
    ):
        student = Student.objects.create(
            district=a.district,
            student_number=number,
            first_name=f"Maya{text}"[:100],
            last_name=f"Ortiz{text}"[:100],
            grade="3",
            school=school,
            race_ethnicity=f"Group{text}"[:64],
        )
        StudentResult.objects.create(
            district=a.district,
            school=school,
            student_id=number,
            grade="3",
            subject="reading",
            school_year=2025,
            window="fall",
            tier=3,
            percentile=8,
            measure=f"Acadience{text}"[:80],
            rostered_student=student,
        )
        found[name] = student
    teacher = RosterPerson.objects.create(
        district=a.district,
        sourced_id="world-teacher",
        roster_role="teacher",
        given_name=f"Tess{text}"[:100],
        person=a.school_staff,
    )
    room = RosterClass.objects.create(
        district=a.district, sourced_id="world-class", title=f"Room 4{text}"[:200], school=a.school
    )
    Enrollment.objects.create(
        district=a.district, sourced_id="world-class-t", roster_class=room, staff=teacher, role="teacher"
    )
    Enrollment.objects.create(
        district=a.district,
        sourced_id="world-class-s",
        roster_class=room,
        student=found["taught_student"],
        role="student",
    )
    found["roster_class"] = room
    return found
