"""Single sign-on against a real OpenID Connect provider on loopback (tests/oidc.py).

The browser side of the exchange is played with `requests` against the provider's own pages and the
Django test client for the app; the app's side (discovery, token request, userinfo, JWKS) is the
library's own HTTP, unchanged.
"""

from __future__ import annotations

import base64
import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount, SocialLogin
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Invitation, Role, User
from coordinators.services import person_invite
from coordinators.single_sign_on import provider_verified_email, sign_in_policy_for, single_sign_on_decide
from coordinators.single_sign_on_urls import SignatureCheckingOpenIDConnectAdapter
from mtss.audit.models import AuditEvent
from tests import oidc
from tests.factories import PASSWORD, DistrictFactory, MembershipFactory, UserFactory
from tests.test_every_page_headers import EVENT_HANDLER, INLINE_SCRIPT, _directives

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SSO_LOGIN = f"/accounts/oidc/{oidc.PROVIDER_ID}/login/"


@pytest.fixture(scope="module")
def provider() -> Iterator[oidc.LoopbackProvider]:
    yield from oidc.running_provider([oidc.TEST_SERVER_CALLBACK])


@pytest.fixture
def configured(provider: oidc.LoopbackProvider, settings: Any) -> oidc.LoopbackProvider:
    settings.SOCIALACCOUNT_PROVIDERS = provider.app_settings()
    return provider


@pytest.fixture
def teacher(side_a: Any) -> User:
    """A person with an accepted membership in district A."""
    person = UserFactory(email=oidc.TEACHER, full_name="Terry Lee")
    MembershipFactory(user=person, district=side_a.district, role=Role.MEMBER)
    return person


def sign_in_with_provider(client: Client, provider: oidc.LoopbackProvider, email: str, next_url: str = ""):
    """Press "Sign in with ..." on the sign-in page, sign in at the provider, come back."""
    start = client.post(SSO_LOGIN, {"next": next_url} if next_url else {})
    assert start.status_code == 302, start
    assert start["Location"].startswith(provider.issuer)
    back = urlsplit(provider.sign_in_at_provider(start["Location"], email))
    assert f"{back.scheme}://{back.netloc}{back.path}" == oidc.TEST_SERVER_CALLBACK
    return client.get(f"{back.path}?{back.query}", REMOTE_ADDR="10.0.0.9")


def last_login_event() -> AuditEvent:
    return AuditEvent.objects.filter(action="login").latest("id")


# Signing in -------------------------------------------------------------------------------------


def test_sign_in_page_shows_a_button_per_configured_provider(client, configured):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert f"Sign in with {oidc.PROVIDER_NAME}" in response.text
    assert f'action="{SSO_LOGIN}"' in response.text
    assert 'name="password"' in response.text


def test_without_a_configured_provider_the_sign_in_page_has_only_the_password_form(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Sign in with" not in response.text
    assert 'name="password"' in response.text
    assert client.post(SSO_LOGIN).status_code == 404
    assert client.get(reverse("google_login")).status_code == 404


def test_a_verified_known_email_signs_in_lands_on_home_and_is_audited(client, configured, teacher):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    response = sign_in_with_provider(client, configured, oidc.TEACHER)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session.session_key != before
    assert int(client.session["_auth_user_id"]) == teacher.pk
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Terry" in home.text
    event = last_login_event()
    assert (event.actor, event.outcome, event.detail) == (teacher, "success", {"method": oidc.PROVIDER_NAME})
    assert event.district_id == teacher.memberships.get().district_id


def test_a_provider_session_ends_after_the_idle_timeout_like_any_other(client, configured, teacher, settings):
    sign_in_with_provider(client, configured, oidc.TEACHER)
    assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + settings.SESSION_IDLE_TIMEOUT + timedelta(minutes=1)):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_the_address_matches_whatever_its_case(client, configured, side_a):
    person = UserFactory(email=oidc.MIXED_CASE.lower())
    MembershipFactory(user=person, district=side_a.district)
    response = sign_in_with_provider(client, configured, oidc.MIXED_CASE)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == person.pk


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client, configured, teacher):
    response = sign_in_with_provider(client, configured, oidc.TEACHER, next_url="/invitations/")
    assert response["Location"] == "/invitations/"
    client.post(reverse("logout"))
    response = sign_in_with_provider(client, configured, oidc.TEACHER, next_url="https://evil.example.com/")
    assert response["Location"] == reverse("home")


def test_an_invited_person_signs_in_and_still_has_to_accept(client, configured, side_a):
    invitation = person_invite(
        member=side_a.membership(side_a.coordinator),
        email=oidc.INVITEE,
        full_name="Ivy Invitee",
        role=Role.MEMBER,
    )
    response = sign_in_with_provider(client, configured, oidc.INVITEE)
    assert response.status_code == 302
    person = User.objects.get(email=oidc.INVITEE)
    assert int(client.session["_auth_user_id"]) == person.pk
    assert not person.memberships.exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    invitations = client.get(reverse("invitation_list"))
    assert invitations.status_code == 200
    assert side_a.district.name in invitations.text


# Refusals ---------------------------------------------------------------------------------------


def test_an_unverified_email_is_never_trusted(client, configured, side_a):
    person = UserFactory(email=oidc.UNVERIFIED)
    MembershipFactory(user=person, district=side_a.district)
    response = sign_in_with_provider(client, configured, oidc.UNVERIFIED)
    assert response.status_code == 403
    assert "has not confirmed the email address" in response.text
    assert "_auth_user_id" not in client.session
    event = last_login_event()
    assert (event.actor_id, event.actor_label, event.outcome) == (None, oidc.UNVERIFIED, "failure")
    assert event.detail == {"method": oidc.PROVIDER_NAME, "reason": "email not verified by the provider"}


def test_an_unknown_email_is_told_to_ask_the_coordinator_and_no_account_is_made(client, configured, side_a):
    people_before = User.objects.count()
    response = sign_in_with_provider(client, configured, oidc.STRANGER)
    assert response.status_code == 403
    assert "Ask your district coordinator" in response.text
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == people_before
    event = last_login_event()
    assert (event.actor_label, event.outcome) == (oidc.STRANGER, "failure")
    assert event.detail["reason"] == "no account with a place in a district"


def test_an_account_without_a_place_in_any_district_is_refused(client, configured, side_a):
    UserFactory(email=oidc.STRANGER)
    response = sign_in_with_provider(client, configured, oidc.STRANGER)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_an_address_outside_the_districts_domains_is_refused_and_audited(client, configured, side_a):
    side_a.district.sign_in_domains = ["district-a.example.org"]
    side_a.district.save(update_fields=["sign_in_domains"])
    person = UserFactory(email=oidc.OUTSIDE_DOMAIN)
    MembershipFactory(user=person, district=side_a.district)
    response = sign_in_with_provider(client, configured, oidc.OUTSIDE_DOMAIN)
    assert response.status_code == 403
    assert "an address ending in @district-a.example.org" in response.text
    assert "_auth_user_id" not in client.session
    event = last_login_event()
    assert (event.actor_label, event.outcome) == (oidc.OUTSIDE_DOMAIN, "failure")
    assert event.detail["reason"] == "address outside the district's sign-in domains"


def test_an_address_inside_the_districts_domains_signs_in(client, configured, side_a, teacher):
    side_a.district.sign_in_domains = ["district-a.example.org"]
    side_a.district.save(update_fields=["sign_in_domains"])
    assert sign_in_with_provider(client, configured, oidc.TEACHER).status_code == 302
    assert int(client.session["_auth_user_id"]) == teacher.pk


def test_a_locked_out_person_cannot_get_in_through_the_provider(client, configured, teacher, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": oidc.TEACHER, "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = sign_in_with_provider(client, configured, oidc.TEACHER)
    assert response.status_code == 429
    assert "Sign-in is paused for a while" in response.text
    assert "_auth_user_id" not in client.session
    assert last_login_event().detail.get("reason") == "locked out after repeated failures"


# District policy on passwords -------------------------------------------------------------------


def test_a_single_sign_on_only_district_refuses_its_peoples_passwords(client, configured, side_a):
    side_a.district.single_sign_on_only = True
    side_a.district.save(update_fields=["single_sign_on_only"])
    response = client.post(LOGIN, {"username": side_a.member.email, "password": PASSWORD})
    assert response.status_code == 200
    assert f"Your district signs in with {oidc.PROVIDER_NAME}" in response.text
    assert "_auth_user_id" not in client.session
    event = last_login_event()
    assert (event.actor_label, event.outcome) == (side_a.member.email, "failure")
    assert event.detail == {"method": "password", "reason": "district signs in with single sign-on only"}


def test_a_single_sign_on_only_district_without_a_provider_says_to_ask_the_coordinator(
    client, side_a, settings
):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    side_a.district.single_sign_on_only = True
    side_a.district.save(update_fields=["single_sign_on_only"])
    response = client.post(LOGIN, {"username": side_a.member.email, "password": PASSWORD})
    assert "single sign-on, which is not set up here yet" in response.text
    assert "_auth_user_id" not in client.session


def test_the_operator_keeps_their_password_in_a_single_sign_on_only_district(client, side_a):
    side_a.district.single_sign_on_only = True
    side_a.district.save(update_fields=["single_sign_on_only"])
    User.objects.filter(pk=side_a.coordinator.pk).update(is_superuser=True, is_staff=True)
    response = client.post(LOGIN, {"username": side_a.coordinator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_wrong_password_in_a_single_sign_on_only_district_gives_the_usual_message(client, side_a):
    side_a.district.single_sign_on_only = True
    side_a.district.save(update_fields=["single_sign_on_only"])
    response = client.post(LOGIN, {"username": side_a.member.email, "password": "wrong"})
    assert "That email address and password do not match" in response.text
    assert "Your district signs in with" not in response.text


def test_a_password_outside_the_districts_domains_is_refused(client, side_a):
    side_a.district.sign_in_domains = ["district-a.example.org"]
    side_a.district.save(update_fields=["sign_in_domains"])
    response = client.post(LOGIN, {"username": side_a.member.email, "password": PASSWORD})
    assert "an address ending in @district-a.example.org" in response.text
    assert "_auth_user_id" not in client.session


def test_the_strictest_policy_of_all_a_persons_districts_applies(side_a, side_b):
    person = UserFactory(email="both@district-a.example.org")
    MembershipFactory(user=person, district=side_a.district)
    MembershipFactory(user=person, district=side_b.district)
    side_a.district.sign_in_domains = ["district-a.example.org", "shared.example.org"]
    side_a.district.save(update_fields=["sign_in_domains"])
    side_b.district.sign_in_domains = ["district-b.example.org", "shared.example.org"]
    side_b.district.single_sign_on_only = True
    side_b.district.save(update_fields=["sign_in_domains", "single_sign_on_only"])
    DistrictFactory(name="District C", slug="district-c", single_sign_on_only=True)
    policy = sign_in_policy_for(person)
    assert policy.single_sign_on_only
    assert policy.allowed_domains == frozenset({"shared.example.org"})
    assert not policy.allows_address(person.email)
    assert policy.allows_address("both@Shared.example.org")
    assert policy.districts == (side_a.district.name, side_b.district.name)


# Token validation -------------------------------------------------------------------------------
# Each case hands a token the provider really issued (then tampered with, or issued to another
# client, or expired) to the two ID-token checks the app runs: the one at the sign-in callback
# (SignatureCheckingOpenIDConnectAdapter) and allauth's check of a token handed over directly. Both
# fetch the provider's discovery document and JWKS over HTTP. The first test shows both accepting
# the untampered token, so each refusal is for the reason its test names.


def _check_at_callback(id_token: str) -> dict[str, Any]:
    request = RequestFactory().get("/")
    adapter = SignatureCheckingOpenIDConnectAdapter(request, oidc.PROVIDER_ID)
    return adapter._decode_id_token(adapter.get_provider().app, id_token)


def _check_handed_over(id_token: str) -> Any:
    request = RequestFactory().get("/")
    app_provider = get_adapter().get_provider(request, oidc.PROVIDER_ID)
    return app_provider.verify_token(request, {"id_token": id_token})


def _refusal_causes(id_token: str) -> list[BaseException | None]:
    """What each check refused the token for (the JWT library's error under allauth's)."""
    causes = []
    with pytest.raises(OAuth2Error) as refused:
        _check_at_callback(id_token)
    causes.append(refused.value.__cause__)
    with pytest.raises(ValidationError) as refused_handed_over:
        _check_handed_over(id_token)
    assert isinstance(refused_handed_over.value.__cause__, OAuth2Error)
    causes.append(refused_handed_over.value.__cause__.__cause__)
    return causes


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_the_providers_own_token_passes_both_checks(configured):
    token = configured.issue_id_token(oidc.TEACHER)
    assert _check_at_callback(token)["sub"] == oidc.TEACHER
    assert _check_handed_over(token).account.uid == oidc.TEACHER


def test_a_token_for_another_app_is_refused_for_its_audience(configured):
    token = configured.issue_id_token(oidc.TEACHER, client_id=oidc.OTHER_CLIENT)
    assert jwt.decode(token, options={"verify_signature": False})["aud"] == oidc.OTHER_CLIENT
    assert [type(cause) for cause in _refusal_causes(token)] == [jwt.InvalidAudienceError] * 2


def test_a_token_whose_claims_were_changed_is_refused_for_its_signature(configured):
    token = configured.issue_id_token(oidc.STRANGER)
    header, _claims, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = f"{header}.{_b64({**claims, 'sub': oidc.TEACHER})}.{signature}"
    assert [type(cause) for cause in _refusal_causes(forged)] == [jwt.InvalidSignatureError] * 2


def test_a_token_signed_by_a_key_not_in_the_providers_jwks_is_refused(configured):
    token = configured.issue_id_token(oidc.TEACHER)
    claims = jwt.decode(token, options={"verify_signature": False})
    kid = jwt.get_unverified_header(token)["kid"]
    own_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, own_key, algorithm="RS256", headers={"kid": kid})
    assert [type(cause) for cause in _refusal_causes(forged)] == [jwt.InvalidSignatureError] * 2


def test_an_expired_token_is_refused(provider, settings):
    settings.SOCIALACCOUNT_PROVIDERS = provider.app_settings(client_id=oidc.SHORT_LIVED_CLIENT)
    token = provider.issue_id_token(oidc.TEACHER, client_id=oidc.SHORT_LIVED_CLIENT)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 1
    time.sleep(max(0.0, claims["exp"] - time.time()) + 1.1)
    assert [type(cause) for cause in _refusal_causes(token)] == [jwt.ExpiredSignatureError] * 2


def test_a_failed_exchange_shows_a_plain_page_and_is_audited(client, configured):
    response = client.get(f"/accounts/oidc/{oidc.PROVIDER_ID}/login/callback/?code=made-up&state=made-up")
    assert response.status_code == 401
    assert f"Signing in with {oidc.PROVIDER_NAME} did not finish" in response.text
    event = last_login_event()
    assert (event.outcome, event.actor_label) == ("failure", f"{oidc.PROVIDER_NAME} sign-in")


def _strict_header_problems(response: Any) -> list[str]:
    csp = _directives(response["Content-Security-Policy"])
    problems = []
    if csp.get("script-src") != ["'self'"]:
        problems.append(f"script-src {csp.get('script-src')}")
    if response.get("X-Frame-Options") != "DENY" or response.get("X-Content-Type-Options") != "nosniff":
        problems.append("frame or sniff headers")
    html = response.content.decode()
    if INLINE_SCRIPT.search(html) or EVENT_HANDLER.search(html):
        problems.append("inline code")
    return problems


def test_single_sign_on_pages_send_strict_headers(client, configured, settings):
    sign_in_page = client.get(LOGIN)
    continue_page = client.get(SSO_LOGIN)
    refused_page = sign_in_with_provider(client, configured, oidc.STRANGER)
    assert (sign_in_page.status_code, continue_page.status_code, refused_page.status_code) == (200, 200, 403)
    assert f"Continue to {oidc.PROVIDER_NAME}" in continue_page.text
    for response in (sign_in_page, continue_page, refused_page):
        assert _strict_header_problems(response) == []


def test_the_policy_lets_the_sign_in_form_reach_the_configured_providers(monkeypatch):
    """Browsers hold the redirect after "Sign in with ..." to form-action: each provider is listed."""
    import importlib

    import mtss.settings

    monkeypatch.setenv("GOOGLE_CLIENT_ID", "google-id")
    monkeypatch.setenv("GOOGLE_CLIENT_SECRET", "google-secret")
    monkeypatch.setenv("MICROSOFT_CLIENT_ID", "microsoft-id")
    monkeypatch.setenv("MICROSOFT_CLIENT_SECRET", "microsoft-secret")
    monkeypatch.setenv("MICROSOFT_TENANT", "district-a.example.org")
    monkeypatch.setenv("OIDC_PROVIDER_NAME", "Clever")
    monkeypatch.setenv("OIDC_ISSUER_URL", "https://sso.district-a.example.org/realms/staff")
    monkeypatch.setenv("OIDC_CLIENT_ID", "mtss")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "oidc-secret")
    try:
        configured = importlib.reload(mtss.settings)
        assert configured.SECURE_CSP["form-action"] == [
            "'self'",
            "https://accounts.google.com",
            "https://login.microsoftonline.com",
            "https://sso.district-a.example.org",
        ]
        assert sorted(configured.SOCIALACCOUNT_PROVIDERS) == ["google", "microsoft", "openid_connect"]
        assert configured.SOCIALACCOUNT_PROVIDERS["microsoft"]["APPS"][0]["settings"] == {
            "tenant": "district-a.example.org"
        }
    finally:
        monkeypatch.undo()
        importlib.reload(mtss.settings)


@pytest.mark.parametrize(
    ("variables", "complaint"),
    [
        ({"GOOGLE_CLIENT_ID": "only-the-id"}, "GOOGLE_CLIENT_ID set without GOOGLE_CLIENT_SECRET"),
        (
            {"MICROSOFT_CLIENT_ID": "id", "MICROSOFT_CLIENT_SECRET": "secret", "MICROSOFT_TENANT": "common"},
            "lets any Microsoft directory sign in",
        ),
        (
            {
                "OIDC_PROVIDER_NAME": "Clever",
                "OIDC_ISSUER_URL": "clever.example.com",
                "OIDC_CLIENT_ID": "id",
                "OIDC_CLIENT_SECRET": "secret",
            },
            "is not an http(s) URL",
        ),
    ],
)
def test_a_half_configured_or_unsafe_provider_stops_start_up(monkeypatch, variables, complaint):
    import importlib

    import mtss.settings

    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    try:
        with pytest.raises(ImproperlyConfigured, match=re.escape(complaint)):
            importlib.reload(mtss.settings)
    finally:
        monkeypatch.undo()
        importlib.reload(mtss.settings)


@pytest.fixture
def foreign_jwks(configured: oidc.LoopbackProvider) -> Iterator[str]:
    """A JWKS on loopback with the provider's key id but another key: what a forger would publish."""
    kid = jwt.get_unverified_header(configured.issue_id_token(oidc.TEACHER))["kid"]
    foreign = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    jwk = {
        **json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(foreign)),
        "kid": kid,
        "alg": "RS256",
        "use": "sig",
    }
    body = json.dumps({"keys": [jwk]}).encode()

    class Keys(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks"
    server.shutdown()
    thread.join(timeout=5)


def test_the_sign_in_callback_refuses_an_id_token_its_keys_do_not_sign(
    client, configured, teacher, settings, foreign_jwks
):
    """End to end: the provider's genuine token, checked against keys it was not signed with, is refused.

    This shows the callback checks the signature (allauth alone skips it for a token from the token
    endpoint); the same flow with the provider's own keys signs in (the tests above).
    """
    app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
    app["settings"]["openid_configuration_overrides"] = {"jwks_uri": foreign_jwks}
    response = sign_in_with_provider(client, configured, oidc.TEACHER)
    assert response.status_code == 401
    assert f"Signing in with {oidc.PROVIDER_NAME} did not finish" in response.text
    assert "_auth_user_id" not in client.session
    event = last_login_event()
    assert (event.outcome, event.detail["problem"]) == ("failure", "OAuth2Error")


# What each provider vouches for ----------------------------------------------------------------


def _social_login(provider: str, extra_data: dict[str, Any], emails: list[tuple[str, bool]]) -> SocialLogin:
    return SocialLogin(
        account=SocialAccount(provider=provider, uid="someone", extra_data=extra_data),
        email_addresses=[
            EmailAddress(email=email, verified=verified, primary=True) for email, verified in emails
        ],
    )


def test_microsofts_directory_address_is_the_one_vouched_for_never_the_sign_in_name():
    with_mail = _social_login(
        "microsoft", {"mail": "Pat@District-A.example.org", "userPrincipalName": "x@y"}, []
    )
    assert provider_verified_email(with_mail) == ("Pat@District-A.example.org", True)
    without_mail = _social_login("microsoft", {"userPrincipalName": "pat@district-a.example.org"}, [])
    assert provider_verified_email(without_mail) == (None, False)


def test_an_address_google_or_a_provider_did_not_verify_is_reported_unverified():
    assert provider_verified_email(_social_login("google", {}, [("pat@gmail.com", False)])) == (
        "pat@gmail.com",
        False,
    )
    assert provider_verified_email(_social_login("sso", {}, [("pat@x.org", True)])) == ("pat@x.org", True)
    assert provider_verified_email(_social_login("sso", {}, [])) == (None, False)


def test_a_switched_off_account_cannot_sign_in_with_a_provider(side_a):
    User.objects.filter(pk=side_a.member.pk).update(is_active=False)
    decision = single_sign_on_decide(email=side_a.member.email, email_verified=True, provider_name="Google")
    assert (decision.person, decision.refusal) == (None, "account switched off")
    assert "Ask your district coordinator to restore it" in decision.message


def test_refused_provider_sign_ins_count_toward_the_lockout(client, configured, side_a, settings):
    side_a.district.sign_in_domains = ["district-a.example.org"]
    side_a.district.save(update_fields=["sign_in_domains"])
    person = UserFactory(email=oidc.OUTSIDE_DOMAIN)
    MembershipFactory(user=person, district=side_a.district)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_provider(client, configured, oidc.OUTSIDE_DOMAIN)
    side_a.district.sign_in_domains = []
    side_a.district.save(update_fields=["sign_in_domains"])
    response = client.post(
        LOGIN, {"username": oidc.OUTSIDE_DOMAIN, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429
    assert "Sign-in is paused for a while" in response.text


def test_each_configured_provider_has_its_button_in_order(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {"APPS": [{"client_id": "g", "secret": "s"}]},
        "microsoft": {"APPS": [{"client_id": "m", "secret": "s", "settings": {"tenant": "district.org"}}]},
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "ClassLink",
                    "client_id": "c",
                    "secret": "s",
                    "settings": {"server_url": "https://sso.example.org"},
                }
            ]
        },
    }
    html = client.get(LOGIN).text
    buttons = [html.index(f"Sign in with {name}") for name in ("Google", "Microsoft", "ClassLink")]
    assert buttons == sorted(buttons)
    for url in ("/accounts/google/login/", "/accounts/microsoft/login/", SSO_LOGIN):
        assert f'action="{url}"' in html
    assert "Continue to Google" in client.get("/accounts/google/login/").text
