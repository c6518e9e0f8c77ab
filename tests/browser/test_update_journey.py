"""The coordinator drafts, edits and sends the monthly MTSS update to the principals.

The email goes out through the worker to a real SMTP server on loopback: with DATABASE_URL on
PostgreSQL and CELERY_BROKER_URL on Redis a `celery -A mtss worker` process sends it; otherwise the
same tasks run eagerly in the live server (the mail still goes over SMTP). Each principal's mailbox
holds one message, though one of them is in both chosen groups and Send is clicked twice.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime
from datetime import time as clock

import pytest
from playwright.sync_api import expect

from coordinators import updates
from coordinators.models import CommunicationUpdate, Role
from meetings import services as meeting_services
from tests.browser.conftest import axe_violations, screenshot
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.factories import make_meeting
from tests.notifications.realparts import SmtpServer, mail_through_worker, services_available

REAL = services_available()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)] + (
    [pytest.mark.services] if REAL else []
)
QUIET_SECONDS = 3.0
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}


@pytest.fixture
def smtp(settings, transactional_db) -> Iterator[SmtpServer]:
    with mail_through_worker(settings, name="updates") as server:
        yield server


def _month_with_a_decision(side_a) -> None:
    month = updates.default_month(side_a.membership(side_a.coordinator))
    meeting = make_meeting(
        side_a.district,
        side_a.coordinator,
        starts_at=datetime.combine(month.replace(day=3), clock(15), tzinfo=side_a.district.tz),
    )
    meeting_services.minute_entry_add(
        item=meeting.agenda_items.first(),
        kind="decision",
        text="Adopt one intervention log in every elementary school",
        member=side_a.membership(side_a.coordinator),
    )


def test_coordinator_drafts_edits_and_sends_the_update_to_the_principals_once(
    side_a, side_b, smtp, sign_in, live_server
):
    second = UserFactory(full_name="Grace Okafor", email="grace.okafor@example.org")
    MembershipFactory(
        user=second, district=side_a.district, role=Role.SITE_ADMIN, schools=[side_a.other_school]
    )
    _month_with_a_decision(side_a)

    page = sign_in(side_a.coordinator.email)
    page.get_by_role("link", name="Updates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly MTSS updates")
    page.get_by_role("button", name="Draft the update").click()

    # The editor: the draft already tells the month's decision.
    expect(page.get_by_role("status")).to_contain_text("Drafted from the month's work")
    text = page.get_by_label("Text")
    expect(text).to_have_value(re.compile("Adopt one intervention log in every elementary school"))
    page.get_by_label("Title").fill("MTSS update for our principals")
    text.fill(text.input_value() + "\nThank you, principals, for a strong month.\n")
    expect(page.get_by_label("All principals (site admins)")).to_be_checked()
    page.get_by_label("School staff of chosen schools").check()
    page.get_by_label(side_a.school.name).check()  # its principal is in both groups, its teacher in one
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved.")
    expect(page.locator(".markdown")).to_contain_text("Thank you, principals, for a strong month.")
    assert not axe_violations(page)
    screenshot(page, "updates-editor-1366")
    page.set_viewport_size(PHONE)
    screenshot(page, "updates-editor-390")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Save and review sending").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Send")
    # The same send page, open in a second tab: its Send comes after the first one.
    second_tab = page.context.new_page()
    second_tab.goto(page.url)
    send = page.get_by_role("button", name="Send to 3 people")
    expect(send).to_be_visible()
    send.click()
    expect(page.get_by_role("status")).to_contain_text("Sent to 3 people")
    second_tab.get_by_role("button", name="Send to 3 people").click()
    expect(second_tab.get_by_role("status")).to_contain_text("already sent; nobody gets it twice")

    messages = smtp.mailbox.wait_for(3, timeout=60)
    time.sleep(QUIET_SECONDS)  # time for any (wrong) second message to arrive
    assert len(smtp.mailbox.raw) == 3
    expected = [side_a.site_admin.email, second.email, side_a.school_staff.email]
    assert sorted(str(m["To"]) for m in messages) == sorted(expected)
    update = CommunicationUpdate.objects.get(district=side_a.district)
    for message in messages:
        assert message["Subject"] == "MTSS update for our principals"
        plain = next(
            p.get_payload(decode=True).decode()
            for p in message.walk()
            if p.get_content_type() == "text/plain"
        )
        assert "Adopt one intervention log in every elementary school" in plain
        assert "Thank you, principals, for a strong month." in plain
        assert f"/updates/{update.pk}/" in plain

    # Every member of the district reads it in the archive; another district does not.
    principal = sign_in(side_a.site_admin.email)
    principal.get_by_role("link", name="Updates").click()
    principal.get_by_role("link", name="MTSS update for our principals").click()
    expect(principal.locator("article")).to_contain_text("Thank you, principals, for a strong month.")
    principal.go_back()
    assert not axe_violations(principal)
    screenshot(principal, "updates-archive-1366")
    principal.set_viewport_size(PHONE)
    screenshot(principal, "updates-archive-390")
    outsider = sign_in(side_b.coordinator.email)
    outsider.goto(f"{live_server.url}/updates/")
    expect(outsider.locator("main")).not_to_contain_text("MTSS update for our principals")
