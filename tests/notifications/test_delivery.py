"""Exactly-once email delivery, in this process (the real broker and worker run in test_services.py)."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from mtss.notifications import delivery
from mtss.notifications.delivery import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    SENDING_LEASE,
    deliver_inline,
    notifications_deliver_claimed,
    notifications_send_again,
    notifications_sweep_due,
)
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Delivery, Notification, NotificationPreference
from mtss.notifications.services import notify
from tests.notifications.factories import NotificationFactory

State = Notification.EmailState
pytestmark = pytest.mark.django_db


class Captured:
    def __init__(self) -> None:
        self.calls: list[tuple[list[int], str]] = []

    def __call__(self, ids: list[int], token: str) -> None:
        self.calls.append((ids, token))


def test_sweep_twice_sends_one_email(side_a):
    NotificationFactory(district=side_a.district, recipient=side_a.leader)
    notifications_sweep_due(dispatch=deliver_inline)
    notifications_sweep_due(dispatch=deliver_inline)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [side_a.leader.email]
    assert Notification.objects.get().email_state == State.SENT


def test_two_sweeps_never_claim_the_same_row(side_a):
    rows = NotificationFactory.create_batch(6, district=side_a.district, recipient=side_a.leader)
    first, second = Captured(), Captured()
    notifications_sweep_due(dispatch=first)
    notifications_sweep_due(dispatch=second)
    assert sorted(i for ids, _t in first.calls for i in ids) == sorted(r.id for r in rows)
    assert second.calls == []


def test_retried_task_sends_nothing_the_second_time(side_a):
    NotificationFactory(district=side_a.district, recipient=side_a.leader)
    captured = Captured()
    notifications_sweep_due(dispatch=captured)
    ids, token = captured.calls[0]
    assert notifications_deliver_claimed(ids=ids, token=token) == 1
    assert notifications_deliver_claimed(ids=ids, token=token) == 0
    assert len(mail.outbox) == 1


def test_future_rows_wait_until_due(side_a):
    NotificationFactory(
        district=side_a.district, recipient=side_a.leader, due_at=timezone.now() + timedelta(hours=2)
    )
    notifications_sweep_due(dispatch=deliver_inline)
    assert mail.outbox == []
    notifications_sweep_due(now=timezone.now() + timedelta(hours=3), dispatch=deliver_inline)
    assert len(mail.outbox) == 1


def test_worker_lost_before_sending_is_released_and_sent_once(side_a):
    row = NotificationFactory(district=side_a.district, recipient=side_a.leader)
    notifications_sweep_due(dispatch=Captured())  # claimed, but the task never runs
    assert Notification.objects.get(id=row.id).email_state == State.CLAIMED
    notifications_sweep_due(dispatch=deliver_inline)
    assert mail.outbox == []  # still inside the claim lease
    later = timezone.now() + CLAIM_LEASE + timedelta(seconds=1)
    notifications_sweep_due(now=later, dispatch=deliver_inline)
    notifications_sweep_due(now=later, dispatch=deliver_inline)
    assert len(mail.outbox) == 1


def test_worker_lost_while_sending_is_marked_uncertain_and_never_resent(side_a):
    row = NotificationFactory(district=side_a.district, recipient=side_a.leader)
    captured = Captured()
    notifications_sweep_due(dispatch=captured)
    # The worker moved the row to SENDING and died before it could record the answer.
    Notification.objects.filter(id=row.id).update(email_state=State.SENDING, email_sending_at=timezone.now())
    later = timezone.now() + SENDING_LEASE + timedelta(seconds=1)
    result = notifications_sweep_due(now=later, dispatch=deliver_inline)
    ids, token = captured.calls[0]
    notifications_deliver_claimed(ids=ids, token=token)  # the broker redelivers the task
    notifications_sweep_due(now=later + timedelta(hours=1), dispatch=deliver_inline)
    assert result.uncertain == 1
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.email_state == State.UNCERTAIN
    assert "may or may not" in row.last_error
    assert notifications_send_again(ids=[row.id]) == 1
    notifications_sweep_due(dispatch=deliver_inline)
    assert len(mail.outbox) == 1


class BrokenConnection:
    def open(self) -> bool:
        return True

    def send_messages(self, messages: list) -> int:
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    def close(self) -> None:
        return None


def test_failures_retry_with_backoff_then_show_as_failed(side_a, monkeypatch, time_machine):
    row = NotificationFactory(district=side_a.district, recipient=side_a.leader)
    monkeypatch.setattr(delivery.mailers, "create_connection", lambda alias: BrokenConnection())
    attempt_at = timezone.now()
    waits = []
    for _attempt in range(MAX_ATTEMPTS):
        time_machine.move_to(attempt_at, tick=False)
        notifications_sweep_due(now=attempt_at, dispatch=deliver_inline)
        row.refresh_from_db()
        if row.email_state == State.PENDING:
            waits.append(row.due_at - attempt_at)
        attempt_at = row.due_at + timedelta(seconds=1)
    assert waits == [timedelta(minutes=minutes) for minutes in (1, 4, 16, 64)]
    assert row.email_state == State.FAILED
    assert row.attempts == MAX_ATTEMPTS == 5
    assert "SMTPServerDisconnected" in row.last_error


def test_broker_down_gives_claimed_rows_back(side_a):
    row = NotificationFactory(district=side_a.district, recipient=side_a.leader)

    def broker_down(ids: list[int], token: str) -> None:
        raise ConnectionRefusedError("Redis is down")

    result = notifications_sweep_due(dispatch=broker_down)
    row.refresh_from_db()
    assert result.dispatch_failed
    assert row.email_state == State.PENDING
    notifications_sweep_due(dispatch=deliver_inline)
    assert len(mail.outbox) == 1


def test_rolled_back_write_sends_nothing(side_a, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(
                    district=side_a.district,
                    recipients=[side_a.leader],
                    kind=Kind.APPROVAL_REQUEST,
                    subject="Approval requested: Coaching System",
                    key="process-version:1:submitted",
                )
                raise RuntimeError("the approval failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_committed_notify_is_sent_at_once_by_a_worker(
    side_a, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            district=side_a.district,
            recipients=[side_a.leader, side_a.leader],
            kind=Kind.APPROVAL_REQUEST,
            subject="Approval requested: Coaching System",
            body="Maria Lopez submitted it.",
            url="/processes/1/",
            key="process-version:1:submitted",
        )
    assert created == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Approval requested: Coaching System"
    assert "http://127.0.0.1:8000/processes/1/" in message.body
    assert "/notifications/preferences/" in message.body
    html = message.alternatives[0].content
    assert "/notifications/preferences/" in html
    assert "Open it in MTSS Coordination" in html


def test_in_app_only_and_digest_choices_are_not_emailed(side_a):
    NotificationPreference.objects.create(user=side_a.member, kind=Kind.OVERDUE, delivery=Delivery.IN_APP)
    NotificationPreference.objects.create(user=side_a.member, kind=Kind.DUE_SOON, delivery=Delivery.DIGEST)
    in_app = NotificationFactory(district=side_a.district, recipient=side_a.member, kind=Kind.OVERDUE)
    digest = NotificationFactory(district=side_a.district, recipient=side_a.member, kind=Kind.DUE_SOON)
    email = NotificationFactory(district=side_a.district, recipient=side_a.member, kind=Kind.MEETING)
    notifications_sweep_due(dispatch=deliver_inline)
    states = dict(Notification.objects.values_list("id", "email_state"))
    assert states == {in_app.id: State.NOT_EMAILED, digest.id: State.IN_DIGEST, email.id: State.SENT}
    assert len(mail.outbox) == 1


def test_approval_request_is_never_in_app_only(side_a):
    NotificationPreference.objects.create(
        user=side_a.leader, kind=Kind.APPROVAL_REQUEST, delivery=Delivery.IN_APP
    )
    row = NotificationFactory(district=side_a.district, recipient=side_a.leader, kind=Kind.APPROVAL_REQUEST)
    notifications_sweep_due(dispatch=deliver_inline)
    row.refresh_from_db()
    assert row.email_state == State.IN_DIGEST


@pytest.mark.parametrize("rows", [5, 50])
def test_sweep_query_count_does_not_grow_with_due_rows(side_a, django_assert_num_queries, rows):
    NotificationFactory.create_batch(rows, district=side_a.district, recipient=side_a.leader)
    captured = Captured()
    # Release + uncertain, read batch, preferences, claim, read claimed.
    with django_assert_num_queries(6):
        notifications_sweep_due(dispatch=captured)
    assert sum(len(ids) for ids, _t in captured.calls) == rows


def test_sweep_reads_in_batches(side_a, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(delivery, "DELIVERY_BATCH_SIZE", 10)
    NotificationFactory.create_batch(25, district=side_a.district, recipient=side_a.leader)
    captured = Captured()
    with django_assert_max_num_queries(2 + 3 * 4):
        notifications_sweep_due(dispatch=captured)
    assert sum(len(ids) for ids, _t in captured.calls) == 25
