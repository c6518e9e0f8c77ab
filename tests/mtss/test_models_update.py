"""model_update: the one way a service changes a record's fields."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from implementation_plans.models import Barrier, Initiative, Practice
from mtss.models_update import model_update
from tests.factories import DistrictFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice():
    return Practice.objects.create(district=DistrictFactory(), name="Check-in", description="Daily")


def test_changed_fields_are_saved_and_reported(practice, django_assert_num_queries):
    with django_assert_num_queries(1):
        _, changed = model_update(
            practice, {"name": "Check-in/Check-out", "tier2": True}, fields=["name", "tier2"]
        )
    assert changed is True
    stored = Practice.objects.get(pk=practice.pk)
    assert (stored.name, stored.tier2, stored.description) == ("Check-in/Check-out", True, "Daily")


def test_only_the_changed_fields_are_written(practice):
    Practice.objects.filter(pk=practice.pk).update(description="Changed elsewhere")
    model_update(practice, {"name": "Renamed", "description": "Daily"}, fields=["name", "description"])
    stored = Practice.objects.get(pk=practice.pk)
    assert stored.name == "Renamed"
    assert stored.description == "Changed elsewhere"  # unchanged here, so not written back


def test_the_same_values_write_nothing(practice, django_assert_num_queries):
    with django_assert_num_queries(0):
        _, changed = model_update(practice, {"name": "Check-in", "tier1": False}, fields=["name", "tier1"])
    assert changed is False


def test_auto_now_moves_with_a_change(practice):
    before = Practice.objects.get(pk=practice.pk).updated_at
    model_update(practice, {"name": "Renamed"}, fields=["name"])
    assert Practice.objects.get(pk=practice.pk).updated_at > before


def test_a_field_outside_the_allow_list_is_refused(practice):
    with pytest.raises(ValueError, match="district"):
        model_update(practice, {"name": "x", "district": DistrictFactory()}, fields=["name"])
    assert Practice.objects.get(pk=practice.pk).name == "Check-in"


def test_an_invalid_value_is_refused_and_nothing_saved(practice):
    with pytest.raises(ValidationError) as refused:
        model_update(practice, {"grouping": "everyone"}, fields=["grouping"])
    assert "grouping" in refused.value.message_dict
    assert Practice.objects.get(pk=practice.pk).grouping == Practice.Grouping.SMALL_GROUP


def test_a_related_record_is_compared_by_key():
    school = SchoolFactory()
    barrier = Barrier.objects.create(
        district=school.district, raised_on="2026-10-01", description="Bus times", school=school
    )
    barrier = Barrier.objects.get(pk=barrier.pk)
    _, same = model_update(barrier, {"school": school}, fields=["school"])
    _, cleared = model_update(barrier, {"school": None}, fields=["school"])
    assert (same, cleared) == (False, True)
    assert Barrier.objects.get(pk=barrier.pk).school_id is None


def test_an_empty_optional_number_stays_empty():
    initiative = Initiative.objects.create(district=DistrictFactory(), name="Check and Connect")
    _, changed = model_update(initiative, {"need": None, "fit": 4}, fields=["need", "fit"])
    assert changed is True
    stored = Initiative.objects.get(pk=initiative.pk)
    assert (stored.need, stored.fit) == (None, 4)
