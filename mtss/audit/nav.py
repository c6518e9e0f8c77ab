from coordinators.models import Role
from mtss.navigation import NavItem

NAV_ITEMS = [
    NavItem(
        "Audit trail", "audit_list", frozenset({Role.COORDINATOR, Role.LEADER}), order=95, group="District"
    )
]
