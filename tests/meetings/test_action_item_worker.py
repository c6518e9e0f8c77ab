"""A new owner and a moved date reach the people concerned once, sent by a real worker.

Real PostgreSQL, Redis and Celery worker, and an SMTP server on loopback: the service writes the
notification rows inside its transaction and queues delivery after the commit; the worker sends each
person one message however often the same change is submitted. CI always runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from meetings import action_items, services
from mtss.notifications.models import Notification
from tests.notifications.realparts import (
    SmtpServer,
    Worker,
    real_services_only,
    wait_until,
    worker_on_test_database,
)

pytestmark = real_services_only()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def worker(smtp: SmtpServer, transactional_db) -> Iterator[Worker]:
    with worker_on_test_database(name="action-items", email_url=smtp.url) as worker:
        yield worker


def test_new_owner_and_old_owner_each_get_one_email_however_often_the_change_is_sent(worker, smtp, side_a):
    item = services.action_item_create(
        district=side_a.district,
        title="Send the screening letters",
        owner=side_a.member,
        due_date=date(2026, 11, 20),
        member=side_a.membership(side_a.coordinator),
    )
    coordinator = side_a.membership(side_a.coordinator)
    changes = {"owner": side_a.leader, "due_date": date(2026, 12, 4)}
    first = action_items.action_item_update(member=coordinator, item=item, changes=changes)
    again = action_items.action_item_update(member=coordinator, item=item, changes=changes)
    assert [line.field for line in first] == ["owner", "due_date"]
    assert again == []

    messages = smtp.mailbox.wait_for(2, timeout=60)
    assert wait_until(
        lambda: (
            Notification.objects.filter(
                key__startswith=f"action-item:{item.pk}:change:", email_state=Notification.EmailState.SENT
            ).count()
            == 2
        ),
        timeout=30,
    )
    by_recipient = {str(m["To"]): str(m["Subject"]) for m in messages}
    assert by_recipient == {
        side_a.leader.email: "Action item assigned to you: Send the screening letters",
        side_a.member.email: "Action item handed to Executive Leader A: Send the screening letters",
    }
    assert len(smtp.mailbox.wait_for(3, timeout=3)) == 2
