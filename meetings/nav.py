from coordinators.models import Role
from mtss.navigation import NavItem

EVERYONE = frozenset(Role.values)

NAV_ITEMS = [
    NavItem("Meetings", "meeting_list", EVERYONE, order=30, group="Meetings"),
    NavItem("My action items", "action_item_list", EVERYONE, order=35, group="Meetings"),
]
