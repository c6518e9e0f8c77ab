"""Factories for screener results, snapshots and school measures."""

from __future__ import annotations

import datetime

import factory

from data_reviews.models import SchoolMeasure, StudentResult, TierSnapshot


class StudentResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentResult

    district = factory.SelfAttribute("school.district")
    student_id = factory.Sequence(lambda n: f"S{10000 + n}")
    grade = "3"
    subject = "reading"
    school_year = 2025
    window = "fall"
    test_date = datetime.date(2025, 9, 16)
    percentile = 50.0
    measure = "NWEA MAP Growth"
    tier = 1


class TierSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TierSnapshot

    district = factory.SelfAttribute("school.district")
    grade = "3"
    subject = "reading"
    school_year = 2025
    window = "fall"
    student_group = ""
    tier1 = 40
    tier2 = 8
    tier3 = 2
    no_data = 0


class SchoolMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolMeasure

    district = factory.SelfAttribute("school.district")
    kind = SchoolMeasure.Kind.ODR
    month = datetime.date(2025, 9, 1)
    value = 12
