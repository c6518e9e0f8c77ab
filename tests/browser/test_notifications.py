from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mtss.notifications.kinds import Kind
from mtss.notifications.models import Delivery, NotificationPreference
from tests.browser.conftest import screenshot
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_bell_shows_the_approval_request(side_a, sign_in):
    NotificationFactory(
        district=side_a.district,
        recipient=side_a.leader,
        kind=Kind.APPROVAL_REQUEST,
        subject="Approval requested: Coaching System",
        body="Maria Lopez submitted the Coaching System for approval.",
        url="/",
    )
    page = sign_in(side_a.leader.email)
    bell = page.locator("#notification-bell")
    expect(bell.locator("[data-unread]")).to_have_text("1 unread")
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Notifications")
    expect(page.locator("main")).to_contain_text("Approval requested: Coaching System")
    screenshot(page, "notifications-list")
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator("main")).not_to_contain_text("1 unread")
    expect(bell.locator("[data-unread]")).to_have_count(0)


def test_preferences_page_saves_choices(side_a, sign_in, live_server):
    page = sign_in(side_a.member.email)
    page.goto(f"{live_server.url}/notifications/preferences/")
    page.get_by_label("Something is overdue").select_option(Delivery.IN_APP)
    page.get_by_label("Daily").check()
    screenshot(page, "notifications-preferences")
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_role("status")).to_contain_text("Your notification choices are saved.")
    expect(page.get_by_label("Something is overdue")).to_have_value(Delivery.IN_APP)
    expect(page.get_by_label("Daily")).to_be_checked()
    assert (
        NotificationPreference.objects.get(user=side_a.member, kind=Kind.OVERDUE).delivery == Delivery.IN_APP
    )
