from django.http import HttpRequest

from data_reviews.reviews import home as review_home
from data_reviews.scores import home as score_home
from mtss.navigation import HomePanel


def home_panels(request: HttpRequest) -> list[HomePanel]:
    return [*score_home.home_panels(request), *review_home.home_panels(request)]
