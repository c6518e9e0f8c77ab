"""Every page sends strict security headers (docs/quality.md S2)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password_reset/", "/missing-page/"])
def test_public_pages_send_strict_headers(client, path):
    response = client.get(path)
    _assert_strict(response)


def test_signed_in_pages_send_strict_headers(coordinator_a, side_a):
    for path in [reverse("home"), reverse("school_list"), reverse("person_list")]:
        _assert_strict(coordinator_a.get(path))


def _assert_strict(response) -> None:
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_event_handlers(coordinator_a):
    html = coordinator_a.get(reverse("home")).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> found"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler found"


def test_session_cookie_is_httponly_and_samesite_lax(client, side_a):
    response = client.post("/accounts/login/", {"username": side_a.coordinator.email, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_missing_page_is_a_friendly_404_in_the_layout(coordinator_a):
    response = coordinator_a.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.text
    assert "Go to your home page" in response.text
