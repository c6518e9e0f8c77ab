"""Factories for the plan, capacity assessments, barriers, initiatives and practices."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import factory

from implementation_plans.models import (
    AssessmentItem,
    Barrier,
    CapacityAssessment,
    Initiative,
    PlanActivity,
    PlanGoal,
    Practice,
    ProgressUpdate,
)
from tests.factories import DistrictFactory


def district_today() -> datetime.date:
    """Today where the test districts are (America/Chicago), as the pages compute it."""
    return datetime.datetime.now(tz=ZoneInfo("America/Chicago")).date()


class PlanGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanGoal

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Goal {n}: every school installs Tier 1 behaviour supports")


class PlanActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanActivity

    goal = factory.SubFactory(PlanGoalFactory)
    district = factory.SelfAttribute("goal.district")
    title = factory.Sequence(lambda n: f"Activity {n}")
    start_date = factory.LazyFunction(lambda: district_today() - datetime.timedelta(days=30))
    due_date = factory.LazyFunction(lambda: district_today() + datetime.timedelta(days=30))


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    activity = factory.SubFactory(PlanActivityFactory)
    recorded_on = factory.LazyFunction(district_today)
    note = "Training calendar drafted."
    percent_complete = 25


class CapacityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityAssessment

    district = factory.SubFactory(DistrictFactory)
    administered_on = factory.LazyFunction(district_today)
    window = CapacityAssessment.Window.FALL


class AssessmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentItem

    assessment = factory.SubFactory(CapacityAssessmentFactory)
    number = factory.Sequence(lambda n: n + 1)
    wording = factory.Sequence(lambda n: f"The district team reviews item {n} data")
    subscale = "Commitment"
    score = 2


class BarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Barrier

    district = factory.SubFactory(DistrictFactory)
    raised_on = factory.LazyFunction(district_today)
    description = factory.Sequence(lambda n: f"Substitute shortage blocks coaching release time ({n})")


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Initiative {n}")
    outcome_measure = factory.Sequence(lambda n: f"Measure {n}")
    target_group = "All students"


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Practice {n}")
    behaviour = True
    tier2 = True
    description = "A short description."
