"""The owner of an overdue action item moves its date and says why; the coordinator reads both."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services
from meetings.models import ActionItem
from mtss.notifications.models import Notification
from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20_000


def test_owner_moves_an_overdue_date_and_comments_and_the_coordinator_sees_both(side_a, sign_in, live_server):
    today = timezone.localdate(timezone=side_a.district.tz)
    item = services.action_item_create(
        district=side_a.district,
        title="Send the screening letters home",
        details="To every family in grade 3",
        owner=side_a.member,
        due_date=today - timedelta(days=5),
        member=side_a.membership(side_a.coordinator),
    )
    new_date = today + timedelta(days=10)

    owner = sign_in(side_a.member.email)
    owner.goto(f"{live_server.url}/action-items/")
    row = owner.get_by_role("row").filter(has_text="Send the screening letters home")
    expect(row.get_by_text("Overdue")).to_be_visible(timeout=TIMEOUT)
    row.get_by_role("link", name="Send the screening letters home").click()
    expect(owner.get_by_role("heading", name="Send the screening letters home")).to_be_visible(
        timeout=TIMEOUT
    )
    expect(owner.get_by_role("heading", name="Change the due date")).to_be_visible()
    expect(owner.get_by_role("combobox", name="Owner")).to_have_count(0)
    owner.get_by_role("textbox", name="Due date").fill(new_date.isoformat())
    owner.get_by_role("button", name="Save changes").click()
    expect(owner.get_by_text("Changes saved.")).to_be_visible(timeout=TIMEOUT)
    expect(owner.get_by_text("Overdue", exact=True)).to_have_count(0)
    owner.get_by_role("textbox", name="Comment").fill(
        "The printer at Lakeside is down; the letters go out next week."
    )
    owner.get_by_role("button", name="Add comment").click()
    expect(owner.get_by_text("Comment added.")).to_be_visible(timeout=TIMEOUT)
    screenshot(owner, "action-item-owner")
    assert axe_violations(owner) == []

    item.refresh_from_db()
    assert item.due_date == new_date
    shown_new = f"{new_date:%b} {new_date.day}, {new_date.year}"
    told = Notification.objects.get(
        recipient=side_a.coordinator, key__startswith=f"action-item:{item.pk}:change:"
    )
    assert told.subject == f"New due date, {shown_new}: Send the screening letters home"

    coordinator = sign_in(side_a.coordinator.email)
    coordinator.goto(f"{live_server.url}/action-items/?show=district")
    coordinator.get_by_role("link", name="Send the screening letters home").click()
    history = coordinator.get_by_role("table").filter(has_text="What changed")
    moved = history.get_by_role("row").filter(has_text="Due date")
    expect(moved).to_contain_text(side_a.member.full_name, timeout=TIMEOUT)
    old = today - timedelta(days=5)
    expect(moved).to_contain_text(f"{old:%b} {old.day}, {old.year}")
    expect(moved).to_contain_text(shown_new)
    expect(coordinator.get_by_text("The printer at Lakeside is down")).to_be_visible()
    coordinator.get_by_role("textbox", name="Comment").fill("Thanks for the heads-up.")
    coordinator.get_by_role("button", name="Add comment").click()
    expect(coordinator.get_by_text("Thanks for the heads-up.")).to_be_visible(timeout=TIMEOUT)
    expect(coordinator.get_by_role("heading", name="Change this action item")).to_be_visible()
    coordinator.get_by_role("button", name="Mark done").click()
    expect(coordinator.get_by_role("button", name="Undo Mark done")).to_be_visible(timeout=TIMEOUT)
    coordinator.get_by_role("button", name="Undo Mark done").click()
    expect(coordinator.get_by_role("button", name="Mark done")).to_be_visible(timeout=TIMEOUT)
    expect(history.get_by_role("row").filter(has_text=re.compile(r"Status\s*Done\s*Open"))).to_have_count(1)
    screenshot(coordinator, "action-item-coordinator")
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN
