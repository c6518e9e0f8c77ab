"""Password-reset links go out from a real Celery worker through a real SMTP server on loopback.

With DATABASE_URL on PostgreSQL and CELERY_BROKER_URL on Redis these run against `celery -A mtss
worker`; otherwise the same steps run in this process with eager tasks (mail still goes over SMTP).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client

from coordinators.models import PasswordResetRequest
from mtss.celery import app as celery_app
from tests.notifications.realparts import SmtpServer, Worker, database_url_for, services_available, wait_until

REAL = services_available()
State = PasswordResetRequest.State
pytestmark = [pytest.mark.django_db(transaction=True)] + ([pytest.mark.services] if REAL else [])
QUIET_SECONDS = 2.0


@pytest.fixture
def smtp(settings, transactional_db) -> Iterator[SmtpServer]:
    if os.environ.get("CI") == "true" and not REAL:
        pytest.fail("CI must set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) for these tests.")
    with SmtpServer() as server:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 10},
            }
        }
        if not REAL:
            before = celery_app.conf.task_always_eager
            celery_app.conf.task_always_eager = True
            yield server
            celery_app.conf.task_always_eager = before
            return
        import redis

        redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()
        worker = Worker(
            database_url=database_url_for(connection.settings_dict["NAME"]),
            email_url=server.url,
            name="password-reset",
        )
        worker.start()
        try:
            yield server
        finally:
            worker.stop()


def test_the_worker_sends_the_link_to_a_real_account_and_nothing_for_an_unknown_one(smtp, side_a):
    client = Client()
    for email in ("nobody@example.org", side_a.coordinator.email):
        response = client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 302
    (message,) = smtp.mailbox.wait_for(1)
    time.sleep(QUIET_SECONDS)  # time for anything (wrongly) sent for the unknown address to arrive
    assert len(smtp.mailbox.raw) == 1
    assert str(message["To"]) == side_a.coordinator.email
    assert "/accounts/reset/" in message.get_payload(decode=True).decode()
    assert wait_until(
        lambda: (
            sorted(PasswordResetRequest.objects.values_list("state", flat=True))
            == sorted([State.NO_ACCOUNT, State.SENT])
        )
    )
