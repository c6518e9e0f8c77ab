"""Two people saving the same change at the same moment (a double click, two tabs) write it once.

Real PostgreSQL: the item row is locked while a change is compared and written, so the second save
waits, then finds nothing different. CI always runs it.
"""

from __future__ import annotations

import threading
from datetime import date

from django.db import connection

from meetings import action_items, services
from meetings.models import ActionItemChange, ActionItemComment
from mtss.notifications.models import Notification
from tests.notifications.realparts import real_services_only

pytestmark = real_services_only()


def _at_once(work, times: int = 2) -> list[object]:
    start = threading.Barrier(times)
    results: list[object] = []

    def run() -> None:
        try:
            start.wait()
            results.append(work())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_the_same_change_saved_twice_at_once_is_written_and_told_once(side_a):
    item = services.action_item_create(
        district=side_a.district,
        title="Send the screening letters",
        owner=side_a.member,
        due_date=date(2026, 11, 20),
        member=side_a.membership(side_a.coordinator),
    )
    coordinator = side_a.membership(side_a.coordinator)
    changes = {"owner": side_a.leader, "due_date": date(2026, 12, 4)}
    results = _at_once(
        lambda: action_items.action_item_update(member=coordinator, item=item, changes=changes)
    )
    assert sorted(len(lines) for lines in results) == [0, 2]
    assert ActionItemChange.objects.filter(item=item).count() == 2
    assert Notification.objects.filter(key__startswith=f"action-item:{item.pk}:change:").count() == 2


def test_the_same_comment_posted_twice_at_once_is_kept_once(side_a):
    item = services.action_item_create(
        district=side_a.district,
        title="Send the screening letters",
        owner=side_a.member,
        due_date=date(2026, 11, 20),
        member=side_a.membership(side_a.coordinator),
    )
    owner = side_a.membership(side_a.member)
    results = _at_once(
        lambda: action_items.action_item_comment_add(member=owner, item=item, body="Need one more week.")
    )
    assert len({comment.pk for comment in results}) == 1
    assert ActionItemComment.objects.filter(item=item).count() == 1
