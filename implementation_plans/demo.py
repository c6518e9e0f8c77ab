from implementation_plans.plan.demo import seed_demo as seed_plan
from implementation_plans.processes.demo import seed_demo as seed_processes
from mtss.demo import DemoContext


def seed_demo(ctx: DemoContext) -> None:
    seed_processes(ctx)
    seed_plan(ctx)
