"""The executive leader's home answers "what needs me this week": approvals, escalations, overdue work."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implementation_plans.models import Barrier
from tests.implementation_plans.plan_factories import (
    BarrierFactory,
    PlanActivityFactory,
    PlanGoalFactory,
    district_today,
)
from tests.implementation_plans.process_factories import submitted

pytestmark = pytest.mark.django_db
LEADER_HOME_QUERIES = 12


def _overdue(side, count: int) -> None:
    goal = PlanGoalFactory(district=side.district)
    for n in range(count):
        due = district_today() - datetime.timedelta(days=3 + n)
        PlanActivityFactory(
            goal=goal,
            title=f"Late activity {n}",
            owner=side.member,
            start_date=due - datetime.timedelta(days=10),
            due_date=due,
        )


def _panel(page: str, title: str) -> str:
    start = page.index(f">{title}<")
    return page[start : page.index("</section>", start)]


def test_leader_sees_approvals_escalations_and_overdue_plan_work(side_a, side_b, leader_a):
    submitted(side_a.membership(side_a.coordinator))
    BarrierFactory(district=side_a.district, status=Barrier.Status.ESCALATED, description="No substitutes")
    _overdue(side_a, 1)
    _overdue(side_b, 1)
    PlanActivityFactory(goal=PlanGoalFactory(district=side_a.district), title="Due next month")

    page = leader_a.get(reverse("home")).text

    assert "Coaching System" in _panel(page, "Waiting for your approval")
    assert "No substitutes" in _panel(page, "Escalated barriers")
    overdue = _panel(page, "Overdue plan activities")
    assert overdue.count("Late activity 0") == 1
    assert "Due next month" not in overdue
    assert page.index(">Waiting for your approval<") < page.index(">Overdue plan activities<")


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_leader_home_query_count_is_the_same_with_5_and_50_overdue_activities(side_a, leader_a):
    _overdue(side_a, 5)
    small = _home_queries(leader_a)
    _overdue(side_a, 45)
    assert _home_queries(leader_a) == small
    assert small == LEADER_HOME_QUERIES
