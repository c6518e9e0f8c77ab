"""Cross-cutting request handling: database outages, session lifetime, kept text."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
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
# Whose text the kept posts are: set when the session ends by timeout, so only that person gets it back.
KEPT_FOR_KEY = "mtss_kept_for"
# All the text one session keeps, measured as the session stores it (JSON); the newest post wins.
KEPT_TEXT_LIMIT_BYTES = 64 * 1024


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


# C0 control characters and DEL: nobody types them into an address, and PostgreSQL refuses NUL in text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
NUL = re.compile(r"\x00")


class ControlCharacterMiddleware:
    """Answer 400 to a path or query with control characters, or a form post with NUL in it.

    Without this, a NUL in a path segment, query value or form field reaches a database lookup or
    write and PostgreSQL answers with an error (a 500). Form posts may hold line breaks and tabs,
    never NUL. Their fields are read in the view hook, where CsrfViewMiddleware reads them anyway;
    views exempt from it (which may choose their own upload handlers) are left to read theirs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CONTROL_CHARACTERS.search(request.path_info) or _has(CONTROL_CHARACTERS, request.GET.lists()):
            return _unreadable()
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: tuple, kwargs: dict
    ) -> HttpResponse | None:
        if (
            request.method == "POST"
            and not getattr(view, "csrf_exempt", False)
            and _has(NUL, request.POST.lists())
        ):
            return _unreadable()
        return None


def _unreadable() -> HttpResponse:
    response = HttpResponseBadRequest(render_to_string("400.html", {}))
    # Answered before the clickjacking middleware sees the response, so the header is set here.
    response["X-Frame-Options"] = "DENY"
    return response


def _has(pattern: re.Pattern[str], lists: Iterable[tuple[str, list[str]]]) -> bool:
    return any(pattern.search(key) or any(pattern.search(v) for v in values) for key, values in lists)


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
                user_pk = request.user.pk
                logout(request)
                # The fresh anonymous session remembers whose it was, so a form posted from this
                # browser (with its CSRF token) can be kept for that person to sign in and save.
                request.session[KEPT_FOR_KEY] = user_pk
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
    if request.session.pop(KEPT_FOR_KEY, None) != getattr(user, "pk", None):
        # Someone else signed in on this browser: what the last person typed is not theirs.
        request.session.pop(KEPT_POSTS_KEY, None)


def _read_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class KeepTextOnExpiredSessionMiddleware:
    """A form posted after the session ended keeps its text: stash it, ask to sign in, restore.

    Only for a browser whose signed-in session just timed out (SessionLifetimeMiddleware leaves
    whose it was in the new session) and only for a post whose CSRF token passed: otherwise any
    site could plant text in someone's draft, and anonymous posts could grow session rows. It
    runs as a view hook, after CsrfViewMiddleware's, which has accepted the token by then.

    Views that edit long text call `kept_post_data(request)` on GET to refill the form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: tuple, kwargs: dict
    ) -> HttpResponse | None:
        login_path = reverse(settings.LOGIN_URL)
        if (
            request.method != "POST"
            or request.user.is_authenticated
            or request.session.get(KEPT_FOR_KEY) is None
            or getattr(view, "csrf_exempt", False)
            or not getattr(request, "csrf_processing_done", False)
            or request.path.startswith((login_path, "/accounts/", "/admin/"))
        ):
            return None
        data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
        if not data:
            return None
        if _keep(request, data):
            messages.warning(
                request,
                "Your session ended before you saved. Sign in again: what you typed is kept "
                "and waiting for you to save it.",
            )
        else:
            messages.warning(
                request,
                "Your session ended before you saved, and what you typed was too long to keep here. "
                "Sign in again, then paste it from a copy if you have one.",
            )
        return redirect_to_login(request.path, login_path)


def _size(value: object) -> int:
    return len(json.dumps(value).encode())


def _keep(request: HttpRequest, data: dict[str, list[str]]) -> bool:
    """Keep this page's text, dropping the oldest pages' until the whole fits the limit."""
    kept = dict(request.session.get(KEPT_POSTS_KEY, {}))
    kept.pop(request.path, None)
    kept[request.path] = data
    while kept and _size(kept) > KEPT_TEXT_LIMIT_BYTES:
        del kept[next(iter(kept))]
    request.session[KEPT_POSTS_KEY] = kept
    return request.path in kept


def kept_post_data(request: HttpRequest) -> dict[str, list[str]] | None:
    """Return (and forget) what was typed on this page before the session ended, if anything.

    Signing in as someone else drops it (`session_lifetime_start`), so it is the signed-in person's.
    """
    kept = request.session.get(KEPT_POSTS_KEY)
    if not kept or request.path not in kept:
        return None
    data = kept.pop(request.path)
    request.session[KEPT_POSTS_KEY] = kept
    return data
