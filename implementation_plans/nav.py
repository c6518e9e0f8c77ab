from implementation_plans.plan.nav import NAV_ITEMS as PLAN_NAV
from implementation_plans.processes.nav import NAV_ITEMS as PROCESS_NAV

NAV_ITEMS = [*PROCESS_NAV, *PLAN_NAV]
