"""Asking for a password-reset link: limited per account and address, sent by the worker, same answer."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordinators.models import PasswordResetRequest
from coordinators.tasks import send_password_reset
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"


def _ask(client, email, address="10.0.0.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


@pytest.fixture
def ask(client, celery_eager, django_capture_on_commit_callbacks):
    """Ask for a link as a browser would: the request commits, then the worker (in-process) runs."""

    def ask(email, address="10.0.0.7"):
        with django_capture_on_commit_callbacks(execute=True):
            return _ask(client, email, address)

    return ask


def test_a_real_account_gets_a_working_link(ask, client, side_a):
    response = ask(side_a.coordinator.email)
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert [message.to for message in mail.outbox] == [[side_a.coordinator.email]]
    link = re.search(r"http://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "new_password1" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "A-new-Pass-99x", "new_password2": "A-new-Pass-99x"},
    )
    assert done.status_code == 302
    side_a.coordinator.refresh_from_db()
    assert side_a.coordinator.check_password("A-new-Pass-99x")


def test_the_link_is_built_from_the_site_address(ask, side_a, settings):
    settings.SITE_URL = "https://mtss.district.example"
    ask(side_a.coordinator.email)
    assert "https://mtss.district.example/accounts/reset/" in mail.outbox[0].body


def test_any_case_of_the_email_reaches_the_account(ask, side_a):
    ask(side_a.coordinator.email.upper())
    assert [message.to for message in mail.outbox] == [[side_a.coordinator.email]]


def test_unknown_and_switched_off_accounts_get_no_mail(ask, side_a):
    side_a.member.is_active = False
    side_a.member.save()
    ask("nobody@example.org")
    ask(side_a.member.email)
    assert mail.outbox == []


def test_the_sixth_request_for_one_account_in_an_hour_sends_no_mail(ask, side_a, settings):
    assert settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT == 5
    for n in range(6):
        # From a new address each time: the account's own limit decides.
        assert ask(side_a.coordinator.email, f"10.0.1.{n}").status_code == 302
    assert len(mail.outbox) == 5


def test_the_account_may_ask_again_after_an_hour(ask, side_a):
    for _ in range(5):
        ask(side_a.coordinator.email)
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        ask(side_a.coordinator.email)
    assert len(mail.outbox) == 6


def test_one_address_may_ask_twenty_times_an_hour(ask, side_a, side_b, settings):
    assert settings.PASSWORD_RESET_LIMIT_PER_ADDRESS == 20
    people = [side_a.coordinator, side_a.leader, side_a.member, side_a.site_admin, side_b.coordinator]
    for n in range(21):
        ask(people[n % len(people)].email)
    assert len(mail.outbox) == 20
    ask(side_b.leader.email, "10.0.0.8")
    assert len(mail.outbox) == 21


def test_unknown_addresses_count_toward_the_address_limit(ask, side_a, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    for n in range(3):
        ask(f"nobody{n}@example.org")
    ask(side_a.coordinator.email)
    assert mail.outbox == []


def _sql_shapes(queries):
    return [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", q["sql"]) for q in queries.captured_queries]


def test_the_answer_and_the_work_done_are_the_same_whether_the_account_exists(client, side_a):
    with CaptureQueriesContext(connection) as known_queries:
        known = _ask(client, side_a.coordinator.email)
    with CaptureQueriesContext(connection) as unknown_queries:
        unknown = _ask(client, "nobody@example.org")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.content == unknown.content
    # The request never looks the account up: the worker does, so neither its answer nor its time tells.
    assert _sql_shapes(known_queries) == _sql_shapes(unknown_queries)
    assert not any("coordinators_user" in q["sql"] for q in known_queries.captured_queries)
    done_known = client.get(known.url)
    done_unknown = client.get(unknown.url)
    assert done_known.content == done_unknown.content


def test_the_mail_is_sent_by_the_worker_after_the_request_commits(
    client, side_a, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _ask(client, side_a.coordinator.email)
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [message.to for message in mail.outbox] == [[side_a.coordinator.email]]


def test_a_redelivered_task_sends_once(ask, side_a, celery_eager):
    ask(side_a.coordinator.email)
    request = PasswordResetRequest.objects.get()
    send_password_reset.delay(request.pk)
    assert len(mail.outbox) == 1


def test_a_refused_request_is_not_recorded(ask, side_a, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT = 1
    ask(side_a.coordinator.email)
    ask(side_a.coordinator.email)
    assert PasswordResetRequest.objects.count() == 1


def test_signing_in_with_the_old_password_still_works_until_the_link_is_used(ask, client, side_a):
    ask(side_a.coordinator.email)
    response = client.post("/accounts/login/", {"username": side_a.coordinator.email, "password": PASSWORD})
    assert response.status_code == 302
