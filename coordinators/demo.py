"""The second demo district is new: its coordinator has done the first half of the onboarding checklist.

Cedar Ridge has its schools; its coordinator has set the screening windows in the district settings
and invited a principal and an interventionist (through the same services the pages use). It has no
screener import, no DIT meeting series and no process started yet, so its home shows three steps of
six done. Its data also shows that one district never sees another's.
"""

from __future__ import annotations

from coordinators.district_settings import WindowDates, district_settings_for, district_settings_update
from coordinators.models import Invitation, Membership, Role, School
from coordinators.services import district_invite
from mtss.demo import DemoContext

# Opens and closes (month, day, month, day) of each screening window, by the district's calendar.
WINDOWS: dict[str, WindowDates] = {
    "fall": (9, 2, 9, 30),
    "winter": (1, 6, 1, 31),
    "spring": (4, 14, 5, 9),
}
INVITED = [
    # email, name, title, role, school code
    ("principal@other.mtss", "Renee Walsh", "Principal, Cedar Ridge Elementary", Role.SITE_ADMIN, "9001"),
    ("interventionist@other.mtss", "Victor Chen", "Reading Interventionist", Role.SCHOOL_STAFF, "9001"),
]


def seed_demo(ctx: DemoContext) -> None:
    coordinator = Membership.objects.select_related("district", "user").get(
        user=ctx.other_coordinator, district=ctx.other_district
    )
    current = district_settings_for(coordinator)
    if not current.windows:
        district_settings_update(
            member=coordinator, data={}, windows=WINDOWS, time_targets=current.time_targets
        )
    if Invitation.objects.filter(district=coordinator.district).exists():
        return
    schools = {school.code: school for school in School.objects.filter(district=coordinator.district)}
    for email, name, title, role, code in INVITED:
        district_invite(
            district=coordinator.district,
            invited_by=coordinator.user,
            email=email,
            full_name=name,
            title=title,
            role=role,
            schools=[schools[code]],
        )
