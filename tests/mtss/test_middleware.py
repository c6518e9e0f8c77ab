"""Database outages answer a plain 503; text posted after the session ended is kept."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from mtss.middleware import DatabaseUnavailableMiddleware, kept_post_data

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


def test_text_posted_after_the_session_ended_is_kept_for_after_sign_in(side_a):
    client = Client()
    path = reverse("person_invite")
    response = client.post(path, {"full_name": "Rosa Delgado", "email": "rosa@example.org"})
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={path}"
    login_page = client.get(response.url)
    assert "what you typed is kept" in login_page.text
    client.post(
        "/accounts/login/", {"username": side_a.coordinator.email, "password": "correct-horse-battery-staple"}
    )
    request: HttpRequest = RequestFactory().get(path)
    request.session = client.session
    assert kept_post_data(request) == {"full_name": ["Rosa Delgado"], "email": ["rosa@example.org"]}
    assert kept_post_data(request) is None
