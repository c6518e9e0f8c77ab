"""Personas: a coordinator, a leader, a DIT member, a site admin and a school staff member (a teacher
at the site admin's school) in district A, the same in B.

District B's people are the outsiders: every view that shows an object has a test that
district B gets a 404 and that nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from coordinators.middleware import CURRENT_DISTRICT_KEY
from coordinators.models import District, Membership, Role, School, User
from tests.factories import DistrictFactory, MembershipFactory, SchoolFactory, UserFactory


@dataclass
class Side:
    """One district and its people."""

    district: District
    school: School
    other_school: School
    coordinator: User
    leader: User
    member: User
    site_admin: User
    school_staff: User

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(user=user, district=self.district)


def _side(letter: str) -> Side:
    district = DistrictFactory(name=f"District {letter}", slug=f"district-{letter.lower()}")
    school = SchoolFactory(district=district, name=f"{letter} Lakeside Elementary", code=f"{letter}01")
    other_school = SchoolFactory(district=district, name=f"{letter} Hilltop Middle", code=f"{letter}02")
    people = {}
    for role in (Role.COORDINATOR, Role.LEADER, Role.MEMBER, Role.SITE_ADMIN, Role.SCHOOL_STAFF):
        user = UserFactory(email=f"{role}.{letter.lower()}@example.org", full_name=f"{role.label} {letter}")
        MembershipFactory(
            user=user, district=district, role=role, schools=[school] if role in Role.school_roles() else None
        )
        people[role] = user
    return Side(
        district=district,
        school=school,
        other_school=other_school,
        coordinator=people[Role.COORDINATOR],
        leader=people[Role.LEADER],
        member=people[Role.MEMBER],
        site_admin=people[Role.SITE_ADMIN],
        school_staff=people[Role.SCHOOL_STAFF],
    )


@pytest.fixture
def side_a(db: None) -> Side:
    return _side("A")


@pytest.fixture
def side_b(db: None) -> Side:
    return _side("B")


@pytest.fixture
def login_as(side_a: Side) -> Callable[..., Client]:
    """Return a client signed in as `user`, working in `district` (default: the user's first)."""

    def login(user: User, district: District | None = None) -> Client:
        client = Client()
        client.force_login(user)
        if district is not None:
            session = client.session
            session[CURRENT_DISTRICT_KEY] = district.pk
            session.save()
        return client

    return login


@pytest.fixture
def coordinator_a(side_a: Side, login_as: Callable[..., Client]) -> Client:
    return login_as(side_a.coordinator)


@pytest.fixture
def leader_a(side_a: Side, login_as: Callable[..., Client]) -> Client:
    return login_as(side_a.leader)


@pytest.fixture
def member_a(side_a: Side, login_as: Callable[..., Client]) -> Client:
    return login_as(side_a.member)


@pytest.fixture
def site_admin_a(side_a: Side, login_as: Callable[..., Client]) -> Client:
    return login_as(side_a.site_admin)


@pytest.fixture
def school_staff_a(side_a: Side, login_as: Callable[..., Client]) -> Client:
    return login_as(side_a.school_staff)


@pytest.fixture
def coordinator_b(side_b: Side, login_as: Callable[..., Client]) -> Client:
    return login_as(side_b.coordinator)


@pytest.fixture
def leader_b(side_b: Side, login_as: Callable[..., Client]) -> Client:
    return login_as(side_b.leader)


@pytest.fixture
def celery_eager(settings) -> Iterator[None]:
    """Run Celery tasks in-process. The Celery app reads its settings once, so set both."""
    from mtss.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (dashboards are cached by their inputs)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _release_test_database(django_db_setup: None, django_db_blocker) -> Iterator[None]:
    """On PostgreSQL, end other sessions on the test database before it is dropped.

    A worker process or server thread started by a test may still hold a connection when the
    suite ends (seen once in CI); dropping the database would then fail with "being accessed by
    other users" and leave it behind.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
