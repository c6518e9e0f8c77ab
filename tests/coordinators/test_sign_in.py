"""Signing in and out, lockout, password reset and session lifetime (QUALITY.md S4, S5, S6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mtss.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_signing_in_by_email_lands_on_home_and_is_audited(client, side_a):
    response = _login(client, side_a.coordinator.email, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.filter(action="login").latest("id")
    assert (event.actor, event.outcome) == (side_a.coordinator, "success")


def test_sign_in_gives_a_new_session_key(client, side_a):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    _login(client, side_a.coordinator.email, PASSWORD)
    assert client.session.session_key != before


def test_wrong_password_is_refused_plainly_and_audited(client, side_a):
    response = _login(client, side_a.coordinator.email, "wrong")
    assert response.status_code == 200
    assert "That email address and password do not match" in response.text
    event = AuditEvent.objects.filter(action="login").latest("id")
    assert (event.actor_label, event.outcome) == (side_a.coordinator.email, "failure")


def test_sign_out_needs_post_and_ends_the_session(client, side_a):
    client.force_login(side_a.coordinator)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("email_exists", [True, False])
def test_repeated_failures_lock_with_the_same_message_whether_or_not_the_account_exists(
    client, side_a, email_exists
):
    email = side_a.coordinator.email if email_exists else "nobody@example.org"
    for _ in range(5):
        _login(client, email, "wrong")
    response = _login(client, email, PASSWORD)
    assert response.status_code == 429
    assert "Sign-in is paused for a while" in response.text
    assert "does not exist" not in response.text


def test_lockout_holds_even_with_the_right_password_then_lifts_after_the_cool_off(client, side_a):
    for _ in range(5):
        _login(client, side_a.coordinator.email, "wrong")
    assert _login(client, side_a.coordinator.email, PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _login(client, side_a.coordinator.email, PASSWORD).status_code == 302


def test_password_reset_sends_a_link_only_to_a_real_account_but_answers_the_same(client, side_a):
    known = client.post(reverse("password_reset"), {"email": side_a.coordinator.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert [message.to for message in mail.outbox] == [[side_a.coordinator.email]]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_idle_session_ends_and_asks_to_sign_in_again(client, side_a, settings):
    client.force_login(side_a.coordinator)
    assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + settings.SESSION_IDLE_TIMEOUT + timedelta(minutes=1)):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_session_ends_after_its_absolute_lifetime_even_when_active(client, side_a, settings):
    client.force_login(side_a.coordinator)
    client.get(reverse("home"))
    step = settings.SESSION_IDLE_TIMEOUT - timedelta(minutes=5)
    now = timezone.now()
    elapsed = timedelta(0)
    while elapsed <= settings.SESSION_ABSOLUTE_LIFETIME:
        elapsed += step
        with time_machine.travel(now + elapsed):
            response = client.get(reverse("home"))
        if response.status_code == 302:
            break
    assert response.status_code == 302
    assert elapsed > settings.SESSION_ABSOLUTE_LIFETIME


def _session_writes(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(
        1 for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    )


def test_last_seen_is_written_at_most_once_a_minute_and_still_keeps_the_session_alive(
    client, side_a, settings
):
    home = reverse("home")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        client.force_login(side_a.coordinator)  # signing in starts both clocks
        assert _session_writes(client, home) == 0
        assert _session_writes(client, home) == 0
    with time_machine.travel(now + timedelta(seconds=59), tick=False):
        assert _session_writes(client, home) == 0
    with time_machine.travel(now + timedelta(minutes=1), tick=False):
        assert _session_writes(client, home) == 1
    # Active every 50 minutes for two hours: never idle for the 60-minute timeout.
    for step in range(1, 4):
        with time_machine.travel(now + timedelta(minutes=1 + 50 * step), tick=False):
            assert client.get(home).status_code == 200
