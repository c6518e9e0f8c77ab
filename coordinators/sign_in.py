"""Signing in safely: lockout, password-reset links, and purging what both leave behind.

django-axes locks a person at one address after AXES_FAILURE_LIMIT failures (so one person's typos
never lock anybody else, even when everybody arrives through one proxy). On top of that an address
is locked once SIGN_IN_ADDRESS_FAILURE_LIMIT failures on any usernames pile up within the cool-off:
that catches one address trying many accounts. Both lock with the same page, which never says
whether an account exists.

A password-reset request is checked against hourly limits per typed email and per address, stored,
and handed to the worker, which looks the account up, builds the link and sends it. The page does
the same work whether or not an account exists, so neither its answer nor its time tells.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessFailureLog
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import connection, models, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.template import loader
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from coordinators.models import PasswordResetRequest, User, normalize_email_address

logger = logging.getLogger(__name__)


class AxesRequest(HttpRequest):
    """A sign-in request as django-axes marks it up (axes.helpers.update_request and its handlers).
    For annotations only."""

    axes_ip_address: str
    axes_locked_out: bool
    axes_credentials: dict[str, Any] | None


# The limits PASSWORD_RESET_LIMIT_PER_ACCOUNT and PASSWORD_RESET_LIMIT_PER_ADDRESS count over this.
PASSWORD_RESET_WINDOW = timedelta(hours=1)
# Old rows are deleted this many at a time, so one purge never holds a long lock.
PURGE_BATCH_SIZE = 1000
# Advisory lock classes on PostgreSQL: one lock per typed email and per address.
_LOCK_RESET_ADDRESS = 7301
_LOCK_RESET_EMAIL = 7302


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
        self, sender: Any, credentials: dict[str, Any], request: AxesRequest | None = None, **kwargs: Any
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


# Password-reset links -------------------------------------------------------------------------


def _lock_reset_limits(*, email: str, ip_address: str | None) -> None:
    """Serialise requests for one email or address so two at once cannot both pass a full limit.

    On SQLite every write transaction already runs alone (BEGIN IMMEDIATE). The address is always
    locked before the email, so two requests never wait on each other in a cycle.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if ip_address:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_LOCK_RESET_ADDRESS, ip_address]
            )
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_LOCK_RESET_EMAIL, email])


def password_reset_request(*, email: str, ip_address: str | None) -> bool:
    """Accept a request for a reset link unless the email or the address used up its hourly limit.

    Returns whether it was accepted; the caller answers the same either way. Nothing here looks the
    account up: the worker does (`password_reset_send`).
    """
    from coordinators.tasks import send_password_reset

    email = normalize_email_address(email)
    with transaction.atomic():
        _lock_reset_limits(email=email, ip_address=ip_address)
        recent = PasswordResetRequest.objects.filter(requested_at__gte=timezone.now() - PASSWORD_RESET_WINDOW)
        over_limit = recent.filter(email=email).count() >= settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT or (
            ip_address is not None
            and recent.filter(ip_address=ip_address).count() >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        )
        if over_limit:
            logger.warning(
                "Password-reset request refused: the hourly limit for its email or address is used up."
            )
            return False
        reset = PasswordResetRequest.objects.create(email=email, ip_address=ip_address)
        transaction.on_commit(lambda: send_password_reset.delay(reset.pk))
    return True


def _reset_account(email: str) -> User | None:
    """The account a link may go to: active, with a password (as Django's own reset form decides)."""
    for user in User.objects.filter(email=email, is_active=True):
        if user.has_usable_password():
            return user
    return None


def _reset_message(user: User) -> EmailMultiAlternatives:
    site = urlsplit(settings.SITE_URL)
    context = {
        "email": user.email,
        "domain": site.netloc,
        "site_name": "MTSS Coordination",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": site.scheme,
    }
    subject = "".join(
        loader.render_to_string("registration/password_reset_subject.txt", context).splitlines()
    )
    body = loader.render_to_string("registration/password_reset_email.html", context)
    return EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def password_reset_send(*, request_id: int) -> bool:
    """Send the link for one accepted request, if the email belongs to an account; True if sent.

    The conditional UPDATE lets one run claim the request, so a redelivered task sends nothing more.
    A failed send puts it back for the task's retry.
    """
    State = PasswordResetRequest.State
    claimed = PasswordResetRequest.objects.filter(pk=request_id, state=State.PENDING).update(
        state=State.SENDING
    )
    if not claimed:
        return False
    reset = PasswordResetRequest.objects.get(pk=request_id)
    user = _reset_account(reset.email)
    if user is None:
        PasswordResetRequest.objects.filter(pk=request_id).update(state=State.NO_ACCOUNT)
        return False
    try:
        _reset_message(user).send()
    except Exception:
        PasswordResetRequest.objects.filter(pk=request_id, state=State.SENDING).update(state=State.PENDING)
        raise
    PasswordResetRequest.objects.filter(pk=request_id).update(state=State.SENT, sent_at=timezone.now())
    return True


# Purging --------------------------------------------------------------------------------------


def _delete_in_batches(rows: models.QuerySet) -> int:
    deleted = 0
    while ids := list(rows.values_list("pk", flat=True)[:PURGE_BATCH_SIZE]):
        rows.model.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted


def sign_in_records_purge() -> dict[str, int]:
    """Delete lockout rows past the cool-off, reset requests past their window, and expired sessions.

    Nothing deleted here still counts toward a limit, so running it at any time (or twice) changes
    no lock or limit.
    """
    now = timezone.now()
    cool_off_start = now - settings.AXES_COOLOFF_TIME
    purged = {
        "lockout attempts": _delete_in_batches(AccessAttempt.objects.filter(attempt_time__lt=cool_off_start)),
        "lockout failure logs": _delete_in_batches(
            AccessFailureLog.objects.filter(attempt_time__lt=cool_off_start)
        ),
        "password-reset requests": _delete_in_batches(
            PasswordResetRequest.objects.filter(requested_at__lt=now - PASSWORD_RESET_WINDOW)
        ),
    }
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return purged
