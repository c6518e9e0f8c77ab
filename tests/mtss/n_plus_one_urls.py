"""Two throw-away views for the N+1 detector's own test: one loads people one by one, one does not."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from coordinators.models import Membership
from mtss.urls import urlpatterns as app_urlpatterns


def one_by_one(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(m.user.full_name for m in Membership.objects.all()))


def all_at_once(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(m.user.full_name for m in Membership.objects.select_related("user")))


urlpatterns = [path("one-by-one/", one_by_one), path("all-at-once/", all_at_once), *app_urlpatterns]
