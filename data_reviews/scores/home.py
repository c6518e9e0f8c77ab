from django.http import HttpRequest

from mtss.navigation import HomePanel


def home_panels(request: HttpRequest) -> list[HomePanel]:
    return []
