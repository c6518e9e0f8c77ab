from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "mtss.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from mtss.search import index

        index.connect_receivers()
