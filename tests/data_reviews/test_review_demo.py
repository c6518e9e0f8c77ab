from __future__ import annotations

import pytest
from django.core.management import call_command

from data_reviews.models import DataReview, ProblemCheck, ProblemStatement, SolutionAction
from meetings.models import ActionItem

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (DataReview, ProblemStatement, ProblemCheck, SolutionAction, ActionItem)
    )


def test_demo_reviews_show_each_problem_state_and_a_second_run_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    first = _counts()
    call_command("seed_demo", stdout=None)
    assert _counts() == first
    assert DataReview.objects.count() == 3
    states = {p.what: p for p in ProblemStatement.objects.all()}
    reading = states["Students below benchmark in oral reading fluency"]
    absent = states["Chronic absenteeism in middle school"]
    odr = states["Office discipline referrals for disruption in hallways"]
    assert reading.is_open
    assert not reading.checks.exists()
    assert reading.school.name == "Three Sisters Elementary"
    assert absent.is_open
    assert absent.checks.get().fidelity == ProblemCheck.Fidelity.PARTIAL
    assert not odr.is_open
    assert odr.checks.get().effectiveness == ProblemCheck.Effectiveness.GOAL_MET
    overdue = [
        a for a in SolutionAction.objects.select_related("action_item") if a.action_item.status == "open"
    ]
    assert any(a.due_date < reading.review.held_on for a in overdue)
