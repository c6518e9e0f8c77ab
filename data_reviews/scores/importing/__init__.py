from data_reviews.scores.importing.pipeline import *  # noqa: F403
from data_reviews.scores.importing.progress import with_live_stage  # noqa: F401
