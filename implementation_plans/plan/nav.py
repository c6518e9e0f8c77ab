from coordinators.models import Role
from mtss.navigation import NavItem

COORDINATION = frozenset(Role.coordination_roles())
DISTRICT_STAFF = frozenset(Role.district_staff())

# Site admins see the practice library and their schools' Tiered Fidelity Inventories (under Capacity).
NAV_ITEMS = [
    NavItem("Plan", "plan_list", DISTRICT_STAFF, order=30, group="Plan"),
    NavItem("Capacity", "capacity_list", COORDINATION, order=32, group="Plan"),
    NavItem("Barriers", "barrier_list", DISTRICT_STAFF, order=34, group="Plan"),
    NavItem("Initiatives", "initiative_list", DISTRICT_STAFF, order=36, group="Plan"),
    NavItem("Practices", "practice_list", COORDINATION, order=38, group="Plan"),
]
