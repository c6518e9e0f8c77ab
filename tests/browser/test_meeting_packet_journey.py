"""The coordinator opens next month's DIT meeting, builds its packet, prints it and sends the agenda.

The agenda goes out through the worker to a real SMTP server on loopback: with DATABASE_URL on
PostgreSQL and CELERY_BROKER_URL on Redis a `celery -A mtss worker` process sends it; otherwise the
same tasks run eagerly in the live server (the mail still goes over SMTP). Each attendee's mailbox
holds one message with the packet's link, though "Send the agenda now" is pressed twice.
"""

from __future__ import annotations

import io
import re
import time
from datetime import time as clock
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from meetings import services
from meetings.models import Meeting, MeetingKind
from tests.browser.conftest import SCREENSHOT_DIR, axe_violations, screenshot
from tests.browser.test_update_journey import REAL, smtp  # noqa: F401 (the SMTP and worker fixture)
from tests.data_reviews.score_factories import TierSnapshotFactory
from tests.meetings.factories import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)] + (
    [pytest.mark.services] if REAL else []
)
QUIET_SECONDS = 3.0
SLOW = 30_000


def _next_months_meeting(side) -> Meeting:
    """The DIT meeting on the second Tuesday of next month, 3:30 pm where the district is."""
    today = timezone.localdate(timezone=side.district.tz)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    day = services.nth_weekday(year, month, 1, 2)
    starts = services.local_to_utc(day, clock(15, 30), side.district.tz)
    return services.meeting_create(
        kind=MeetingKind.DIT,
        title="DIT meeting",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        location="Central Office, Board Room",
        member=side.membership(side.coordinator),
    )


def _last_month_with_a_decision(side) -> None:
    last = make_meeting(side.district, side.coordinator, starts_at=timezone.now() - timedelta(days=25))
    services.minute_entry_add(
        item=last.agenda_items.get(standing="data_review"),
        kind="decision",
        text="Adopt one intervention log in every elementary school",
        member=side.membership(side.coordinator),
    )
    services.meeting_close(meeting=last, member=side.membership(side.coordinator), ratings={})
    services.action_item_create(
        district=side.district,
        title="Send the screening summary to the principals",
        owner=side.member,
        due_date=timezone.localdate(timezone=side.district.tz) - timedelta(days=3),
        member=side.membership(side.coordinator),
    )
    TierSnapshotFactory(school=side.school, subject="reading", window="fall", tier1=40, tier2=8, tier3=2)


def _plain(message) -> str:
    return next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )


def _open_the_meeting(page: Page, meeting: Meeting) -> None:
    page.get_by_role("button", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Meetings", exact=True).click()
    local = timezone.localtime(meeting.starts_at, meeting.district.tz)
    row = page.locator("tr").filter(has_text=local.strftime("%a %b %-d, %Y"))
    row.get_by_role("link", name="DIT meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DIT meeting")


def test_coordinator_builds_prints_and_sends_the_packet_and_each_attendee_gets_one_email(
    side_a,
    side_b,
    smtp,  # noqa: F811 (the fixture imported above)
    sign_in,
    live_server,
):
    _last_month_with_a_decision(side_a)
    _next_months_meeting(side_b)  # another district's meeting of the same month
    meeting = _next_months_meeting(side_a)
    packet_path = f"/meetings/{meeting.pk}/packet/"

    page = sign_in(side_a.coordinator.email)
    _open_the_meeting(page, meeting)
    expect(page.locator("#agenda-timing")).to_have_text("75 planned minutes for a 90-minute meeting.")
    page.get_by_role("link", name="Meeting packet").click()

    # The packet, built from the district's own records.
    expect(page.get_by_role("heading", level=1)).to_have_text("DIT meeting: meeting packet")
    packet = page.locator("article.packet")
    expect(packet.locator("section.packet-section")).to_have_count(7)
    expect(packet).to_contain_text("Adopt one intervention log in every elementary school")
    expect(packet).to_contain_text("Send the screening summary to the principals")
    expect(packet.locator("svg.packet-triangle")).to_have_count(1)
    expect(packet).to_contain_text("In fall,")
    assert not axe_violations(page)
    screenshot(page, "meeting-packet-1366")

    # The Word copy has the same content.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Word").click()
    from docx import Document

    document = Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "DIT meeting: meeting packet" in text
    assert "Adopt one intervention log in every elementary school (Data review)" in text

    # Printed: the page's controls go, the sections stay, each from a new page.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print the packet")).to_be_hidden()
    expect(page.locator("nav.navbar, header").first).to_be_hidden()
    expect(packet.locator("section.packet-section").nth(1)).to_have_css("break-before", "page")
    expect(packet.locator("section.packet-section").first).to_have_css("break-before", "auto")
    screenshot(page, "meeting-packet-print")
    pdf = page.pdf(format="Letter")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 7
    if SCREENSHOT_DIR.exists():
        (SCREENSHOT_DIR / "meeting-packet.pdf").write_bytes(pdf)
    page.emulate_media(media="screen")

    # Send the agenda now, twice: the second press sends nobody anything.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Send the agenda now").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Agenda sent to 3 attendees with a link to the packet.", timeout=SLOW
    )
    expect(page.locator("#agenda-sent")).to_contain_text("Agenda sent to 3 attendees, first on")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Send the agenda now").click()
    expect(page.get_by_role("status").first).to_contain_text("nobody was sent it twice", timeout=SLOW)

    messages = smtp.mailbox.wait_for(3, timeout=60)
    time.sleep(QUIET_SECONDS)  # time for any (wrong) second message to arrive
    assert len(smtp.mailbox.raw) == 3
    recipients = sorted(str(m["To"]) for m in messages)
    assert recipients == sorted([side_a.coordinator.email, side_a.leader.email, side_a.member.email])
    for message in messages:
        plain = _plain(message)
        assert f"{settings.SITE_URL}{packet_path}" in plain
        assert "Data review (20 min)" in plain
    member_mail = next(m for m in messages if str(m["To"]) == side_a.member.email)
    assert "Send the screening summary to the principals" in _plain(member_mail)

    # The member follows the link to the packet; district B's coordinator cannot open it.
    member = sign_in(side_a.member.email)
    member.goto(f"{live_server.url}{packet_path}")
    expect(member.get_by_role("heading", level=1)).to_have_text("DIT meeting: meeting packet")
    expect(member.get_by_role("button", name="Send the agenda now")).to_have_count(0)
    outsider = sign_in(side_b.coordinator.email)
    response = outsider.goto(f"{live_server.url}{packet_path}")
    assert response.status == 404
