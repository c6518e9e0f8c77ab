from coordinators.models import Role
from mtss.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        "Dashboards",
        "score_district_dashboard",
        roles=frozenset(Role.district_staff()),
        order=40,
        group="Data",
    ),
    NavItem("Imports", "score_import_list", roles=frozenset({Role.COORDINATOR}), order=41, group="Data"),
    NavItem(
        "Delete a student's records",
        "student_records_delete",
        roles=frozenset({Role.COORDINATOR}),
        order=43,
        group="Data",
    ),
    NavItem("My school", "score_my_school", roles=frozenset({Role.SITE_ADMIN}), order=5),
]
