"""Cross-cutting request handling: database outages, session lifetime, kept text."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from mtss.errors import database_unavailable_response

logger = logging.getLogger(__name__)

SESSION_STARTED_KEY = "mtss_session_started"
SESSION_SEEN_KEY = "mtss_session_seen"
# The last-seen time is rewritten at most this often: writing it on every request costs each page
# an UPDATE and a commit, and a minute is nothing against an idle timeout counted in hours.
SESSION_SEEN_RESOLUTION = timedelta(minutes=1)
KEPT_POSTS_KEY = "mtss_kept_posts"
KEPT_POST_LIMIT_BYTES = 200_000


class DatabaseUnavailableMiddleware:
    """Answer a plain 503 page, without a traceback, while the database is unreachable (R5)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        logger.error("Database unavailable: %s", exception)
        return database_unavailable_response()


class SessionLifetimeMiddleware:
    """Sign people out after an idle spell and after an absolute lifetime (S5)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now()
            started = _read_time(request.session.get(SESSION_STARTED_KEY))
            seen = _read_time(request.session.get(SESSION_SEEN_KEY))
            if started is None:
                request.session[SESSION_STARTED_KEY] = now.isoformat()
            expired = (seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT) or (
                started is not None and now - started > settings.SESSION_ABSOLUTE_LIFETIME
            )
            if expired:
                logout(request)
                messages.info(
                    request, "Your session ended to keep student data safe. Sign in again to go on."
                )
            elif seen is None or now - seen >= SESSION_SEEN_RESOLUTION:
                request.session[SESSION_SEEN_KEY] = now.isoformat()
        return self.get_response(request)


def session_lifetime_start(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """At sign-in (a `user_logged_in` receiver): the absolute lifetime and the idle clock start now."""
    now = timezone.now().isoformat()
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_SEEN_KEY] = now


def _read_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class KeepTextOnExpiredSessionMiddleware:
    """A form posted after the session ended keeps its text: stash it, ask to sign in, restore.

    Views that edit long text call `kept_post_data(request)` on GET to refill the form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        login_path = reverse(settings.LOGIN_URL)
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and not request.path.startswith((login_path, "/accounts/", "/admin/"))
        ):
            data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
            if data and len(repr(data)) <= KEPT_POST_LIMIT_BYTES:
                kept = request.session.get(KEPT_POSTS_KEY, {})
                kept[request.path] = data
                request.session[KEPT_POSTS_KEY] = kept
                messages.warning(
                    request,
                    "Your session ended before you saved. Sign in again: what you typed is kept "
                    "and waiting for you to save it.",
                )
                return redirect(f"{login_path}?next={request.path}")
        return self.get_response(request)


def kept_post_data(request: HttpRequest) -> dict[str, list[str]] | None:
    """Return (and forget) what was typed on this page before the session ended, if anything."""
    kept = request.session.get(KEPT_POSTS_KEY)
    if not kept or request.path not in kept:
        return None
    data = kept.pop(request.path)
    request.session[KEPT_POSTS_KEY] = kept
    return data
