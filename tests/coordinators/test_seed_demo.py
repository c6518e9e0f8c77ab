from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from coordinators.models import District, Membership, Role, School, User
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
    ]:
        membership = Membership.objects.get(user__email=email, district=district)
        assert membership.role == role
        assert membership.user.check_password(DEMO_PASSWORD)
    principal = Membership.objects.get(user__email="principal@demo.mtss")
    assert [s.level for s in principal.schools.all()] == ["elementary"]
    assert User.objects.get(email="admin@demo.mtss").is_superuser
    other = Membership.objects.get(user__email="coordinator@other.mtss")
    assert other.district.slug == "cedar-ridge"


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(email="coordinator@demo.mtss").exists()
