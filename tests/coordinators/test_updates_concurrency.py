"""Two sends of the same update at the same moment (two tabs, a double click) on PostgreSQL.

The row lock decides: one send writes the notifications and marks the update sent; the other waits,
finds it sent and writes nothing. CI sets DATABASE_URL and CELERY_BROKER_URL, so it always runs there.
"""

from __future__ import annotations

import threading

from django.db import connection

from coordinators import updates
from coordinators.models import CommunicationUpdate, UpdateAudience
from coordinators.selectors import month_start
from mtss.audit.models import AuditEvent
from mtss.notifications.kinds import Kind
from mtss.notifications.models import Notification
from tests.implementation_plans.plan_factories import district_today
from tests.notifications.realparts import real_services_only

pytestmark = real_services_only()


def test_two_sends_at_once_send_the_update_once(side_a):
    member = side_a.membership(side_a.coordinator)
    update = updates.update_draft(member=member, month=month_start(district_today()))
    update.audiences = [UpdateAudience.PRINCIPALS, UpdateAudience.LEADERS]
    update.save()
    start = threading.Barrier(2)
    results: list[updates.SendResult] = []
    errors: list[Exception] = []

    def send() -> None:
        try:
            start.wait()
            results.append(
                updates.update_send(
                    update=CommunicationUpdate.objects.get(pk=update.pk),
                    member=side_a.membership(side_a.coordinator),
                )
            )
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    assert sorted(r.sent_now for r in results) == [False, True]
    assert {r.recipients for r in results} == {2}
    rows = Notification.objects.filter(kind=Kind.UPDATE)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(
        [side_a.site_admin.pk, side_a.leader.pk]
    )
    assert AuditEvent.objects.filter(action="send communication update").count() == 1
