"""Factories for the objects most tests need."""

from __future__ import annotations

import factory

from coordinators.models import District, Membership, Role, School, User

PASSWORD = "correct-horse-battery-staple"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")
    time_zone = "America/Chicago"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n} Elementary")
    code = factory.Sequence(lambda n: f"{1000 + n}")
    level = School.Level.ELEMENTARY
    grades_served = "K-5"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    district = factory.SubFactory(DistrictFactory)
    role = Role.MEMBER

    @factory.post_generation
    def schools(self, create: bool, extracted: list[School] | None, **kwargs: object) -> None:
        if create and extracted:
            self.schools.set(extracted)
