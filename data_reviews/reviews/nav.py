from coordinators.models import Role
from mtss.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        "Data reviews",
        "review_list",
        frozenset({Role.COORDINATOR, Role.LEADER, Role.MEMBER, Role.SITE_ADMIN}),
        order=55,
        group="Data",
    ),
]
