from mtss.demo import DemoContext


def seed_demo(ctx: DemoContext) -> None:
    return None
