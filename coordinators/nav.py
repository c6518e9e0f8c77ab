from coordinators.models import Role
from mtss.navigation import NavItem

# School staff are offered only the pages they may open (mtss/access.py): home and the updates.
EVERYONE = frozenset(Role.values)
COORDINATION = frozenset(Role.coordination_roles())
DISTRICT_STAFF = frozenset(Role.district_staff())

NAV_ITEMS = [
    NavItem("Home", "home", EVERYONE, order=0),
    NavItem("Schools", "school_list", COORDINATION, order=80, group="District"),
    NavItem("People", "person_list", DISTRICT_STAFF, order=90, group="District"),
    NavItem(
        "District settings",
        "district_settings",
        frozenset({Role.COORDINATOR, Role.LEADER}),
        order=93,
        group="District",
    ),
    NavItem(
        "Export the district's data",
        "district_exports",
        frozenset({Role.COORDINATOR}),
        order=95,
        group="District",
    ),
]

# Coordinator time
NAV_ITEMS += [
    NavItem("My time", "time_entries", frozenset({Role.COORDINATOR}), order=36, group="Meetings"),
    NavItem("Coordinator time", "time_summary", frozenset({Role.LEADER}), order=36, group="Meetings"),
]

# Monthly MTSS updates: the archive is for everyone in the district (school staff: those sent to them)
NAV_ITEMS += [NavItem("Updates", "update_list", EVERYONE, order=45)]

# Students: the district team without DIT members, site admins, and school staff (their own)
NAV_ITEMS += [
    NavItem(
        "Students",
        "student_list",
        frozenset({Role.COORDINATOR, Role.LEADER, Role.SITE_ADMIN}),
        order=20,
    ),
    NavItem("My students", "student_list", frozenset({Role.SCHOOL_STAFF}), order=20),
]
