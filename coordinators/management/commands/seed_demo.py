"""Create the demo district (and a second one to show isolation). Safe to run twice."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from coordinators import updates_demo
from coordinators.models import (
    District,
    Membership,
    Role,
    School,
    User,
)
from coordinators.roster import demo as roster_demo
from mtss.demo import DEMO_PASSWORD, DemoContext

SCHOOLS = [
    # code, name, level, grades
    ("1101", "Three Sisters Elementary", School.Level.ELEMENTARY, "K-5"),
    ("1102", "Lakeview Elementary", School.Level.ELEMENTARY, "K-5"),
    ("1103", "Cedar Creek Elementary", School.Level.ELEMENTARY, "K-5"),
    ("1104", "Maple Grove Elementary", School.Level.ELEMENTARY, "K-5"),
    ("1105", "Riverside Elementary", School.Level.ELEMENTARY, "K-5"),
    ("1106", "Pine Hollow Elementary", School.Level.ELEMENTARY, "K-5"),
    ("1107", "Harbor Point Elementary", School.Level.ELEMENTARY, "K-5"),
    ("2201", "Northview Middle School", School.Level.MIDDLE, "6-8"),
    ("2202", "Westfield Middle School", School.Level.MIDDLE, "6-8"),
    ("2203", "Eastbrook Middle School", School.Level.MIDDLE, "6-8"),
    ("3301", "Maple Valley High School", School.Level.HIGH, "9-12"),
    ("3302", "Lincoln Park High School", School.Level.HIGH, "9-12"),
]
PRINCIPAL_NAMES = [
    "Angela Brooks",
    "Tom Kowalski",
    "Rosa Delgado",
    "Kevin Osei",
    "Linda Park",
    "Marcus Bell",
    "Hannah Schultz",
    "Derek Lawson",
    "Yvonne Tran",
    "Samuel Ortiz",
    "Grace Whitaker",
    "Omar Haddad",
]
DIT_MEMBERS = [
    ("sped.director@demo.mtss", "Carla Jennings", "Director of Special Education"),
    ("curriculum@demo.mtss", "Ben Alvarez", "Director of Curriculum and Instruction"),
    ("data.analyst@demo.mtss", "Mei Chen", "Data and Assessment Coordinator"),
]


class Command(BaseCommand):
    help = "Create the demo district with believable content. Refuses to run when DEBUG is off."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["demo", "district"],
            default="demo",
            help="'district' adds district-scale data (50 schools, 30,000 students) for benchmarks.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with DEBUG on."
            )
        # One transaction for the whole demo: all of it or none, and on SQLite one commit instead of
        # one per app.
        with transaction.atomic():
            ctx = build_people_and_schools(scale=options["scale"])
            ready = []
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed_demo(ctx)
                ready.append(config.verbose_name)
            # The roster names the students of the screener results above and links their results.
            roster_demo.seed_demo(ctx)
            updates_demo.seed_demo(ctx)  # the monthly updates tell what the apps above added
        for name in ready:
            self.stdout.write(f"  {name}: ready")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo district ready: sign in as coordinator@demo.mtss, leader@demo.mtss, member@demo.mtss, "
                f"principal@demo.mtss, teacher@demo.mtss or admin@demo.mtss with password {DEMO_PASSWORD}"
            )
        )


def _person(email: str, full_name: str, title: str = "", *, password: str, **extra: Any) -> User:
    """`password` is the demo password's hash: hashing takes most of a second, so it is done once."""
    user, _ = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "title": title, "password": password, **extra}
    )
    return user


def _role(user: User, district: District, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, district=district, defaults={"role": role})
    return membership


def build_people_and_schools(*, scale: str) -> DemoContext:
    password = make_password(DEMO_PASSWORD)
    district, _ = District.objects.get_or_create(
        slug="maple-valley", defaults={"name": "Maple Valley Public Schools", "time_zone": "America/Detroit"}
    )
    other, _ = District.objects.get_or_create(
        slug="cedar-ridge", defaults={"name": "Cedar Ridge Community Schools", "time_zone": "America/Chicago"}
    )
    schools = []
    for code, name, level, grades in SCHOOLS:
        school, _ = School.objects.get_or_create(
            district=district, code=code, defaults={"name": name, "level": level, "grades_served": grades}
        )
        schools.append(school)
    for code, name, level, grades in [
        ("9001", "Cedar Ridge Elementary", School.Level.ELEMENTARY, "K-5"),
        ("9002", "Cedar Ridge Junior/Senior High", School.Level.HIGH, "6-12"),
    ]:
        School.objects.get_or_create(
            district=other, code=code, defaults={"name": name, "level": level, "grades_served": grades}
        )

    coordinator = _person(
        "coordinator@demo.mtss", "Dana Whitfield", "District MTSS Coordinator", password=password
    )
    leader = _person(
        "leader@demo.mtss",
        "Dr. Marcus Reyes",
        "Assistant Superintendent, Educational Services",
        password=password,
    )
    superintendent = _person(
        "superintendent@demo.mtss", "Dr. Elaine Foster", "Superintendent", password=password
    )
    member = _person(
        "member@demo.mtss", "Priya Natarajan", "School Psychologist, DIT Member", password=password
    )
    _person(
        "admin@demo.mtss",
        "Demo Administrator",
        "District systems administrator",
        is_staff=True,
        is_superuser=True,
        password=password,
    )
    other_coordinator = _person(
        "coordinator@other.mtss", "Jordan Ellis", "MTSS Coordinator", password=password
    )

    _role(coordinator, district, Role.COORDINATOR)
    _role(leader, district, Role.LEADER)
    _role(superintendent, district, Role.LEADER)
    _role(member, district, Role.MEMBER)
    _role(other_coordinator, other, Role.COORDINATOR)
    dit_members = []
    for email, name, title in DIT_MEMBERS:
        person = _person(email, name, title, password=password)
        _role(person, district, Role.MEMBER)
        dit_members.append(person)

    principals: dict[str, User] = {}
    for (code, *_rest), name, school in zip(SCHOOLS, PRINCIPAL_NAMES, schools, strict=True):
        email = "principal@demo.mtss" if code == "1101" else f"principal.{code}@demo.mtss"
        person = _person(email, name, f"Principal, {school.name}", password=password)
        membership = _role(person, district, Role.SITE_ADMIN)
        membership.schools.add(school)
        principals[code] = person

    teacher = _person(
        "teacher@demo.mtss", "Jessica Moreno", "Grade 2 Teacher, Three Sisters Elementary", password=password
    )
    _role(teacher, district, Role.SCHOOL_STAFF).schools.add(schools[0])

    return DemoContext(
        district=district,
        other_district=other,
        today=timezone.localdate(timezone=district.tz),
        coordinator=coordinator,
        leader=leader,
        superintendent=superintendent,
        member=member,
        principal=principals["1101"],
        other_coordinator=other_coordinator,
        teacher=teacher,
        dit_members=dit_members,
        principals=principals,
        schools=schools,
        principal_school=schools[0],
        scale=scale,
    )
