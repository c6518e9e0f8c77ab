from data_reviews.reviews.nav import NAV_ITEMS as REVIEW_NAV
from data_reviews.scores.nav import NAV_ITEMS as SCORE_NAV

NAV_ITEMS = [*SCORE_NAV, *REVIEW_NAV]
