"""What `seed_demo` hands to each app's `demo.seed_demo(ctx)`.

Each app with a `demo.py` adds its own believable content for the demo district. Seeders
must be idempotent: run twice, the second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from coordinators.models import District, School, User

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
    dit_members: list[User] = field(default_factory=list)
    principals: dict[str, User] = field(default_factory=dict)  # by school code
    schools: list[School] = field(default_factory=list)
    principal_school: School | None = None
    scale: str = "demo"

    @property
    def dit(self) -> list[User]:
        """Everyone on the District Implementation Team, coordinator first."""
        return [self.coordinator, self.leader, self.member, *self.dit_members]
