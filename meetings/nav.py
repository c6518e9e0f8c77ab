from coordinators.models import Role
from mtss.navigation import NavItem

COORDINATION = frozenset(Role.coordination_roles())

NAV_ITEMS = [
    NavItem("Meetings", "meeting_list", COORDINATION, order=30, group="Meetings"),
    NavItem("My action items", "action_item_list", COORDINATION, order=35, group="Meetings"),
]
