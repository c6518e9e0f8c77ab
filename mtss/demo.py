"""What `seed_demo` hands to each app's `demo.seed_demo(ctx)`.

Each app with a `demo.py` adds its own believable content for the demo district. Seeders
must be idempotent: run twice, the second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, Q

from coordinators.models import District, Membership, School, User

DEMO_PASSWORD = "mtss-demo-2026"  # noqa: S105 - published in the README for local demos only


@dataclass
class DemoContext:
    district: District
    other_district: District
    today: date
    coordinator: User
    leader: User
    superintendent: User
    member: User
    principal: User
    other_coordinator: User
    teacher: User  # School staff at the first school, rostered with their classes
    dit_members: list[User] = field(default_factory=list)
    principals: dict[str, User] = field(default_factory=dict)  # by school code
    schools: list[School] = field(default_factory=list)
    principal_school: School | None = None
    scale: str = "demo"
    _memberships: dict[int, Membership] = field(default_factory=dict, repr=False)

    @property
    def dit(self) -> list[User]:
        """Everyone on the District Implementation Team, coordinator first."""
        return [self.coordinator, self.leader, self.member, *self.dit_members]

    def membership(self, person: User) -> Membership:
        """The person's membership in the demo district: the acting member the services take."""
        if person.pk not in self._memberships:
            self._memberships[person.pk] = Membership.objects.select_related("district", "user").get(
                user=person, district=self.district
            )
        return self._memberships[person.pk]


def get_or_create_all[M: Model](model: type[M], rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[M]:
    """`get_or_create` for many rows of one model, each given as (natural key, defaults): one query
    finds the rows already stored, one statement adds the missing ones. Returned in the order given.

    For the demo's own tables, whose rows have no side effects to run (no audit, no notification)."""
    if not rows:
        return []

    def key(values: dict[str, Any]) -> tuple:
        return tuple(value.pk if isinstance(value, Model) else value for value in values.values())

    names = list(rows[0][0])
    attnames = [model._meta.get_field(name).attname for name in names]  # type: ignore[union-attr]
    wanted = Q()
    for lookup, _defaults in rows:
        wanted |= Q(**lookup)
    stored = {tuple(getattr(obj, a) for a in attnames): obj for obj in model._default_manager.filter(wanted)}
    missing = [model(**lookup, **defaults) for lookup, defaults in rows if key(lookup) not in stored]
    for obj in model._default_manager.bulk_create(missing):
        stored[tuple(getattr(obj, a) for a in attnames)] = obj
    return [stored[key(lookup)] for lookup, _defaults in rows]
