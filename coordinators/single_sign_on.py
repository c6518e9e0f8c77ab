"""Single sign-on: who may come in with an address a provider vouches for, and each district's policy.

django-allauth runs the OAuth 2.0 / OpenID Connect exchange with Google, Microsoft or the
installation's own OpenID Connect provider (discovery, state, PKCE, the token request, the ID
token's issuer, audience and expiry). It hands over what the provider said about the person; this
module decides, and signs the person in with Django's own `login`, so the session key, the idle and
absolute timeouts, axes' lockout and the "login" audit row work exactly as after a password.

Nobody gets into a district by signing in. The address must be one the provider verified, and it
must belong to an account that already has a place in some district: an active membership, or an
open invitation (which the person still accepts in the app, as after a password). No account,
membership or role is ever created here (`SingleSignOnAdapter.is_open_for_signup`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.signals import user_login_failed
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from coordinators.models import District, Invitation, User, normalize_email_address
from mtss.audit.models import AuditAction, AuditEvent
from mtss.audit.services import audit_record
from mtss.audit.signals import SIGN_IN_METHOD_ATTRIBUTE

# Why a sign-in was refused, as the audit trail's detail records it.
REFUSED_UNVERIFIED = "email not verified by the provider"
REFUSED_UNKNOWN = "no account with a place in a district"
REFUSED_SWITCHED_OFF = "account switched off"
REFUSED_DOMAIN = "address outside the district's sign-in domains"
REFUSED_SINGLE_SIGN_ON_ONLY = "district signs in with single sign-on only"
REFUSED_LOCKED_OUT = "locked out after repeated failures"


@dataclass(frozen=True)
class SignInProvider:
    name: str
    login_url: str


def sign_in_providers() -> list[SignInProvider]:
    """The providers this installation configured, in the order the sign-in page shows them."""
    configured = settings.SOCIALACCOUNT_PROVIDERS
    providers = []
    if "google" in configured:
        providers.append(SignInProvider("Google", reverse("google_login")))
    if "microsoft" in configured:
        providers.append(SignInProvider("Microsoft", reverse("microsoft_login")))
    for app in configured.get("openid_connect", {}).get("APPS", []):
        url = reverse("openid_connect_login", kwargs={"provider_id": app["provider_id"]})
        providers.append(SignInProvider(app["name"], url))
    return providers


def _provider_names() -> str:
    names = [provider.name for provider in sign_in_providers()]
    return " or ".join(names) if names else "single sign-on"


# District sign-in policy -------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInPolicy:
    """The sign-in rules a person lives under. `allowed_domains` None means any address will do."""

    allowed_domains: frozenset[str] | None
    single_sign_on_only: bool
    districts: tuple[str, ...]

    def allows_address(self, email: str) -> bool:
        if self.allowed_domains is None:
            return True
        return email.rpartition("@")[2].lower() in self.allowed_domains


def sign_in_policy_for(user: User) -> SignInPolicy:
    """The policy of every district the person belongs to or is invited into, strictest winning.

    A person can work in several districts, and each district's rules protect that district's data,
    so a sign-in must satisfy all of them at once: if any district signs in with single sign-on
    only, passwords stop working for the person; each district that lists sign-in domains demands
    an address in its list, so the allowed domains are the intersection of the lists (possibly
    empty: then no address satisfies every district, and the person must ask a coordinator). An
    open invitation counts, because accepting it puts the person under that district's rules.
    """
    districts = list(
        District.objects.filter(
            Q(memberships__user=user, memberships__active=True)
            | Q(invitations__person=user, invitations__status__in=Invitation.OPEN_STATUSES)
        )
        .distinct()
        .order_by("name")
        .only("name", "sign_in_domains", "single_sign_on_only")
    )
    allowed: frozenset[str] | None = None
    for district in districts:
        if district.sign_in_domains:
            listed = frozenset(domain.lower() for domain in district.sign_in_domains)
            allowed = listed if allowed is None else allowed & listed
    return SignInPolicy(
        allowed_domains=allowed,
        single_sign_on_only=any(district.single_sign_on_only for district in districts),
        districts=tuple(district.name for district in districts),
    )


def _domains_text(domains: frozenset[str] | None) -> str:
    return (
        " or ".join(f"@{domain}" for domain in sorted(domains or ())) or "an address every district accepts"
    )


def _passwords_off(user: User, policy: SignInPolicy) -> bool:
    return policy.single_sign_on_only and not user.is_superuser


def signs_in_with_single_sign_on_only(user: User) -> bool:
    """True when a password would not let the person in: one of their districts (an open
    invitation counts) signs in with single sign-on only. Never for the operator."""
    return _passwords_off(user, sign_in_policy_for(user))


def password_sign_in_refusal(user: User) -> tuple[str, str] | None:
    """(reason, message) when the person's districts do not let them sign in with a password.

    The operator (a superuser) always may: they must be able to reach the console whatever a
    district decides.
    """
    if user.is_superuser:
        return None
    policy = sign_in_policy_for(user)
    if _passwords_off(user, policy):
        message = (
            f"Your district signs in with {_provider_names()}: use the button below instead of a password."
            if sign_in_providers()
            else "Your district signs in with single sign-on, which is not set up here yet. "
            "Ask your district coordinator."
        )
        return REFUSED_SINGLE_SIGN_ON_ONLY, message
    if not policy.allows_address(user.email):
        return (
            REFUSED_DOMAIN,
            f"Your district signs in with an address ending in {_domains_text(policy.allowed_domains)}. "
            "Ask your district coordinator to change the address on your account.",
        )
    return None


# Deciding a single sign-on -----------------------------------------------------------------------


@dataclass(frozen=True)
class SingleSignOnDecision:
    """Who may come in (`person`), or why not (`refusal`, for the audit trail, and `message`)."""

    email: str
    person: User | None = None
    refusal: str = ""
    message: str = ""


def single_sign_on_decide(
    *, email: str | None, email_verified: bool, provider_name: str
) -> SingleSignOnDecision:
    """Match the address the provider verified to an account with a place in a district.

    Addresses match case-insensitively (stored in lower case). An address the provider did not
    verify is never looked up: anybody can type any address into an account at some providers.
    """
    address = normalize_email_address(email or "")
    if not address or not email_verified:
        return SingleSignOnDecision(
            email=address,
            refusal=REFUSED_UNVERIFIED,
            message=f"{provider_name} has not confirmed the email address on your account, so it cannot "
            f"sign you in here. Confirm it with {provider_name}, or ask your district coordinator.",
        )
    person = User.objects.filter(email=address).first()
    unknown = SingleSignOnDecision(
        email=address,
        refusal=REFUSED_UNKNOWN,
        message=f"There is no place for {address} in any district here yet. Ask your district "
        "coordinator to invite you with this address.",
    )
    if person is None:
        return unknown
    if not person.is_active:
        return SingleSignOnDecision(
            email=address,
            refusal=REFUSED_SWITCHED_OFF,
            message="This account is switched off. Ask your district coordinator to restore it.",
        )
    policy = sign_in_policy_for(person)
    if not policy.districts and not person.is_superuser:
        return unknown
    if not policy.allows_address(address):
        return SingleSignOnDecision(
            email=address,
            refusal=REFUSED_DOMAIN,
            message=f"Your district signs in with an address ending in "
            f"{_domains_text(policy.allowed_domains)}. Sign in to {provider_name} with that address, "
            "or ask your district coordinator.",
        )
    return SingleSignOnDecision(email=address, person=person)


def provider_verified_email(sociallogin: SocialLogin) -> tuple[str | None, bool]:
    """The address the provider reported and whether it vouched for it.

    Google and OpenID Connect providers say so in the `email_verified` claim. Microsoft Entra ID has
    no such claim; its `mail` attribute is set by the directory's administrators, not the person,
    and settings refuse the shared authorities (common, organizations, consumers), so the one
    directory configured is the one vouching. Its userPrincipalName is a sign-in name, not a mailbox,
    and is never used.
    """
    if sociallogin.account.provider == "microsoft":
        mail = sociallogin.account.extra_data.get("mail")
        return (mail, True) if isinstance(mail, str) and mail else (None, False)
    for address in sociallogin.email_addresses:
        if address.primary or len(sociallogin.email_addresses) == 1:
            return address.email, bool(address.verified)
    return None, False


def _safe_next(request: HttpRequest, wanted: Any) -> str:
    if isinstance(wanted, str) and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _refuse(
    request: HttpRequest, *, credentials: dict[str, Any], message: str, provider_name: str
) -> HttpResponse:
    """Count and audit a refused sign-in the way a wrong password is: Django's `user_login_failed`.

    Axes counts it toward the person's and the address's lockout; mtss.audit.signals writes the
    failed "login" row with the reason.
    """
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return render(
        request,
        "registration/single_sign_on_refused.html",
        {"message": message, "provider_name": provider_name},
        status=403,
    )


def single_sign_on_finish(request: HttpRequest, sociallogin: SocialLogin) -> HttpResponse:
    """Sign the person in, or refuse with a plain page; either way the attempt is audited."""
    provider_name = (sociallogin.provider or sociallogin.account.get_provider(request)).name
    email, verified = provider_verified_email(sociallogin)
    decision = single_sign_on_decide(email=email, email_verified=verified, provider_name=provider_name)
    credentials = {"username": decision.email, "method": provider_name}
    if decision.person is None:
        return _refuse(
            request,
            credentials={**credentials, "reason": decision.refusal},
            message=decision.message,
            provider_name=provider_name,
        )
    if AxesProxyHandler.is_locked(request, credentials):
        user_login_failed.send(
            sender=__name__, credentials={**credentials, "reason": REFUSED_LOCKED_OUT}, request=request
        )
        return get_lockout_response(request, None, credentials)
    setattr(request, SIGN_IN_METHOD_ATTRIBUTE, provider_name)
    # Django's login: a new session key, the user_logged_in receivers (audit row, session clocks,
    # axes resetting the person's failures).
    login(request, decision.person, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(_safe_next(request, sociallogin.state.get("next")))


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    """allauth's hooks: every completed exchange ends in `single_sign_on_finish`, every failed one
    in a plain page and a failed "login" audit row. allauth's own sign-up, connect and
    email-matching flows are never reached."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        raise ImmediateHttpResponse(single_sign_on_finish(request, sociallogin))

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: str | None = None,
        exception: Exception | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        """A refused token (signature, audience, issuer, expiry), a lost state or a cancel."""
        provider_name = getattr(provider, "name", "single sign-on")
        audit_record(
            action=AuditAction.LOGIN,
            actor_label=f"{provider_name} sign-in",
            outcome=AuditEvent.Outcome.FAILURE,
            request=request,
            detail={
                "method": provider_name,
                "reason": str(error or "error"),
                "problem": type(exception).__name__ if exception is not None else "",
            },
        )
        raise ImmediateHttpResponse(
            render(
                request,
                "registration/single_sign_on_refused.html",
                {
                    "message": f"Signing in with {provider_name} did not finish. Try again; if it keeps "
                    "failing, ask your district coordinator.",
                    "provider_name": provider_name,
                },
                status=401,
            )
        )
