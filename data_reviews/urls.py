from data_reviews.reviews.urls import urlpatterns as review_urlpatterns
from data_reviews.scores.urls import urlpatterns as score_urlpatterns

urlpatterns = [*score_urlpatterns, *review_urlpatterns]
