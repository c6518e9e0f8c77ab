"""Signing in and out, lockout, password reset and session lifetime (docs/quality.md S4, S5, S6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mtss.audit.models import AuditEvent
from mtss.clients import client_address
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


# Lockout: per person and address, plus a looser limit per address -----------------------------


def _fail(client, email, address="10.0.0.7", **extra):
    return client.post(LOGIN, {"username": email, "password": "wrong"}, REMOTE_ADDR=address, **extra)


def test_four_failures_do_not_lock_and_the_fifth_does(client, side_a):
    for _ in range(4):
        assert _fail(client, side_a.coordinator.email).status_code == 200
    assert _fail(client, side_a.coordinator.email).status_code == 429


@pytest.mark.parametrize(
    ("after", "status"),
    [(timedelta(minutes=15) - timedelta(seconds=1), 429), (timedelta(minutes=15, seconds=1), 302)],
    ids=["locked-a-second-before-15-minutes", "free-a-second-after"],
)
def test_the_lock_lasts_the_15_minute_cool_off_and_no_longer(client, side_a, after, status):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _fail(client, side_a.coordinator.email)
    with time_machine.travel(start + after, tick=False):
        assert _login(client, side_a.coordinator.email, PASSWORD).status_code == status


def test_four_failures_still_let_the_right_password_in(client, side_a):
    for _ in range(4):
        _fail(client, side_a.coordinator.email)
    assert _login(client, side_a.coordinator.email, PASSWORD).status_code == 302


def test_locked_person_can_still_sign_in_from_another_address(client, side_a):
    for _ in range(5):
        _fail(client, side_a.coordinator.email)
    assert _login(client, side_a.coordinator.email, PASSWORD).status_code == 429
    response = client.post(
        LOGIN, {"username": side_a.coordinator.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.8"
    )
    assert response.status_code == 302


def test_another_person_at_the_same_address_is_not_locked(client, side_a):
    for _ in range(5):
        _fail(client, side_a.coordinator.email)
    assert _login(client, side_a.leader.email, PASSWORD).status_code == 302


def test_failures_count_together_whatever_the_case_of_the_email(client, side_a):
    email = side_a.coordinator.email
    for typed in (email.upper(), email.title(), f"  {email}  ", email, email.upper()):
        _fail(client, typed)
    assert _login(client, email, PASSWORD).status_code == 429


def test_signing_in_ignores_the_case_of_the_email(client, side_a):
    assert _login(client, side_a.coordinator.email.upper(), PASSWORD).status_code == 302


def test_email_is_stored_in_lower_case(side_a):
    side_a.member.email = "Mixed.Case@Example.ORG"
    side_a.member.save()
    side_a.member.refresh_from_db()
    assert side_a.member.email == "mixed.case@example.org"


def test_spraying_many_usernames_from_one_address_locks_that_address_only(client, side_a, settings):
    limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    assert limit == 50
    for n in range(limit - 1):
        assert _fail(client, f"guess{n}@example.org").status_code == 200
    assert _login(client, side_a.leader.email, PASSWORD).status_code == 302
    client.logout()
    assert _fail(client, "one-more@example.org").status_code == 429
    # Now nobody signs in from that address, not even with the right password...
    assert _login(client, side_a.member.email, PASSWORD).status_code == 429
    # ...but the same people elsewhere still can.
    response = client.post(
        LOGIN, {"username": side_a.member.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302


def test_address_limit_lifts_after_the_cool_off(client, side_a, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(6):
        _fail(client, f"guess{n}@example.org")
    assert _login(client, side_a.member.email, PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert _login(client, side_a.member.email, PASSWORD).status_code == 302


def test_address_lock_says_the_same_as_a_person_lock(client, side_a, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        _fail(client, f"guess{n}@example.org")
    response = _login(client, side_a.member.email, PASSWORD)
    assert response.status_code == 429
    assert "paused for 15 minutes" in response.text
    assert side_a.member.email not in response.text


# Client address: proxy headers count only when the proxies are declared ----------------------


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, side_a):
    for n in range(5):
        _fail(client, side_a.coordinator.email, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert _login(client, side_a.coordinator.email, PASSWORD).status_code == 429


def test_behind_one_proxy_people_are_told_apart_by_their_forwarded_address(client, side_a, settings):
    settings.MTSS_TRUSTED_PROXY_COUNT = 1
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 5
    proxy = "10.0.0.1"
    for n in range(5):
        _fail(client, f"guess{n}@example.org", proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert _fail(client, "guess@example.org", proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    response = client.post(
        LOGIN,
        {"username": side_a.member.email, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert response.status_code == 302


def test_a_client_cannot_choose_its_address_by_sending_the_header_itself(client, side_a, settings):
    settings.MTSS_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        # The proxy appends the address it saw; what the client sent stays on the left.
        _fail(
            client, side_a.coordinator.email, "10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5"
        )
    response = client.post(
        LOGIN,
        {"username": side_a.coordinator.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.77, 203.0.113.5",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.1"),  # fewer hops than proxies: nothing to trust
        (1, "not-an-address", "10.0.0.1"),
        (1, "203.0.113.5:41234", "203.0.113.5"),
        (1, "[2001:db8::1]:41234", "2001:db8::1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address(rf, settings, proxies, forwarded, expected):
    settings.MTSS_TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_sign_in_audit_records_the_forwarded_address_behind_a_declared_proxy(client, side_a, settings):
    settings.MTSS_TRUSTED_PROXY_COUNT = 1
    _fail(client, side_a.coordinator.email, "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    event = AuditEvent.objects.filter(action="login").latest("id")
    assert event.ip_address == "203.0.113.5"
