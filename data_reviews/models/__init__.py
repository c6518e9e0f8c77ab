"""Models of the data_reviews app, one module per area."""

from data_reviews.models.reviews import *  # noqa: F403
from data_reviews.models.scores import *  # noqa: F403
from data_reviews.models.slides import *  # noqa: F403
