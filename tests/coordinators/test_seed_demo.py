from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordinators import updates
from coordinators.models import District, Membership, Role, School, TimeEntry, User
from coordinators.selectors import classes_taught_by
from data_reviews.models import StudentResult
from implementation_plans.models import Practice
from mtss.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label != "axes"
    }


def test_seed_demo_builds_the_demo_district_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first

    district = District.objects.get(slug="maple-valley")
    assert School.objects.filter(district=district).count() == 12
    assert set(School.objects.filter(district=district).values_list("level", flat=True)) == {
        "elementary",
        "middle",
        "high",
    }
    for email, role in [
        ("coordinator@demo.mtss", Role.COORDINATOR),
        ("leader@demo.mtss", Role.LEADER),
        ("member@demo.mtss", Role.MEMBER),
        ("principal@demo.mtss", Role.SITE_ADMIN),
        ("teacher@demo.mtss", Role.SCHOOL_STAFF),
    ]:
        membership = Membership.objects.get(user__email=email, district=district)
        assert membership.role == role
        assert membership.user.check_password(DEMO_PASSWORD)
    principal = Membership.objects.get(user__email="principal@demo.mtss")
    assert [s.level for s in principal.schools.all()] == ["elementary"]
    teacher = Membership.objects.get(user__email="teacher@demo.mtss")
    assert [s.name for s in teacher.schools.all()] == ["Three Sisters Elementary"]
    assert [(c.title, c.student_count) for c in classes_taught_by(teacher)] == [
        ("Grade 2 Math, Room 14", 12),
        ("Grade 2 Reading, Room 14", 18),
    ]
    assert updates.updates_for(teacher).count() == 1
    assert User.objects.get(email="admin@demo.mtss").is_superuser
    other = Membership.objects.get(user__email="coordinator@other.mtss")
    assert other.district.slug == "cedar-ridge"


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(email="coordinator@demo.mtss").exists()


# Writing the demo one row at a time (a model instance, a savepoint and a lookup per row) took
# more than 2,000 queries; bulk writes keep it near 1,700. The bound leaves room for new demo
# content, not for a return to per-row writes.
FIRST_RUN_QUERY_BOUND = 1_900
SECOND_RUN_QUERY_BOUND = 280


def test_seed_demo_writes_in_bulk_with_a_bounded_number_of_queries(settings):
    settings.DEBUG = True
    with CaptureQueriesContext(connection) as first:
        call_command("seed_demo", verbosity=0)
    assert len(first) < FIRST_RUN_QUERY_BOUND
    district = District.objects.get(slug="maple-valley")
    # The bulk writes still store every student's results and every plan record.
    assert StudentResult.objects.filter(district=district).count() > 50_000
    assert StudentResult.objects.filter(district=district, tier__isnull=False).exists()
    assert Practice.objects.filter(district=district).count() == 20
    assert TimeEntry.objects.filter(district=district, meeting__isnull=True).exists()
    with CaptureQueriesContext(connection) as second:
        call_command("seed_demo", verbosity=0)
    assert len(second) < SECOND_RUN_QUERY_BOUND
