"""The app's URLs plus `/bench/trivial`, the baseline for requests per second (P2)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial", trivial, name="bench_trivial"),
    path("", include("mtss.urls")),
]

handler500 = "mtss.errors.server_error"
