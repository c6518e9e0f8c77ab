"""The providers' sign-in and return addresses, under /accounts/ beside the password pages.

Each provider's pair of URLs always exists (the authorization matrix lists them); a provider the
installation did not configure answers 404 there. allauth's account and connection pages are not
mounted: people and their sign-in methods are managed by this app, not by allauth.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.google import views as google
from allauth.socialaccount.providers.microsoft import views as microsoft
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect import views as openid_connect
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path


class SignatureCheckingOpenIDConnectAdapter(openid_connect.OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, checking the ID token's signature against the provider's JWKS
    even when the token came straight from the token endpoint.

    OpenID Connect Core (3.1.3.7) lets a client skip that check when it received the token over TLS
    from the provider itself, and allauth does. A district's own provider may sit behind proxies the
    district does not fully control, and the check costs one request for the JWKS, so it is always
    made: issuer, audience, expiry and signature, as for a token handed over by a browser.
    """

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict[str, Any]:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


@login_not_required
def openid_connect_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    adapter = SignatureCheckingOpenIDConnectAdapter(request, provider_id)
    return OAuth2CallbackView.adapter_view(adapter)(request)


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
        _configured_only(openid_connect_callback),
        name="openid_connect_callback",
    ),
]
