"""Database outages answer a plain 503; text posted after the session ended is kept."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from mtss.middleware import (
    KEPT_POSTS_KEY,
    KEPT_TEXT_LIMIT_BYTES,
    SESSION_SEEN_KEY,
    DatabaseUnavailableMiddleware,
    kept_post_data,
)

pytestmark = pytest.mark.django_db


def test_database_error_becomes_a_plain_503_page():
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    response = middleware.process_exception(request, OperationalError("server closed the connection"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "briefly unavailable" in body
    assert "Traceback" not in body
    assert "server closed the connection" not in body


def test_other_errors_are_left_alone():
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


PASSWORD = "correct-horse-battery-staple"


def _signed_in_then_idle(user) -> tuple[Client, str]:
    """A browser that signed in, fetched a form (so it holds a CSRF token) and then sat idle too long."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(reverse("person_invite")).status_code == 200
    session = client.session
    session[SESSION_SEEN_KEY] = (timezone.now() - timedelta(days=1) + timedelta(hours=1)).isoformat()
    session.save()
    return client, client.cookies["csrftoken"].value


def _kept(client: Client) -> dict:
    return client.session.get(KEPT_POSTS_KEY, {})


def test_text_posted_after_the_session_ended_is_kept_for_after_sign_in(side_a):
    client, token = _signed_in_then_idle(side_a.coordinator)
    path = reverse("person_invite")
    response = client.post(
        path, {"full_name": "Rosa Delgado", "email": "rosa@example.org", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={path}"
    login_page = client.get(response.url)
    assert "what you typed is kept" in login_page.text
    client.post(
        "/accounts/login/",
        {"username": side_a.coordinator.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    request: HttpRequest = RequestFactory().get(path)
    request.session = client.session
    request.user = side_a.coordinator
    assert kept_post_data(request) == {"full_name": ["Rosa Delgado"], "email": ["rosa@example.org"]}
    assert kept_post_data(request) is None


def test_anonymous_post_from_a_browser_that_never_signed_in_is_not_kept(side_a):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("meeting_list"), {"text": "What you typed is back", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert not _kept(client)
    assert all(KEPT_POSTS_KEY not in row.get_decoded() for row in Session.objects.all())


def test_post_without_a_valid_csrf_token_is_refused_and_not_kept(side_a):
    client, _token = _signed_in_then_idle(side_a.coordinator)
    response = client.post(reverse("person_invite"), {"full_name": "Planted by another site"})
    assert response.status_code == 403
    response = client.post(
        reverse("person_invite"), {"full_name": "Planted", "csrfmiddlewaretoken": "x" * 32}
    )
    assert response.status_code == 403
    assert not _kept(client)


def test_kept_text_is_capped_per_session_and_the_newest_wins(side_a):
    client, token = _signed_in_then_idle(side_a.coordinator)
    chunk = "x" * (KEPT_TEXT_LIMIT_BYTES // 3)
    paths = [reverse("meeting_minutes", args=[pk]) for pk in range(1, 21)]
    for path in paths:
        client.post(path, {"text": chunk, "csrfmiddlewaretoken": token})
    kept = _kept(client)
    assert paths[-1] in kept
    assert paths[0] not in kept
    assert len(json.dumps(kept).encode()) <= KEPT_TEXT_LIMIT_BYTES
    row = Session.objects.get(session_key=client.session.session_key)
    assert len(row.session_data) < 2 * KEPT_TEXT_LIMIT_BYTES


def test_one_post_larger_than_the_cap_is_not_kept(side_a):
    client, token = _signed_in_then_idle(side_a.coordinator)
    client.post(
        reverse("person_invite"),
        {"full_name": "x" * (KEPT_TEXT_LIMIT_BYTES + 1), "csrfmiddlewaretoken": token},
    )
    assert not _kept(client)


def test_someone_else_signing_in_on_that_browser_does_not_get_the_kept_text(side_a):
    client, token = _signed_in_then_idle(side_a.coordinator)
    path = reverse("person_invite")
    client.post(path, {"full_name": "Rosa Delgado", "csrfmiddlewaretoken": token})
    assert path in _kept(client)
    client.post(
        "/accounts/login/",
        {"username": side_a.leader.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert not _kept(client)
    request: HttpRequest = RequestFactory().get(path)
    request.session = client.session
    request.user = side_a.leader
    assert kept_post_data(request) is None
