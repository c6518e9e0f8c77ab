"""The providers' sign-in and return addresses, under /accounts/ beside the password pages.

Each provider's pair of URLs always exists (the authorization matrix lists them); a provider the
installation did not configure answers 404 there. allauth's account and connection pages are not
mounted: people and their sign-in methods are managed by this app, not by allauth.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.google import views as google
from allauth.socialaccount.providers.microsoft import views as microsoft
from allauth.socialaccount.providers.openid_connect import views as openid_connect
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path


def _configured_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SocialApp.DoesNotExist:
            raise Http404("This sign-in provider is not set up here.") from None

    return wrapped


urlpatterns = [
    path("google/login/", _configured_only(google.oauth2_login), name="google_login"),
    path("google/login/callback/", _configured_only(google.oauth2_callback), name="google_callback"),
    path("microsoft/login/", _configured_only(microsoft.oauth2_login), name="microsoft_login"),
    path("microsoft/login/callback/", _configured_only(microsoft.oauth2_callback), name="microsoft_callback"),
    path(
        "oidc/<str:provider_id>/login/", _configured_only(openid_connect.login), name="openid_connect_login"
    ),
    path(
        "oidc/<str:provider_id>/login/callback/",
        _configured_only(openid_connect.callback),
        name="openid_connect_callback",
    ),
]
