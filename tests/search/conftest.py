"""Records of every searchable kind in district A (both schools) and district B, all with one word.

The word is "zephyr": it appears nowhere else, so what a search for it finds is exactly what the
person may see of these records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db.models import Model

from coordinators.models import Membership
from meetings import services as meeting_services
from meetings.models import Attendance
from mtss.search.index import reindex
from tests.conftest import Side
from tests.data_reviews.review_factories import DataReviewFactory, ProblemStatementFactory
from tests.factories import SchoolFactory
from tests.implementation_plans import process_factories
from tests.implementation_plans.plan_factories import BarrierFactory, PlanActivityFactory, PracticeFactory
from tests.meetings.factories import make_meeting

WORD = "zephyr"


@dataclass
class Records:
    """Each kind's records in one district, by name."""

    side: Side
    made: dict[str, Model] = field(default_factory=dict)

    def ids(self, kind: str) -> set[int]:
        return {obj.pk for name, obj in self.made.items() if name.split(":")[0] == kind}


def build_records(side: Side, word: str = WORD) -> Records:
    records = Records(side)
    made = records.made
    author = side.membership(side.coordinator)
    process = process_factories.drafted(
        author, texts=process_factories.coaching_texts(f" {word.title()} cycles.")
    )
    made["process"] = process
    made["plan_activity"] = PlanActivityFactory(
        goal__district=side.district, title=f"Train staff in {word} routines", owner=side.member
    )
    meeting = make_meeting(side.district, side.coordinator, title=f"{word.title()} planning meeting")
    Attendance.objects.get_or_create(meeting=meeting, person=side.site_admin)
    made["meeting"] = meeting
    closed = make_meeting(side.district, side.coordinator, title="Budget meeting")
    item = closed.agenda_items.create(title="Minutes item", position=99)
    item.entries.create(kind="discussion", text=f"The team discussed {word} screening.")
    made["meeting:minutes"] = closed
    for name, owner in (("action_item", side.member), ("action_item:principal", side.site_admin)):
        made[name] = meeting_services.action_item_create(
            district=side.district,
            title=f"Send {word} survey ({owner.full_name})",
            owner=owner,
            due_date=None,
            member=side.membership(side.coordinator),
        )
    made["barrier"] = BarrierFactory(district=side.district, description=f"No {word} substitute coverage")
    made["practice"] = PracticeFactory(district=side.district, name=f"{word.title()} check-ins")
    for label, school in (("own", side.school), ("other", side.other_school)):
        review = DataReviewFactory(
            district=side.district, school=school, title=f"{word.title()} review {label}"
        )
        made[f"data_review:{label}"] = review
        made[f"problem:{label}"] = ProblemStatementFactory(review=review, what=f"{word.title()} gap {label}")
    made["data_review:district"] = DataReviewFactory(
        district=side.district, school=None, title=f"District {word} review", held_on=dt.date(2026, 2, 1)
    )
    made["school:own"] = side.school
    side.school.name = f"{side.school.name} {word.title()}"
    side.school.save()
    made["school:new"] = SchoolFactory(district=side.district, name=f"{word.title()} Ridge Elementary")
    made["person"] = side.membership(side.member)
    side.member.title = f"{word.title()} specialist"
    side.member.save()
    reindex(side.district.pk)
    return records


@pytest.fixture
def records_a(side_a: Side) -> Records:
    return build_records(side_a)


@pytest.fixture
def records_b(side_b: Side) -> Records:
    return build_records(side_b)


def member_of(side: Side, user: Any) -> Membership:
    return side.membership(user)
