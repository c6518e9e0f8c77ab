"""The coordinator runs a DIT meeting from series to minutes; the member finishes their action item."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from meetings.models import ActionItem, Meeting
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def section(page: Page, title: str) -> Locator:
    """The minutes card of one agenda item."""
    return page.locator("section.minutes-item").filter(
        has=page.get_by_role("heading", name=re.compile(rf"^{title}"))
    )


def test_coordinator_runs_a_dit_meeting_and_member_finishes_their_item(side_a, sign_in, live_server):
    today = timezone.localdate(timezone=side_a.district.tz)
    page = sign_in(side_a.coordinator.email)

    # The monthly series.
    page.get_by_role("button", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="New monthly meetings").click()
    page.get_by_label("From").fill(today.isoformat())
    page.get_by_label("Until").fill((today + timedelta(days=120)).isoformat())
    page.get_by_label("Location").fill("Central Office, Board Room")
    page.get_by_role("button", name="Create the meetings").click()
    expect(page.get_by_text(re.compile(r"\d+ meetings created"))).to_be_visible()
    screenshot(page, "meeting-list")

    # The next meeting and its agenda.
    page.locator("table").first.get_by_role("link", name="DIT meeting").first.click()
    page.get_by_role("textbox", name="Agenda item").fill("Math screener pilot")
    page.get_by_role("spinbutton", name="Planned minutes").last.fill("15")
    page.get_by_role("button", name="Propose item").click()
    page.get_by_role("button", name="Move Math screener pilot up").click()
    expect(page.locator("#agenda > ol > li").nth(4)).to_contain_text("Math screener pilot")
    page.get_by_label("Planned minutes for Data review").fill("25")
    page.locator("#agenda > ol > li").nth(1).get_by_role("button", name="Set").click()
    expect(page.locator("#agenda > ol > li").nth(1)).to_contain_text("25 min")
    meeting_url = page.url
    screenshot(page, "meeting-agenda")

    # Attendance.
    page.get_by_role("link", name="Attendance").click()
    page.get_by_label(f"{side_a.member.full_name}: Present").check()
    page.get_by_label(f"{side_a.coordinator.full_name}: Present").check()
    page.get_by_label(f"{side_a.leader.full_name}: Excused").check()
    page.get_by_label("Guests (one name per line)").fill("Ms. Alvarez, reading coach")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Ms. Alvarez, reading coach")).to_be_visible()

    # Minutes: one decision and two tasks.
    page.get_by_role("link", name="Record minutes").click()
    page.get_by_label("Minutes for Data review").fill("Adopt the new reading screener in grades K-2")
    page.locator("#kind-" + section(page, "Data review").get_attribute("id").split("-")[1]).select_option(
        "decision"
    )
    page.get_by_label("Minutes for Data review").press("Control+Enter")
    expect(section(page, "Data review")).to_contain_text("Saved")
    barriers = section(page, "Barriers")
    barriers.get_by_label("Kind").select_option("task")
    barriers.get_by_label("Minutes for Barriers").fill("Send the screener summary to principals")
    barriers.get_by_label("Who").select_option(label=side_a.member.full_name)
    barriers.get_by_label("By when").fill((today + timedelta(days=10)).isoformat())
    barriers.get_by_role("button", name="Save").click()
    expect(section(page, "Barriers")).to_contain_text("Saved")
    communication = section(page, "Communication")
    communication.get_by_label("Kind").select_option("task")
    communication.get_by_label("Minutes for Communication").fill("Ask for release time for data teams")
    communication.get_by_label("Who").select_option(label=side_a.leader.full_name)
    communication.get_by_label("By when").fill((today + timedelta(days=20)).isoformat())
    communication.get_by_role("button", name="Save").click()
    expect(section(page, "Communication")).to_contain_text("Saved")
    screenshot(page, "meeting-minutes")
    assert ActionItem.objects.count() == 2

    # Close with the self-rating.
    page.goto(meeting_url)
    page.get_by_role("link", name="Close the meeting").click()
    for field in ("started_on_time", "agenda_followed", "decisions_recorded", "action_items_assigned"):
        page.locator(f"#id_{field}_0").check()  # "Yes"
    page.get_by_label("Math screener pilot").check()
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_text("Meeting closed.")).to_be_visible()
    screenshot(page, "meeting-closed")

    # The member sees the item at home and marks it done.
    member_page = sign_in(side_a.member.email)
    home_items = member_page.locator(".home-action-items")
    expect(home_items).to_contain_text("Send the screener summary to principals")
    member_page.get_by_role("button", name="Mark done: Send the screener summary to principals").click()
    expect(member_page.get_by_text("marked done")).to_be_visible()
    screenshot(member_page, "member-home")

    # The following meeting's agenda shows the other item still open, and the carried item.
    following = Meeting.objects.filter(status=Meeting.Status.SCHEDULED).order_by("starts_at").first()
    page.goto(f"{live_server.url}/meetings/{following.pk}/")
    review = page.locator(".review-items")
    expect(review).to_contain_text("Ask for release time for data teams")
    expect(review).not_to_contain_text("Send the screener summary to principals")
    expect(page.locator("#agenda")).to_contain_text("Carried forward")

    # The coordinator logs the meeting time and sees the month's total.
    page.get_by_role("button", name="Meetings", exact=True).click()
    page.get_by_role("link", name="My time").click()
    page.get_by_role("button", name=re.compile(r"^Log this meeting")).first.click()
    expect(page.get_by_text(re.compile(r"Logged 1\.5 hours"))).to_be_visible()
    expect(page.locator(".time-total")).to_contain_text("0.19 days")
    screenshot(page, "my-time")
