"""A delivery task told it is past its time limit in the middle of an SMTP send stops there: the
email it was sending is never sent again (the server may have it), the rest go out later, once.

Real parts only: a prefork worker (the pool whose processes get time limits), Redis, the test's
PostgreSQL database and an SMTP server on loopback that holds its answer. CI sets DATABASE_URL and
CELERY_BROKER_URL, so it always runs there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from mtss.notifications.delivery import CLAIM_LEASE, notifications_sweep_due
from mtss.notifications.models import Notification
from mtss.notifications.tasks import deliver_notifications
from tests.notifications.factories import NotificationFactory
from tests.notifications.realparts import (
    SmtpServer,
    Worker,
    real_services_only,
    wait_until,
    worker_on_test_database,
)

pytestmark = real_services_only()
State = Notification.EmailState


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def worker(smtp: SmtpServer, transactional_db) -> Iterator[Worker]:
    with worker_on_test_database(name="delivery-limit", email_url=smtp.url, concurrency=2) as worker:
        yield worker


def _with_two_second_limit(ids: list[int], token: str) -> None:
    deliver_notifications.apply_async(args=[ids, token], soft_time_limit=2, time_limit=60)


def test_a_send_cut_off_by_the_time_limit_is_never_repeated_and_the_rest_go_out_once(
    worker, smtp, side_a
) -> None:
    rows = [
        NotificationFactory(district=side_a.district, recipient=side_a.leader, key=f"test-limit:{n}")
        for n in range(3)
    ]
    smtp.mailbox.hold.set()
    notifications_sweep_due(dispatch=_with_two_second_limit)
    assert smtp.mailbox.arrived.wait(30), "the worker never reached the mail server"
    assert wait_until(lambda: "Soft time limit (2s) exceeded" in worker.log.read_text(), timeout=30)
    assert wait_until(lambda: "deliver_notifications" in worker.log.read_text().split("Soft time limit")[-1])
    smtp.mailbox.hold.clear()
    states = {n.id: n.email_state for n in Notification.objects.filter(id__in=[r.id for r in rows])}
    assert states[rows[0].id] == State.SENDING
    assert [states[r.id] for r in rows[1:]] == [State.CLAIMED, State.CLAIMED]
    # Past both leases: the cut-off send is marked "may have been sent", the other two go out.
    notifications_sweep_due(now=timezone.now() + CLAIM_LEASE + timedelta(seconds=1))
    messages = smtp.mailbox.wait_for(3)
    assert wait_until(lambda: Notification.objects.filter(email_state=State.SENT).count() == 2)
    assert len(messages) == 3
    assert Notification.objects.get(id=rows[0].id).email_state == State.UNCERTAIN
