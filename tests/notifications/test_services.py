"""Exactly-once delivery through the real parts: Redis, a Celery worker, PostgreSQL, SMTP on loopback.

With DATABASE_URL on PostgreSQL and CELERY_BROKER_URL on Redis (as in CI) these run against a real
`celery -A mtss worker`; otherwise the same steps run in this process with eager tasks, and mail
still goes through a real SMTP server on loopback. In CI the real parts are required.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu import pools as kombu_pools

from implementation_plans.models import ProcessVersion
from mtss.celery import app as celery_app
from mtss.notifications import delivery
from mtss.notifications.delivery import SENDING_LEASE, deliver_inline, notifications_sweep_due
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from mtss.notifications.tasks import deliver_notifications
from tests.implementation_plans.process_factories import submitted
from tests.notifications.factories import NotificationFactory
from tests.notifications.realparts import SmtpServer, Worker, database_url_for, services_available, wait_until

REAL = services_available()
State = Notification.EmailState
pytestmark = [pytest.mark.django_db(transaction=True)] + ([pytest.mark.services] if REAL else [])
CLOSED_BROKER = "redis://127.0.0.1:6390/0"
QUIET_SECONDS = 2.0


@dataclass
class Parts:
    smtp: SmtpServer
    worker: Worker | None

    def restart_worker(self) -> None:
        if self.worker is not None:
            self.worker.start()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def parts(smtp: SmtpServer, settings, transactional_db) -> Iterator[Parts]:
    if os.environ.get("CI") == "true" and not REAL:
        pytest.fail("CI must set DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) for these tests.")
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp.port, "timeout": 10},
        }
    }
    if not REAL:
        before = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        yield Parts(smtp=smtp, worker=None)
        celery_app.conf.task_always_eager = before
        return
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()
    worker = Worker(database_url=database_url_for(connection.settings_dict["NAME"]), email_url=smtp.url)
    worker.start()
    try:
        yield Parts(smtp=smtp, worker=worker)
    finally:
        worker.stop()


def _quiet() -> None:
    """Give a worker time to send anything it (wrongly) would send twice."""
    time.sleep(QUIET_SECONDS)


def test_sweep_twice_gives_one_email_per_recipient(parts, side_a):
    for person in (side_a.leader, side_a.coordinator):
        NotificationFactory(district=side_a.district, recipient=person, key="process-version:9:submitted")
    notifications_sweep_due()
    notifications_sweep_due()
    messages = parts.smtp.mailbox.wait_for(2)
    _quiet()
    notifications_sweep_due(dispatch=deliver_inline)
    assert len(parts.smtp.mailbox.raw) == 2
    assert sorted(str(m["To"]) for m in messages) == sorted([side_a.leader.email, side_a.coordinator.email])
    assert wait_until(lambda: Notification.objects.filter(email_state=State.SENT).count() == 2)


def _sweep_in_thread(errors: list[BaseException], start: threading.Barrier) -> None:
    try:
        start.wait()
        notifications_sweep_due()
    except BaseException as error:  # pragma: no cover - reported by the test
        errors.append(error)
    finally:
        connection.close()


def test_two_sweeps_at_once_give_one_email_each(parts, side_a):
    rows = NotificationFactory.create_batch(12, district=side_a.district, recipient=side_a.member)
    if REAL:
        errors: list[BaseException] = []
        start = threading.Barrier(2)
        threads = [threading.Thread(target=_sweep_in_thread, args=(errors, start)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
    else:
        # SQLite serialises writers; two sweeps back to back take the same path through the claim.
        notifications_sweep_due()
        notifications_sweep_due()
    parts.smtp.mailbox.wait_for(len(rows))
    _quiet()
    subjects = parts.smtp.mailbox.subjects()
    assert sorted(subjects) == sorted(r.subject for r in rows)


class WorkerKilled(BaseException):
    """Stands in for SIGKILL when there is no worker process to kill."""


def test_worker_killed_mid_send_and_restarted_gives_one_email(parts, side_a, monkeypatch):
    row = NotificationFactory(district=side_a.district, recipient=side_a.leader)
    mailbox = parts.smtp.mailbox
    if REAL:
        mailbox.hold.set()
        notifications_sweep_due()
        assert mailbox.arrived.wait(30), "the worker never reached the mail server"
        assert Notification.objects.get(id=row.id).email_state == State.SENDING
        parts.worker.kill_9()
        mailbox.hold.clear()
        parts.restart_worker()
    else:
        real_create = delivery.mailers.create_connection

        class DiesAfterSending:
            def __init__(self) -> None:
                self.inner = real_create("default")

            def open(self) -> bool:
                return self.inner.open()

            def send_messages(self, messages: list) -> int:
                self.inner.send_messages(messages)
                raise WorkerKilled

            def close(self) -> None:
                self.inner.close()

        monkeypatch.setattr(delivery.mailers, "create_connection", lambda alias: DiesAfterSending())
        with pytest.raises(WorkerKilled):
            notifications_sweep_due()
        monkeypatch.setattr(delivery.mailers, "create_connection", real_create)
    row.refresh_from_db()
    assert row.email_state == State.SENDING
    # The broker hands the task out again; the claim it carries is spent.
    deliver_notifications.delay([row.id], str(row.claim_token))
    result = notifications_sweep_due(now=timezone.now() + SENDING_LEASE + timezone.timedelta(seconds=1))
    notifications_sweep_due(now=timezone.now() + SENDING_LEASE * 3)
    _quiet()
    row.refresh_from_db()
    assert result.uncertain == 1
    assert row.email_state == State.UNCERTAIN
    assert len(mailbox.raw) == 1


def _point_broker_at(url: str, options: dict) -> None:
    celery_app.conf.broker_transport_options = options
    celery_app.conf.broker_url = url
    celery_app.conf.broker_write_url = url
    # Forget pooled connections to the previous broker (kombu keeps a registry of them).
    celery_app.pool.force_close_all()
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_approval_answers_within_two_seconds_with_redis_down_and_mail_goes_out_later(parts, side_a, settings):
    author = side_a.membership(side_a.coordinator)
    version = submitted(author)
    # The leaders' approval requests go out while Redis is still up.
    requests = Notification.objects.filter(kind=Kind.APPROVAL_REQUEST)
    assert requests.exists()
    notifications_sweep_due()
    assert wait_until(lambda: not requests.exclude(email_state=State.SENT).exists())
    sent_before = len(parts.smtp.mailbox.wait_for(requests.count()))
    working_broker = celery_app.conf.broker_url
    working_options = celery_app.conf.broker_transport_options
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    _point_broker_at(CLOSED_BROKER, settings.BROKER_NETWORK_OPTIONS)
    try:
        client = Client()
        client.force_login(side_a.leader)
        started = time.monotonic()
        response = client.post(reverse("process_approve", args=[version.pk]), {"approve-comment": "Go ahead"})
        elapsed = time.monotonic() - started
    finally:
        _point_broker_at(working_broker, working_options)
        celery_app.conf.task_always_eager = eager
    assert response.status_code == 302
    assert response.url == reverse("process_detail", args=[version.process_id])
    assert elapsed < 2.0, f"the approval took {elapsed:.2f} s with Redis down"
    # The approval is committed and its notice waits for the next sweep.
    version.refresh_from_db()
    assert version.status == ProcessVersion.Status.APPROVED
    assert version.decision_comment == "Go ahead"
    row = Notification.objects.get(kind=Kind.APPROVAL_DECISION)
    assert (row.recipient, row.email_state) == (side_a.coordinator, State.PENDING)
    assert len(parts.smtp.mailbox.raw) == sent_before
    notifications_sweep_due()  # the next beat, with Redis back
    messages = parts.smtp.mailbox.wait_for(sent_before + 1)
    assert [(str(m["Subject"]), str(m["To"])) for m in messages[sent_before:]] == [
        (f"Approved: {version.process.name}", side_a.coordinator.email)
    ]
    assert wait_until(lambda: Notification.objects.get(id=row.id).email_state == State.SENT)


def test_email_has_text_and_html_with_links(parts, side_a):
    NotificationFactory(
        district=side_a.district,
        recipient=side_a.leader,
        kind=Kind.APPROVAL_REMINDER,
        subject="Approval waiting 4 days: Coaching System",
        url="/processes/3/",
    )
    notifications_sweep_due()
    (message,) = parts.smtp.mailbox.wait_for(1)
    assert message["Subject"] == "Approval waiting 4 days: Coaching System"
    parts_by_type = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }
    assert "/processes/3/" in parts_by_type["text/plain"]
    assert "/notifications/preferences/" in parts_by_type["text/plain"]
    assert "/processes/3/" in parts_by_type["text/html"]
