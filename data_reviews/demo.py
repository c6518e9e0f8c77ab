from data_reviews.reviews.demo import seed_demo as seed_reviews
from data_reviews.scores.demo import seed_demo as seed_scores
from mtss.demo import DemoContext


def seed_demo(ctx: DemoContext) -> None:
    seed_scores(ctx)
    seed_reviews(ctx)
