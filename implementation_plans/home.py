from implementation_plans.plan import home as plan_home
from implementation_plans.processes import home as process_home
from mtss.access import MemberRequest
from mtss.navigation import HomePanel


def home_panels(request: MemberRequest) -> list[HomePanel]:
    return [*process_home.home_panels(request), *plan_home.home_panels(request)]
