"""Factories for data reviews and problem statements."""

from __future__ import annotations

import datetime as dt

import factory

from data_reviews.models import DataReview, DataSource, ProblemStatement, Success
from tests.factories import DistrictFactory


class DataReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataReview

    district = factory.SubFactory(DistrictFactory)
    school = None
    title = factory.Sequence(lambda n: f"Reading review {n}")
    held_on = dt.date(2026, 1, 20)


class DataSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSource

    review = factory.SubFactory(DataReviewFactory)
    title = "Winter reading tiers"
    link = "/data/schools/1/?subject=reading&window=winter"
    as_of = dt.date(2026, 1, 15)
    summary = "64% at Tier 1, 22% at Tier 2, 14% at Tier 3."


class SuccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Success

    review = factory.SubFactory(DataReviewFactory)
    text = "Kindergarten letter naming up 9 points since fall."


class ProblemStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProblemStatement

    review = factory.SubFactory(DataReviewFactory)
    district = factory.SelfAttribute("review.district")
    school = factory.SelfAttribute("review.school")
    what = factory.Sequence(lambda n: f"Students below benchmark in oral reading fluency ({n})")
    who = "Grade 2"
    where = "Classrooms, reading block"
    when = "Winter screening"
    how_often = "38% below benchmark"
    goal = "Reduce grade 2 students below benchmark"
    goal_target = "25%"
    goal_date = dt.date(2026, 5, 29)
