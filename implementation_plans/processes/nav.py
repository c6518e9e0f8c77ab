from coordinators.models import Role
from mtss.navigation import NavItem

NAV_ITEMS = [
    NavItem("Processes", "process_board", roles=frozenset(Role.district_staff()), order=20),
    NavItem("Approval queue", "approval_queue", roles=frozenset({Role.LEADER}), order=21),
]
