"""Signing in safely: who a failed attempt counts against, and when an address is locked.

django-axes locks a person at one address after AXES_FAILURE_LIMIT failures (so one person's typos
never lock anybody else, even when everybody arrives through one proxy). On top of that an address
is locked once SIGN_IN_ADDRESS_FAILURE_LIMIT failures on any usernames pile up within the cool-off:
that catches one address trying many accounts. Both lock with the same page, which never says
whether an account exists.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from coordinators.models import normalize_email_address


def sign_in_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The username axes counts failures against: the email as the account stores it (lower case)."""
    if credentials:
        typed = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        typed = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return normalize_email_address(typed) if isinstance(typed, str) else typed


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off, on any username."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class SignInLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-address limit."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or (
            address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
        )

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out:
            return
        # The failure that reaches the address limit is answered with the lockout page, as axes
        # does for the one that reaches the per-person limit.
        if address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=sign_in_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
