from django.apps import AppConfig


class DataReviewsConfig(AppConfig):
    name = "data_reviews"
    verbose_name = "Data reviews and dashboards"
